"""Reliability: bad inputs, faults and kills, each run as a user runs slidegen.

One table of cases. Each case prepares a copy of the project (its data, its template and the
output of an earlier build with the PDF), runs one command, and states the exit code and the words
the message must hold. For every case the test also checks that no Python traceback is printed,
that no staging folder is left behind, and that every file outside what the case may write — the
output folder of a build that succeeds, and the output's cache folder — is byte-for-byte as it was:
the previous deck above all.

The findings of issue 9 each have cases here (``finding`` in the table): (1) data loss through
--out, (2) empty bases, (3) corrections.xlsx, (4) fixed wording the data no longer backs, (5) a
damaged previous build taken as up to date, (6) killed builds, (7) errors that blamed the wrong
place, (8) fonts, (9) library versions in the figure cache key, (10) a PDF removed without a word,
(11) dates and permissions, (12) diff's exit code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, read_rows, without_shared_cache, write_rows

from slidegen import pipeline
from slidegen.cli import main
from slidegen.figures import fonts

R6 = Path("data") / "R6"
OUT = Path("output") / "R6"


# -- preparing a project ------------------------------------------------------------------------

def edit_responses(fn: Callable[[list[list[str]]], None], name: str = "data/R6/responses.csv"):
    """A setup that edits the response table (header first) and writes it to ``name``."""
    def setup(p: Path) -> None:
        rows = read_rows(p / R6 / "responses.csv")
        fn(rows)
        (p / name).parent.mkdir(parents=True, exist_ok=True)
        write_rows(p / name, rows)
    return setup


def column(rows, name: str) -> int:
    return rows[0].index(name)


def header_only(rows):
    del rows[1:]


def nobody_linked(rows):
    """Every body answers Q1 = 2 (no link with a financial institution), its linked-only answers blank."""
    from slidegen.figures.kinds import KINDS
    from slidegen.inputs.codebook import load_codebook

    codebook = load_codebook(ROOT / R6 / "codebook.yaml", KINDS)
    q1 = column(rows, "Q1")
    linked_only = [c for q in codebook.questions.values() if codebook.bases[q.base].question == "Q1"
                   and 2 not in codebook.bases[q.base].codes for c in q.columns]
    at = [column(rows, c) for c in linked_only]
    for row in rows[1:]:
        row[q1] = "2"
        for i in at:
            row[i] = ""


def no_gain_in_figure_15(rows):
    """Each Q15B answer the same as the body's Q15A: no option of figure 15 gains anything."""
    for i, name in enumerate(rows[0]):
        if name.startswith("Q15A_"):
            b = column(rows, "Q15B_" + name[len("Q15A_"):])
            for row in rows[1:]:
                row[b] = row[i]


def swap_q5_options_1_and_8(rows):
    a, b = column(rows, "Q5_01"), column(rows, "Q5_08")
    for row in rows[1:]:
        row[a], row[b] = row[b], row[a]


def write_text(relative: str, text: str, encoding: str = "utf-8"):
    def setup(p: Path) -> None:
        (p / relative).parent.mkdir(parents=True, exist_ok=True)
        (p / relative).write_bytes(text.encode(encoding))
    return setup


def first_body(p: Path, q1: str) -> str:
    rows = read_rows(p / R6 / "responses.csv")
    return next(r[0] for r in rows[1:] if r[column(rows, "Q1")] == q1)


def correction(line: str) -> Callable[[Path], str]:
    """The text of a corrections log: its header and one line, where ``{code1}`` and ``{code2}`` are
    bodies that answered Q1 = 1 and 2, and ``{satisfied}`` one that answered Q4 = 1."""
    def text(p: Path) -> str:
        rows = read_rows(p / R6 / "responses.csv")
        satisfied = next(r[0] for r in rows[1:] if r[column(rows, "Q4")] == "1")
        return "団体コード,設問,旧値,新値,理由,日付\n" + line.format(
            code2=first_body(p, "2"), code1=first_body(p, "1"), satisfied=satisfied) + "\n"
    return text


def corrections_csv(line: str):
    def setup(p: Path) -> None:
        (p / R6 / "corrections.csv").write_text(correction(line)(p), encoding="utf-8")
    return setup


def corrections_xlsx(line: str, also_csv: bool = False):
    def setup(p: Path) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        for row in csv.reader(io.StringIO(correction(line)(p))):
            wb.active.append(row)
        wb.save(p / R6 / "corrections.xlsx")
        if not also_csv:  # the office keeps its log as .xlsx only
            (p / R6 / "corrections.csv").unlink()
    return setup


def title_row_xlsx(p: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["令和６年度 自治体アンケート 回答一覧"])
    for row in read_rows(p / R6 / "responses.csv")[:20]:  # the header's place is the point, not the rows
        wb.active.append(row)
    wb.save(p / "fixed.xlsx")


def title_row_csv(rows):
    rows.insert(0, ["令和６年度 自治体アンケート 回答一覧"])


def unclosed_quote_on_line_6(rows):
    rows[5][column(rows, "団体名")] = '"' + rows[5][column(rows, "団体名")]


def write_unquoted(relative: str, fn):
    """Like edit_responses, but the rows are joined by commas as they are (a quote stays unclosed)."""
    def setup(p: Path) -> None:
        rows = read_rows(p / R6 / "responses.csv")
        fn(rows)
        (p / relative).write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return setup


def several(*setups):
    def setup(p: Path) -> None:
        for s in setups:
            s(p)
    return setup


def truncate(relative: str):
    def setup(p: Path) -> None:
        (p / relative).write_bytes((p / relative).read_bytes()[:1000])
    return setup


def remove(relative: str):
    return lambda p: (p / relative).unlink()


def stale_staging(kind: str, holds_output: bool = False):
    """A staging folder a killed build left (its process, 999999999, is long gone)."""
    def setup(p: Path) -> None:
        folder = p / "output" / f".R6.{kind}-999999999-abc123"
        folder.mkdir()
        (folder / "half-written.pptx").write_bytes(b"PK")
        if holds_output:  # killed between its two renames: the previous output sits in the old folder
            os.replace(p / OUT, folder / "R6")
    return setup


def other_version_of(library: str):
    """As after an upgrade or downgrade of ``library``: every figure cached under the old version is stale."""
    def fault(monkeypatch) -> None:
        from slidegen.inputs import versions  # where slidegen reads every library's version

        real = versions.version
        monkeypatch.setattr(versions, "version", lambda name: "0.0.0-other" if name == library else real(name))
    return fault


def a_bug(monkeypatch) -> None:
    """A bug slidegen did not foresee, deep in the aggregation."""
    def broken(*args, **kwargs):
        return 1 // 0
    monkeypatch.setattr(pipeline.loading, "tables", broken)


def disk_full(monkeypatch) -> None:
    """The disk fills while the build writes its deck into the staging folder."""
    import errno

    real = Path.write_bytes

    def write_bytes(self: Path, data: bytes) -> int:
        if self.name.endswith(".pptx") and ".build-" in str(self):
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def os_refuses(errno_: int, text: str):
    """The template vanishes, or cannot be read, just as the build reads it."""
    def fault(monkeypatch) -> None:
        def refuse(path, *args, **kwargs):
            raise OSError(errno_, text, str(path))

        from slidegen.inputs import template

        monkeypatch.setattr(template, "read_theme", refuse)
    return fault


TEST_FAMILY = "Slidegen Test Gothic"


def font_folder(p: Path) -> dict:
    """A fontconfig file that lists only a folder holding a Japanese font matplotlib has never seen
    (the bundled IPAexゴシック under a family name of its own)."""
    from fontTools.ttLib import TTFont

    folder = p.parent / "fonts"
    folder.mkdir(exist_ok=True)
    font = TTFont(fonts._bundled_fallback())
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = TEST_FAMILY
        elif record.nameID == 6:
            record.string = TEST_FAMILY.replace(" ", "")
    font.save(folder / "test-gothic.ttf")
    conf = p.parent / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>{folder}</dir>'
                    f"<cachedir>{p.parent / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf), "SLIDEGEN_FONT": TEST_FAMILY}


# -- checks after a run ----------------------------------------------------------------------------

def core_dates(data: bytes) -> tuple[str, tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        times = {i.date_time for i in z.infolist()}
    created = core.split("created")[1].split(">")[1].split("<")[0]
    assert len(times) == 1
    return created, times.pop()


def dated(day: str, zip_time: tuple, pdf_date: str | None):
    def check(p: Path, out: Path) -> None:
        assert core_dates((out / "R6_deck.pptx").read_bytes()) == (day, zip_time)
        if pdf_date:
            assert f"/CreationDate (D:{pdf_date}".encode() in (out / "R6_deck.pdf").read_bytes()
        for f in out.rglob("*"):
            if f.is_file():
                assert stat.S_IMODE(f.stat().st_mode) == 0o644, f
    return check


def workbook_ok(p: Path, out: Path) -> None:
    book = p / "集計表.xlsx"
    assert stat.S_IMODE(book.stat().st_mode) == 0o644
    assert core_dates(book.read_bytes()) == ("2025-01-01T00:00:00Z", (2025, 1, 1, 0, 0, 0))
    assert b"<dc:creator" in zipfile.ZipFile(book).read("docProps/core.xml")


def deck_is_whole(p: Path, out: Path) -> None:
    with zipfile.ZipFile(out / "R6_deck.pptx") as z:
        assert z.testzip() is None
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, sha in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name


def no_pdf(p: Path, out: Path) -> None:
    assert not (out / "R6_deck.pdf").exists() and (out / "R6_deck.pptx").exists()


def no_staging(p: Path, out: Path) -> None:
    assert not list((p / "output").glob(".R6.*"))
    deck_is_whole(p, out)


def crash_logged(p: Path, out: Path) -> None:
    logs = list((p / "output" / ".cache" / "logs").glob("slidegen-crash-*.log"))
    assert len(logs) == 1 and "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


def drawn_with_the_copy(p: Path, out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["font"] == TEST_FAMILY


# -- the table ---------------------------------------------------------------------------------------

# -- (19) the second round: workbooks as people hand them over, expressions, the environment --------

def resubmitted_workbook(name: str, how: str):
    """A resubmitted sheet of one body's row (its Q1 kept), saved as ``name`` in resubmissions/:
    ``hidden`` — a hidden first sheet with an invalid old version, the table on the visible active
    sheet; ``formula`` — Q1 a formula the workbook holds no result of; ``plain`` — as saved."""
    def setup(p: Path) -> None:
        import openpyxl

        rows = read_rows(p / R6 / "responses.csv")
        header, row = rows[0], list(rows[1])
        book = openpyxl.Workbook()
        sheet = book.active
        if how == "hidden":
            sheet.title = "旧版"
            old = list(row)
            old[column(rows, "Q1")] = "9"  # no such answer: read, it would stop the build
            sheet.append(header)
            sheet.append(old)
            sheet.sheet_state = "hidden"
            sheet = book.create_sheet("再提出")
            book.active = 1
        if how == "formula":
            row[column(rows, "Q1")] = "=0+1"
        sheet.append(header)
        sheet.append(row)
        folder = p / R6 / "resubmissions"
        folder.mkdir(exist_ok=True)
        book.save(folder / name)
    return setup


def resubmitted_bytes(name: str, data: bytes):
    def setup(p: Path) -> None:
        folder = p / R6 / "resubmissions"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
    return setup


def deck_sentence(text: str, claims: tuple[str, ...] = ()):
    """deck.yaml with slide 2's first sentence replaced by ``text`` (with ``claims``)."""
    def setup(p: Path) -> None:
        import yaml

        spec = p / R6 / "deck.yaml"
        deck = yaml.safe_load(spec.read_text(encoding="utf-8"))
        deck["slides"][1]["bullets"][0] = {"text": text, "claims": list(claims)} if claims else text
        spec.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return setup


def huge_cell(rows):
    rows[2][column(rows, "Q1")] = "1" + "x" * 200_000


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048


@dataclass(frozen=True)
class Case:
    """One command on a prepared project: what it must exit with and say, and what it may write.

    ``args`` may hold ``{p}`` (the project folder). ``writes`` lists the paths (relative to the
    project) the command may change; everything else must be untouched. ``fault`` is a
    ``monkeypatch``-taking setup for faults that cannot be made with files alone.
    """

    id: str
    finding: int | None
    args: tuple[str, ...]
    exit: int
    words: tuple[str, ...] = ()
    setup: Callable[[Path], object] | None = None
    writes: tuple[str, ...] = ()
    env: dict = field(default_factory=dict)
    fault: Callable | None = None
    check: Callable[[Path, Path], None] | None = None
    out: str = "output/R6"


B = ("build", "--year", "R6")
CASES = [
    # (1) the output folder: slidegen replaces only a folder it made
    Case("out-folder-with-a-memo", 1, (*B, "--out", "{p}/mydocs"), 1, ("mydocs", "did not make", "notes.txt"),
         write_text("mydocs/notes.txt", "memo\n")),
    Case("out-is-the-year-data", 1, (*B, "--out", "{p}/data/R6"), 1, ("an input of the build", "responses.csv")),
    Case("out-holds-the-data", 1, (*B, "--out", "{p}/data"), 1, ("holds", "an input of the build")),
    Case("out-is-the-project", 1, (*B, "--out", "{p}"), 1, ("an input of the build",)),
    Case("out-is-the-layouts", 1, (*B, "--out", "{p}/layouts"), 1, ("/layouts/", "an input of the build")),
    Case("out-holds-the-data-file", 1, (*B, "--data", "{p}/fixes/fixed.csv", "--out", "{p}/fixes"), 1,
         ("fixed.csv", "an input of the build"), edit_responses(lambda rows: None, "fixes/fixed.csv")),
    Case("out-build-folder-with-an-added-file", 1, B, 1, ("files were added", "memo.txt"),
         write_text("output/R6/memo.txt", "keep me\n")),
    Case("out-is-a-file", 1, (*B, "--out", "{p}/memo.txt"), 2, ("is a file",), write_text("memo.txt", "memo\n")),
    Case("out-new-folder", 1, (*B, "--out", "{p}/new/R6"), 0, ("deck: wrote R6_deck.pptx",), writes=("new",),
         out="new/R6", check=deck_is_whole),
    Case("out-empty-folder", 1, (*B, "--out", "{p}/empty"), 0, ("deck: wrote R6_deck.pptx",),
         lambda p: (p / "empty").mkdir(), writes=("empty",), out="empty"),
    Case("out-previous-build-replaced", 1, B, 0, ("deck: wrote R6_deck.pptx",), writes=("output/R6",), check=deck_is_whole),
    Case("xlsx-over-a-foreign-workbook", 1, ("tables", "--year", "R6", "--xlsx", "{p}/memo.xlsx"), 1,
         ("memo.xlsx", "slidegen did not write it"), write_text("memo.xlsx", "PK not really\n")),
    Case("xlsx-over-the-responses", 1, ("tables", "--year", "R6", "--xlsx", "{p}/data/R6/responses.csv"), 1,
         ("Excel workbook",)),
    # (2) empty bases and degenerate tables
    *[Case(f"header-only-{cmd[0]}", 2, (*cmd, "--data", "{p}/empty.csv"), 1, ("empty.csv", "header but no rows"),
           edit_responses(header_only, "empty.csv"))
      for cmd in (B, ("tables", "--year", "R6"), ("verify", "--year", "R6"))],
    Case("header-only-diff", 2, ("diff", "{p}/data/R6/responses.csv", "{p}/empty.csv", "--year", "R6"), 1,
         ("empty.csv", "header but no rows"), edit_responses(header_only, "empty.csv")),
    *[Case(f"nobody-linked-{cmd[0]}", 2, (*cmd, "--data", "{p}/none.csv"), 1,
           ("none.csv", "has no body in its base", "Q1 = 1", "図2"), edit_responses(nobody_linked, "none.csv"))
      for cmd in (B, ("tables", "--year", "R6"), ("verify", "--year", "R6"))],
    Case("nobody-linked-diff", 2, ("diff", "{p}/data/R6/responses.csv", "{p}/none.csv", "--year", "R6"), 1,
         ("has no body in its base",), edit_responses(nobody_linked, "none.csv")),
    # (3) the corrections log as .xlsx
    Case("corrections-xlsx-applied", 3, B, 0, ("corrections: applied 1 from corrections.xlsx", "図4 満足している 27.5 → 27.4"),
         corrections_xlsx("{satisfied},Q4,1,2,再回答,2025-02-01"), writes=("output/R6",)),
    Case("corrections-xlsx-stale", 3, B, 1, ("corrections.xlsx", "旧値", "stale"),
         corrections_xlsx("{code1},Q1,2,1,再回答,2025-02-01")),
    Case("corrections-csv-and-xlsx", 3, B, 1, ("both corrections.csv and corrections.xlsx",),
         corrections_xlsx("{code1},Q1,1,1,確認,2025-02-01", also_csv=True)),
    # (4) fixed wording the data no longer backs
    Case("no-gain-in-figure-15", 4, (*B, "--data", "{p}/nogain.csv"), 0,
         ("warning: スライド13", "gain(15) >= 10", "大きく上回った"), edit_responses(no_gain_in_figure_15, "nogain.csv"),
         writes=("output/R6",)),
    Case("not-a-majority-any-more", 4, (*B, "--data", "{p}/q5.csv"), 0,
         ("warning: スライド6", "> 50", "過半数"), edit_responses(swap_q5_options_1_and_8, "q5.csv"), writes=("output/R6",)),
    # (5) a damaged previous build is rebuilt, not taken as up to date
    Case("truncated-deck-rebuilt", 5, B, 0, ("deck: wrote R6_deck.pptx",), truncate("output/R6/R6_deck.pptx"),
         writes=("output/R6",), check=deck_is_whole),
    Case("missing-file-rebuilt", 5, B, 0, ("deck: wrote R6_deck.pptx",),
         remove("output/R6/R6_deck.html"), writes=("output/R6",), check=deck_is_whole),
    Case("unreadable-manifest", 5, B, 1, ("did not make",), write_text("output/R6/manifest.json", "{not json")),
    # (6) killed builds: what they leave is cleaned (the kills themselves: test_kill_* below)
    Case("stale-staging-removed", 6, B, 0, ("deck: wrote",), stale_staging("build"), writes=("output",), check=no_staging),
    Case("killed-between-renames-restored", 6, B, 0, ("deck: wrote",), stale_staging("old", holds_output=True),
         writes=("output",), check=no_staging),
    # (7) errors name the true source
    Case("correction-breaks-a-base-rule", 7, B, 1,
         ("corrections.csv: row 団体コード", "(line 2)", "this correction sets Q1 to '1'", "Q13 is asked only of"),
         corrections_csv("{code2},Q1,2,1,再回答,2025-02-01")),
    Case("correction-unknown-body", 7, B, 1, ("corrections.csv", "(line 2)", "999999", "no body with this 団体コード"),
         corrections_csv("999999,Q1,2,1,再回答,2025-02-01")),
    Case("correction-unknown-column", 7, B, 1, ("corrections.csv", "設問", "Q99"),
         corrections_csv("{code1},Q99,1,2,再回答,2025-02-01")),
    Case("unclosed-quote-line-6", 7, ("tables", "--year", "R6", "--data", "{p}/quote.csv"), 1,
         ("quote.csv: line 6", "never closes"), write_unquoted("quote.csv", unclosed_quote_on_line_6)),
    Case("title-row-xlsx", 7, ("tables", "--year", "R6", "--data", "{p}/fixed.xlsx"), 1,
         ("fixed.xlsx", "are on row 2 of the sheet", "Delete the rows above"), title_row_xlsx),
    Case("title-row-csv", 7, ("tables", "--year", "R6", "--data", "{p}/title.csv"), 1,
         ("title.csv", "are on line 2"), edit_responses(title_row_csv, "title.csv")),
    Case("bad-cell", 7, ("tables", "--year", "R6", "--data", "{p}/bad.csv"), 1, ("bad.csv", "column Q1", "value '7'"),
         edit_responses(lambda rows: rows[3].__setitem__(column(rows, "Q1"), "7"), "bad.csv")),
    # (8) fonts
    Case("font-named-but-missing", 8, B, 1, ("SLIDEGEN_FONT=メイリオ", "no font of that name is installed"),
         env={"SLIDEGEN_FONT": "メイリオ"}),
    # (9) library versions in the figure cache key
    # (each drawing library's version is in the key: test_figures.py; one whole build shows what follows)
    Case("other-matplotlib-redraws", 9, B, 0, ("figures: drew 18, reused 0",), fault=other_version_of("matplotlib"),
         writes=("output/R6",)),
    # (10) a plain build after a --pdf build
    Case("plain-after-pdf-says-so", 10, B, 0, ("removed: R6_deck.pdf", "--pdf"), writes=("output/R6",), check=no_pdf),
    # (11) dates and permissions
    Case("dated-by-publication", 11, (*B, "--pdf"), 0, (), truncate("output/R6/R6_deck.pptx"), writes=("output/R6",),
         check=dated("2025-01-01T00:00:00Z", (2025, 1, 1, 0, 0, 0), "20250101000000")),
    Case("dated-by-source-date-epoch", 11, (*B, "--pdf"), 0, (), writes=("output/R6",), env={"SOURCE_DATE_EPOCH": "1740000000"},
         check=dated("2025-02-19T21:20:00Z", (2025, 2, 19, 21, 20, 0), "20250219212000")),
    Case("bad-source-date-epoch", 11, B, 1, ("SOURCE_DATE_EPOCH='soon'", "whole seconds"),
         truncate("output/R6/R6_deck.pptx"), env={"SOURCE_DATE_EPOCH": "soon"}),
    Case("workbook-dated-and-readable", 11, ("tables", "--year", "R6", "--xlsx", "{p}/集計表.xlsx"), 0, ("Wrote",),
         writes=("集計表.xlsx",), check=workbook_ok),
    # (12) diff's exit code
    Case("diff-differs", 12, ("diff", "{p}/data/R6/responses.csv", "{p}/q5.csv", "--year", "R6"), 1, ("図5",),
         edit_responses(swap_q5_options_1_and_8, "q5.csv")),
    Case("diff-same", 12, ("diff", "{p}/data/R6/responses.csv", "{p}/data/R6/responses.csv", "--year", "R6"), 0,
         ("No differences.",)),
    Case("diff-manifests-differ", 12, ("diff", "{p}/output/R6/manifest.json", "{p}/other.json"), 1, ("有効回答数",),
         lambda p: (p / "other.json").write_text((p / OUT / "manifest.json").read_text(encoding="utf-8")
                                                 .replace('"responses": 1403', '"responses": 1402')
                                                 .replace('"有効回答数": {\n      "value": "1,403"', '"有効回答数": {\n      "value": "1,402"'),
                                                 encoding="utf-8")),
    # (19) workbooks as people hand them over; expressions are data; the environment; outputs never among inputs
    Case("resubmission-hidden-first-sheet", 19, B, 0, ("resubmissions: 1 sheet",), resubmitted_workbook("a.xlsx", "hidden"),
         writes=("output/R6",)),
    Case("resubmission-xlsm-read", 19, B, 0, ("resubmissions: 1 sheet",), resubmitted_workbook("a.xlsm", "plain"),
         writes=("output/R6",)),
    Case("resubmission-xls-refused", 19, B, 1, ("a.xls", "an old Excel .xls workbook"), resubmitted_bytes("a.xls", OLE2)),
    Case("resubmission-ods-refused", 19, B, 1, ("a.ods", "OpenDocument spreadsheet"), resubmitted_bytes("a.ods", b"PK\x03\x04")),
    Case("resubmission-other-file-refused", 19, B, 1, ("memo.docx", "not a table slidegen reads"),
         resubmitted_bytes("memo.docx", b"PK\x03\x04")),
    Case("resubmission-uncached-formula", 19, B, 1, ("a.xlsx", "cell", "a formula (=0+1)", "does not hold"),
         resubmitted_workbook("a.xlsx", "formula")),
    Case("resubmission-password-protected", 19, B, 1, ("a.xlsx", "password-protected"), resubmitted_bytes("a.xlsx", OLE2)),
    Case("huge-cell", 19, ("tables", "--year", "R6", "--data", "{p}/huge.csv"), 1,
         ("huge.csv: line 3", "a cell of 200,001 characters"), edit_responses(huge_cell, "huge.csv")),
    *[Case(f"expression-{name}", 19, B, 1, ("deck.yaml", "slide 2", words), deck_sentence(text))
      for name, text, words in (
          ("overflow", "{wari(1e999)}です。", "out of range"),
          ("deep", "{" + "wari(" * 40 + "1" + ")" * 40 + "}です。", "nest more than 30 deep"),
          ("max-of-nothing", "{max([])}です。", "min() or max() of nothing"),
          ("negated-text", "{-meta('title')}です。", "different kinds"),
          ("list-against-number", "{wari(70) if codes(3, 2) < 1 else 1}です。", "not allowed"),
      )],
    Case("claim-list-against-number", 19, B, 1, ("deck.yaml", "codes(3, 2) < 1", "different kinds"),
         deck_sentence("固定の文。", ("codes(3, 2) < 1",))),
    Case("claim-not-yes-no", 19, B, 1, ("deck.yaml", "value(5, 1)", "not a yes/no question"),
         deck_sentence("固定の文。", ("value(5, 1)",))),
    Case("source-date-epoch-2108", 19, B, 1, ("SOURCE_DATE_EPOCH=4363200000", "2108", "from 1980 to 2107"),
         env={"SOURCE_DATE_EPOCH": "4363200000"}),
    Case("xlsx-into-resubmissions", 19, ("tables", "--year", "R6", "--xlsx", "{p}/data/R6/resubmissions/集計表.xlsx"), 1,
         ("--xlsx", "where slidegen reads its inputs")),
    Case("update-out-into-data", 19, ("update", "--year", "R6", "{p}/output/R6/R6_deck.pptx", "--out", "{p}/data/R6/v2.pptx"), 1,
         ("--out", "where slidegen reads its inputs")),
    Case("disk-full-while-writing", 19, B, 1, ("No space left on device", "the disk is full", "nothing was written"),
         truncate("output/R6/R6_deck.pptx"), fault=disk_full),
    Case("file-vanished-mid-run", 19, B, 1, ("slidegen.pptx", "No such file or directory", "moved or deleted while"),
         truncate("output/R6/R6_deck.pptx"), fault=os_refuses(2, "No such file or directory")),
    Case("permission-refused", 19, B, 1, ("slidegen.pptx", "Permission denied", "no permission"),
         truncate("output/R6/R6_deck.pptx"), fault=os_refuses(13, "Permission denied")),
    # no traceback, whatever the input
    Case("missing-data-file", None, (*B, "--data", "{p}/nowhere.csv"), 1, ("nowhere.csv", "no such file")),
    Case("binary-data-file", None, ("tables", "--year", "R6", "--data", "{p}/blob.csv"), 1, ("blob.csv", "binary"),
         lambda p: (p / "blob.csv").write_bytes(b"\x00\x01\x02garbage" * 100)),
    Case("broken-codebook", None, B, 1, ("codebook.yaml", "not valid YAML"), write_text("data/R6/codebook.yaml", "survey: [\n")),
    Case("deck-spec-unknown-key", None, B, 1, ("deck.yaml", "unknown key"),
         lambda p: (p / R6 / "deck.yaml").write_text((p / R6 / "deck.yaml").read_text(encoding="utf-8")
                                                     .replace("    heading: 結果概要\n", "    heading: 結果概要\n    colour: red\n", 1),
                                                     encoding="utf-8")),
    Case("template-not-a-deck", None, (*B, "--template", "{p}/data/R6/codebook.yaml"), 1, ("not a readable .pptx template",)),
    Case("unforeseen-bug", None, B, 70, ("failed unexpectedly", "ZeroDivisionError", "slidegen-crash-", "Please report it"),
         fault=a_bug, check=crash_logged),
]


# -- running a case ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A project copy with an earlier build, PDF included, and its figure cache warm."""
    p = tmp_path_factory.mktemp("reliability") / "project"
    p.mkdir()
    shutil.copytree(ROOT / "data", p / "data")
    shutil.copytree(ROOT / "layouts", p / "layouts")
    (p / R6 / "corrections.csv").write_text("団体コード,設問,旧値,新値,理由,日付\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(p), *B, "--pdf"])
    assert result.exit_code == 0, result.output
    return p


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    p = tmp_path / "project"
    shutil.copytree(built_project, p, symlinks=True)
    return p


def snapshot(p: Path) -> dict[str, str]:
    """Every file under ``p`` but those in a build's cache (``.cache/`` beside its output folder), with its hash."""
    return {f.relative_to(p).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in p.rglob("*") if f.is_file() and ".cache" not in f.relative_to(p).parts}


def may_change(name: str, writes: tuple[str, ...]) -> bool:
    return any(name == w or name.startswith(w + "/") for w in writes)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, project: Path, monkeypatch):
    env = dict(case.env)
    if case.setup is not None:
        case.setup(project)
    if case.fault is not None:
        case.fault(monkeypatch)
    before = snapshot(project)
    args = ["--root", str(project), *(a.format(p=project) for a in case.args)]
    fonts.resolve_font.cache_clear()
    try:
        result = CliRunner().invoke(main, args, env=env)
    finally:
        fonts.resolve_font.cache_clear()
    said = result.stdout + result.stderr
    assert result.exit_code == case.exit, said
    assert "Traceback" not in said
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), repr(result.exception)
    for word in case.words:
        assert word in said, said
    after = snapshot(project)
    touched = {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
    assert {n for n in touched if not may_change(n, case.writes)} == set(), said
    if case.exit != 70:  # a user's mistake or the machine's refusal: no crash log
        assert not list((project / "output" / ".cache" / "logs").glob("*")), said
    assert not [f for f in project.rglob(".*.build-*")] and not [f for f in project.rglob(".*.old-*")]
    if case.check is not None:
        case.check(project, project / case.out)


def test_the_table_covers_every_finding():
    assert len(CASES) >= 40
    assert {c.finding for c in CASES} >= set(range(1, 13))  # kills and fontconfig also below, as processes


# -- processes: kills, and a font only fontconfig knows --------------------------------------------------

def _slidegen(p: Path, *args: str, env: dict | None = None, own_cache: bool = True) -> subprocess.Popen:
    """slidegen in a process of its own; ``own_cache``: its figures cached beside its output, cold."""
    base = without_shared_cache() if own_cache else dict(os.environ)
    # Ctrl-C as a terminal delivers it, even where this run was started in the background (which
    # starts it, and all it starts, with SIGINT ignored)
    return subprocess.Popen([sys.executable, "-m", "slidegen", "--root", str(p), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**base, **(env or {})},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(proc: subprocess.Popen, words: str) -> list[str]:
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if words in line:
            return seen
    raise AssertionError(f"the build ended before {words!r}: {''.join(seen)}")


def _left_running(p: Path) -> list[int]:
    """Processes still running a command on project ``p`` (a build's forked workers among them)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(p).encode() in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix", reason="needs /proc and POSIX signals")
@pytest.mark.parametrize("sig, when, code", [
    (signal.SIGTERM, "slides: laid out", 143),  # while drawing figures on both cores
    (signal.SIGTERM, "figures: drew", 143),  # while writing the PDF
    (signal.SIGINT, "slides: laid out", 130),
    (signal.SIGKILL, "slides: laid out", -signal.SIGKILL),
    (signal.SIGKILL, "figures: drew", -signal.SIGKILL),
], ids=["term-drawing", "term-writing", "int-drawing", "kill-drawing", "kill-writing"])
def test_kill(project, sig, when, code):
    """A stopped build leaves the previous output as it was, no worker running, and nothing the
    next build does not clean."""
    # stopped while drawing: a cold build in a cache of its own, drawing every figure on both cores;
    # stopped while writing: the suite's cache, so it gets there soon
    drawing = when == "slides: laid out"
    shutil.rmtree(project / "output" / ".cache", ignore_errors=True)
    rows = read_rows(project / R6 / "responses.csv")
    q4 = column(rows, "Q4")
    next(r for r in rows[1:] if r[q4] == "1")[q4] = "2"  # new data: the build cannot stop at "up to date"
    write_rows(project / "changed.csv", rows)
    before = snapshot(project)
    proc = _slidegen(project, *B, "--pdf", "--data", str(project / "changed.csv"), own_cache=drawing)
    _wait_for(proc, when)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert "Traceback" not in err
    if sig != signal.SIGKILL:
        assert ("Interrupted" if sig == signal.SIGINT else "Stopped (SIGTERM)") in err
        assert not list((project / "output").glob(".R6.*"))
    deadline = time.monotonic() + 10
    while _left_running(project) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _left_running(project) == []
    after = snapshot(project)
    assert {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)} == set()
    if sig == signal.SIGKILL:  # (a build stopped by a signal it can catch cleaned up itself: asserted above)
        # the next build cleans what a killed one left in the output folder, and completes
        done = _slidegen(project, *B, own_cache=False)
        out, err = done.communicate(timeout=300)
        assert done.returncode == 0, err
        assert not list((project / "output").glob(".R6.*"))
        deck_is_whole(project, project / OUT)


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig")
def test_a_font_matplotlib_has_not_seen_is_found_through_fontconfig(project):
    """As when BIZ UDPゴシック is installed after matplotlib wrote its font cache: fontconfig knows it."""
    env = font_folder(project)
    proc = _slidegen(project, *B, env=env)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    fonts_dir = project.parent / "fonts"
    assert f"font: {TEST_FAMILY} (set by SLIDEGEN_FONT); text measured with {TEST_FAMILY} and with IPAexゴシック" in err
    assert f"({fonts_dir / 'test-gothic.ttf'})" in err
    drawn_with_the_copy(project, project / OUT)


# -- (19) the environment, as processes: a closed pipe, a full disk ---------------------------------------

def test_a_closed_pipe_ends_quietly(built_project):
    """`slidegen tables --year R6 | head -1`: the reader goes away; slidegen ends as Unix tools do."""
    proc = subprocess.run(
        f"{sys.executable} -m slidegen --root {built_project} tables --year R6 | head -1",
        shell=True, capture_output=True, text=True, timeout=120, executable="/bin/bash",
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "failed unexpectedly" not in proc.stderr, proc.stderr
    assert not list((built_project / "output" / ".cache" / "logs").glob("*"))


@pytest.fixture
def small_disk(tmp_path):
    """A 400 kB tmpfs, less than a build writes (root and mount needed: skipped elsewhere), unmounted after."""
    disk = tmp_path / "disk"
    disk.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(disk)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    yield disk
    subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_full_disk_is_said_and_leaves_the_previous_output(built_project, small_disk):
    """A build and an update whose output does not fit on the disk: exit 1 naming the disk, no
    traceback, no crash log, and what was there before is as it was."""
    (small_disk / "keep.txt").write_text("before\n", encoding="utf-8")
    before = snapshot(built_project)
    proc = _slidegen(built_project, *B, "--out", str(small_disk / "R6"), own_cache=False)  # the output alone fills it
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "No space left on device" in err and "the disk is full" in err and "Traceback" not in err
    assert sorted(p.name for p in small_disk.iterdir() if not p.name.startswith(".")) == ["keep.txt"]
    assert not list((built_project / "output" / ".cache" / "logs").glob("*"))
    room = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (room.f_bavail * room.f_frsize - 200_000))  # less room than a deck takes
    proc = _slidegen(built_project, "update", "--year", "R6", str(built_project / OUT / "R6_deck.pptx"),
                     "--out", str(small_disk / "v2.pptx"))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1, err
    assert "the disk is full" in err and "Traceback" not in err
    assert not (small_disk / "v2.pptx").exists()
    assert (small_disk / "keep.txt").read_text(encoding="utf-8") == "before\n"
    assert snapshot(built_project) == before  # the project and its previous output untouched


def test_a_read_only_disk_is_said(built_project, tmp_path):
    """A build into a read-only disk (a tmpfs mounted ro: root and mount needed, skipped elsewhere)."""
    disk = tmp_path / "ro"
    disk.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(disk)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        proc = _slidegen(built_project, *B, "--out", str(disk / "R6"), own_cache=False)
        _, err = proc.communicate(timeout=300)
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)
    assert proc.returncode == 1, err
    assert "Read-only file system" in err and "the disk is read-only" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc").is_dir() or os.name != "posix", reason="needs /proc and POSIX signals")
def test_an_interrupted_build_by_keeps_every_finished_deck_and_no_half_one(project):
    """Ctrl-C during `build --by 団体区分`, once the first segment's deck is written: the run says
    it was interrupted, exits 130, and each segment's folder is a whole deck (its manifest's hashes
    hold) or not there — no staging folder, no half deck, no worker left."""
    proc = _slidegen(project, *B, "--by", "団体区分", own_cache=False)
    root = project / "output" / "R6" / "segments" / "団体区分"
    deadline = time.monotonic() + 120
    while not (root / "都道府県" / "manifest.json").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    finished = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))  # .cache: figures
    assert "都道府県" in finished and len(finished) < 5, finished
    for name in finished:
        deck_is_whole(project, root / name)
    assert not [p for p in root.iterdir() if ".build-" in p.name or ".old-" in p.name]
    deadline = time.monotonic() + 10
    while _left_running(project) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _left_running(project) == []
