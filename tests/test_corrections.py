"""Corrections: a logged correction moves the deck, is reported, and rebuilds only what it touches;
stale and unknown corrections are rejected with their line; verify and diff."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, read_rows, write_rows
from pptx import Presentation

from slidegen import pipeline
from slidegen.build.cache import CACHE_VARIABLE
from slidegen.build.parallel import JOBS_VARIABLE
from slidegen.cli import main
from slidegen.errors import ResponseError
from slidegen.inputs.corrections import COLUMNS
from slidegen.inputs.project import open_year


def project(tmp_path):
    """A copy of the project's data and layouts: a project whose corrections we may write."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    return root


def body_not_linked(rows):
    """The first body without 連携 (Q1 = 2), and the Q13 cells it answered."""
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("Q1")] == "2")
    q13 = [(c, row[i]) for i, c in enumerate(header) if c.startswith("Q13_") and row[i] != ""]
    return row[0], q13


def write_log(root, lines):
    write_rows(root / "data" / "R6" / "corrections.csv", [list(COLUMNS), *lines])


def files(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "changes.txt"}


def test_a_correction_moves_figure_1_and_rebuilds_only_what_it_touches(tmp_path, own_cache, r6_build,
                                                                      shared_figure_cache):
    root = project(tmp_path)
    year = open_year(root, "R6")
    # the published deck, before the correction, its figures taken from those the session drew
    shutil.copytree(shared_figure_cache, root / "output" / ".cache" / "R6")
    pipeline.build(year, pdf=True)
    code, q13 = body_not_linked(read_rows(year.responses))
    # 連携 was in fact planned: Q1 2 → 1, and the not-linked question Q13 no longer applies
    write_log(root, [[code, "Q1", "2", "1", "回答誤り（連携予定あり）", "2025-02-03"],
                     *[[code, column, value, "", "Q1訂正に伴う", "2025-02-03"] for column, value in q13]])
    messages = []
    result = pipeline.build(year, pdf=True, progress=messages.append)

    assert f"corrections: applied {1 + len(q13)} from corrections.csv" in messages
    drawn, reused = next(m for m in messages if m.startswith("figures:")).split(", ")
    assert drawn == "figures: drew 13" and reused == "reused 5 unchanged"  # figures 14-18 do not depend on Q1
    assert "changed: スライド3 図1 連携済みまたは連携予定あり 69.5 → 69.6" in messages
    assert "changed: スライド3 図1 連携実績なし 30.5 → 30.4" in messages
    assert "changed: スライド11 図13 n 428 → 427" in messages
    assert "changed: 有効回答数 1,403 → 1,403" not in messages  # the cover's counts did not move
    report = (result.out / "changes.txt").read_text(encoding="utf-8")
    name = pipeline.load_inputs(year).master[code].name
    assert report.startswith(f"前回のビルド（manifest.json）との違い:\n訂正 0件 → {1 + len(q13)}件\n"
                             f"団体: 訂正 1、差し替え 0、追加 0、取り下げ 0\n  訂正: {code} {name}\n"
                             "スライド3 図1 連携済みまたは連携予定あり 69.5 → 69.6\n"
                             "スライド3 図1 連携済みまたは連携予定あり（件数） 975 → 976\n"
                             "スライド3 図1 連携実績なし 30.5 → 30.4\n")
    assert "影響のあるスライド: 3, 4, 5, 6, 7, 8, 9, 10, 11" in report

    # the chart follows: figure 1 is drawn again with the new share, in its hole and on its slice
    page = (result.out / "R6_deck.html").read_text(encoding="utf-8")  # the figures' SVG, inline
    svg = page[page.index('<figure id="figure-1"'):page.index('<figure id="figure-2"')]
    drawn = re.sub(r"<desc.*?</desc>", "", svg[svg.index("<svg"):svg.index("</svg>")], flags=re.S)  # what is drawn
    assert "69.6％" in drawn and "69.5％" not in drawn
    # and where it now departs from the published deck, as its description and notes say
    assert "公表値と異なる比率（連携済みまたは連携予定あり：公表値69.5％ほか1項目）は、訂正を含む現在のデータから算出した" in svg

    manifest = json.loads((result.out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"]["corrections"]["applied"] == 1 + len(q13)
    assert manifest["tables"]["figures"][0]["series"][0]["rows"][0]["value"] == 69.6
    prs = Presentation(str(result.out / "R6_deck.pptx"))
    assert f"訂正 {1 + len(q13)}件" in prs.slides[2].notes_slide.notes_text_frame.text

    # nothing changed since: the build says so and keeps the deck as it is
    again = []
    kept = pipeline.build(year, pdf=True, progress=again.append)
    assert kept.up_to_date and again[-1] == f"up to date: nothing changed since the last build of {result.out}"
    assert all(m.startswith("warning: the font ") for m in again[:-1])  # only the fallback font's warning, if any
    assert files(kept.out) == files(result.out)

    # the same bytes as a cold build of the same inputs
    cold = tmp_path / "cold"
    shutil.rmtree(root / "output" / ".cache")
    pipeline.build(year, out=cold, pdf=True)
    assert files(cold) == files(result.out)


def test_a_sentence_follows_and_the_report_shows_it(tmp_path, r6):
    root = project(tmp_path)
    year = open_year(root, "R6")
    before = pipeline.snapshot(*_inputs_and_tables(year))
    rows = read_rows(year.responses)
    header = rows[0]
    linked = [r for r in rows[1:] if r[header.index("Q1")] == "1"][:70]
    lines = []
    for r in linked:  # 70 bodies had no 連携 after all: 905 of 1,403 = 64.5 %
        lines.append([r[0], "Q1", "1", "2", "訂正", "2025-02-03"])
        lines += [[r[0], c, r[i], "", "Q1訂正に伴う", "2025-02-03"] for i, c in enumerate(header)
                  if r[i] != "" and c.split("_")[0] in {"Q2", "Q3", "Q4", "Q5", "Q6", "Q7A", "Q7B", "Q10A", "Q10B"}]
    write_log(root, lines)
    after = pipeline.snapshot(*_inputs_and_tables(year))
    from slidegen.compare.changes import compare

    changes = compare(before, after)
    assert "スライド3 図1 連携済みまたは連携予定あり 69.5 → 64.5" in changes
    assert any(line.startswith("スライド3 bullets:\n  旧「地方自治体と金融機関との連携状況を調査した結果、約7割の")
               and "新「地方自治体と金融機関との連携状況を調査した結果、約6割の" in line for line in changes)


def _inputs_and_tables(year):
    inputs = pipeline.load_inputs(year)
    return inputs, pipeline.tables(inputs)


def test_stale_and_unknown_corrections_are_rejected_with_their_line(tmp_path):
    root = project(tmp_path)
    year = open_year(root, "R6")
    code, _ = body_not_linked(read_rows(year.responses))
    write_log(root, [
        [code, "Q1", "1", "2", "二重適用", "2025-02-03"],  # the data says 2: stale, or applied twice
        ["999999", "Q1", "1", "2", "不明な団体", "2025-02-03"],
        [code, "Q99", "1", "2", "不明な設問", "2025-02-03"],
    ])
    with pytest.raises(ResponseError) as caught:
        pipeline.load_inputs(year)
    log = year.corrections
    assert [str(p) for p in caught.value.problems] == [
        f"{log}: row 団体コード {code} (line 2), column 旧値: value '1': the old value does not match the data, "
        "where Q1 of this body is '2', the correction's new value: was it applied already, or is it stale?",
        f"{log}: row 団体コード 999999 (line 3), column 団体コード: value '999999': no body with this 団体コード answered "
        "in responses.csv; check the code",
        f"{log}: row 団体コード {code} (line 4), column 設問: value 'Q99': no question column 'Q99' in the codebook; "
        "use a column name such as Q1 or Q5_03, or * to withdraw the body's answer",
    ]
    result = CliRunner().invoke(main, ["--root", str(root), "build", "--year", "R6"])
    assert result.exit_code == 1 and "Error: 3 problems in the response table; nothing was written:" in result.stderr
    assert not (root / "output" / "R6").exists()


def test_verify_passes_on_the_shipped_data():
    result = CliRunner().invoke(main, ["--root", str(ROOT), "verify", "--year", "R6"])
    assert result.exit_code == 0
    assert "ok       図2: n 975; 当初疎遠だったが、関係が深まった 30.5;" in result.stdout
    assert "無回答 1.3 (published 1.4, -0.1)" in result.stdout  # the forced difference, shown
    assert "ok       図8: n 975" in result.stdout
    assert result.stdout.endswith("All 19 checks match the published values within 0.1 points.\n")


def test_verify_fails_on_a_changed_copy(responses_copy):
    def edit(rows):
        q4 = rows[0].index("Q4")
        changed = 0
        for row in rows[1:]:
            if row[q4] == "1" and changed < 5:  # 満足している 27.5 → 27.0
                row[q4] = "3"
                changed += 1
    result = CliRunner().invoke(main, ["--root", str(ROOT), "verify", "--year", "R6", "--data", str(responses_copy(edit))])
    assert result.exit_code == 1
    assert "MISMATCH 図4: n 975; 満足している 27.0 (published 27.5, -0.5)  ← beyond the tolerance;" in result.stdout
    assert result.stderr == "Error: 1 of 19 checks differ beyond 0.1 points: 図4\n"


def test_diff_two_response_tables(r6, responses_copy):
    def edit(rows):
        q4 = rows[0].index("Q4")
        row = next(r for r in rows[1:] if r[q4] == "1")
        row[q4] = "2"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "diff", str(r6.responses), str(responses_copy(edit)), "--year", "R6"])
    assert result.exit_code == 1  # they differ, as diff(1) says
    assert result.stdout.splitlines() == [
        "スライド5 図4 満足している 27.5 → 27.4",
        "スライド5 図4 満足している（件数） 268 → 267",
        "スライド5 図4 どちらかと言えば満足している 58.6 → 58.7",
        "スライド5 図4 どちらかと言えば満足している（件数） 571 → 572",
        "影響のあるスライド: 5",
    ]
    same = CliRunner().invoke(main, ["--root", str(ROOT), "diff", str(r6.responses), str(r6.responses), "--year", "R6"])
    assert same.stdout == "No differences.\n" and same.exit_code == 0
    needs_year = CliRunner().invoke(main, ["--root", str(ROOT), "diff", str(r6.responses), str(r6.responses)])
    assert needs_year.exit_code == 1 and "say which survey year it belongs to with --year" in needs_year.stderr


def test_diff_two_manifests(r6_build, tmp_path):
    result, _ = r6_build
    manifest = result.out / "manifest.json"
    out = CliRunner().invoke(main, ["diff", str(manifest), str(manifest)])
    assert out.exit_code == 0 and out.stdout == "No differences.\n"


def test_a_rebuild_reads_the_input_files_it_kept_unless_one_changed(r6, tmp_path, responses_copy, monkeypatch):
    """The counting process keeps the input files as it read them (codebook, master list, response
    table before corrections, deck spec) in the build's cache; a rebuild after a correction, which
    changes none of them, reads them from there — the same inputs — and a changed file is read anew."""
    from slidegen.pipeline import loading

    kept = tmp_path / "cache" / "inputs.pickle"
    calls = []
    read_files = loading.read_files
    monkeypatch.setattr(loading, "read_files", lambda *args: calls.append(args) or read_files(*args))
    data = responses_copy()
    first, keep = loading.kept_files(r6, data, kept)
    assert len(calls) == 1 and not kept.exists()
    keep()  # once the data are sent
    again, keep_again = loading.kept_files(r6, data, kept)
    assert len(calls) == 1 and again == first  # from the kept file
    keep_again()
    assert loading.counted(r6, data, None, read=again)[1] == loading.counted(r6, data, None)[1]
    del calls[:]

    def changed(rows):
        q4 = rows[0].index("Q4")
        next(r for r in rows[1:] if r[q4] == "1")[q4] = "2"

    other, _ = loading.kept_files(r6, responses_copy(changed, name="changed.csv"), kept)
    assert len(calls) == 1 and other.table != first.table  # the table changed: read anew
    kept.write_bytes(b"not a pickle")
    assert loading.kept_files(r6, data, kept)[0] == first and len(calls) == 2  # a broken file: read anew
    assert first.published is not None and first.published["figures"]  # the published values, kept too


def test_a_rebuild_after_a_correction_imports_no_yaml_parser(tmp_path):
    """Every YAML input (codebook, deck spec, layouts, published values) is kept as read: a rebuild
    after a correction imports PyYAML in none of its processes (12 ms each); a first build reads them."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    code = (
        "import os, sys\n"
        "seen = sys.argv[1]\n"
        "def said():\n"
        "    with open(seen, 'a') as f:\n"
        "        f.write(f\"{'yaml' in sys.modules}\\n\")\n"
        "_exit = os._exit\n"
        "os._exit = lambda code: (said(), _exit(code))\n"
        "sys.argv = ['slidegen', '--root', sys.argv[2], 'build', '--year', 'R6']\n"
        "from slidegen.cli import run\nrun()\n"
    )
    seen = tmp_path / "seen.txt"
    env = {k: v for k, v in os.environ.items() if k not in (CACHE_VARIABLE, JOBS_VARIABLE)}
    subprocess.run([sys.executable, "-c", code, str(seen), str(project)], check=True, capture_output=True, env=env)
    assert "True" in seen.read_text()  # a first build reads the YAML files
    seen.unlink()
    rows = read_rows(project / "data" / "R6" / "responses.csv")
    q4 = rows[0].index("Q4")
    body = next(r for r in rows[1:] if r[q4] == "1")[0]
    log = project / "data" / "R6" / "corrections.csv"
    log.write_text(f"\ufeff団体コード,設問,旧値,新値,理由,日付\n{body},Q4,1,2,テスト,2025-02-03\n", encoding="utf-8")
    subprocess.run([sys.executable, "-c", code, str(seen), str(project)], check=True, capture_output=True, env=env)
    assert set(seen.read_text().split()) == {"False"} and len(seen.read_text().split()) >= 2  # every process
