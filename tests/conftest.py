"""Shared fixtures: the project's R6 inputs, and helpers that write altered copies of them."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from slidegen import pipeline
from slidegen.inputs.project import open_year

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def r6():
    """The shipped R6 year."""
    return open_year(ROOT, "R6")


@pytest.fixture(scope="session")
def r6_inputs(r6):
    return pipeline.load_inputs(r6)


@pytest.fixture(scope="session")
def r6_tables(r6_inputs):
    return pipeline.tables(r6_inputs)


@pytest.fixture(scope="session")
def theme():
    """The theme of slidegen's own template: the colours and fonts the deck is drawn in."""
    from slidegen.inputs.template import read_theme

    return read_theme(ROOT / "layouts" / "slidegen.pptx")


def read_rows(path: Path) -> list[list[str]]:
    """The shipped response table as a list of rows (header first)."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.fixture
def responses_copy(r6, tmp_path):
    """Edit a copy of the R6 response table: ``edit(fn)`` calls ``fn(rows)`` and returns the copy's path."""

    def edit(fn=None, name="responses.csv", encoding="utf-8-sig") -> Path:
        rows = read_rows(r6.responses)
        if fn is not None:
            fn(rows)
        return write_rows(tmp_path / name, rows, encoding)

    return edit


@pytest.fixture(scope="session")
def r6_build(r6, tmp_path_factory):
    """The R6 deck built once, with its PDF: (BuildResult, progress messages)."""
    out = tmp_path_factory.mktemp("deck") / "R6"
    messages: list[str] = []
    result = pipeline.build(r6, out=out, pdf=True, progress=messages.append)
    return result, messages


def charts_of(prs) -> dict[str, object]:
    """Every chart in a deck by its shape name, groups opened."""
    found = {}

    def walk(shapes):
        for shape in shapes:
            if shape.shape_type == 6:  # a group
                walk(shape.shapes)
            elif shape.has_chart:
                found[shape.name] = shape

    for slide in prs.slides:
        walk(slide.shapes)
    return found


FLIPPED = 70  # bodies moved from 連携あり to 連携なし: figure 1 from 69.5 % to 64.5 %


def corrected_year(r6, folder: Path):
    """A copy of the project whose corrections log moves the first FLIPPED linked bodies to
    連携なし — Q1 2, every question asked of linked bodies blanked, a reason for not linking
    (Q13_01) — one line per cell, as the secretariat's log records a correction."""
    project = folder / "project"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    inputs = pipeline.load_inputs(r6)
    linked = [q.id for q in inputs.codebook.questions.values() if q.base == "linked"]
    rows = read_rows(r6.responses)
    header = rows[0]
    q1 = header.index("Q1")
    lines = [["団体コード", "設問", "旧値", "新値", "理由", "日付"]]
    for row in [r for r in rows[1:] if r[q1] == "1"][:FLIPPED]:
        for i, column in enumerate(header):
            new = row[i]
            if column == "Q1":
                new = "2"
            elif any(column == q or column.startswith(f"{q}_") for q in linked):
                new = ""
            elif column.startswith("Q13_"):
                new = "1" if column == "Q13_01" else "0"
            if new != row[i]:
                lines.append([row[0], column, row[i], new, "回答の訂正（連携なし）", "2025-02-03"])
    write_rows(project / "data" / "R6" / "corrections.csv", lines)
    return open_year(project, "R6")


def deck_and_correction(r6, r6_build, folder: Path) -> tuple[Path, object]:
    """A copy of the session's R6 deck in ``folder``, and a project there whose corrections move
    figure 1 to 64.5 % (:func:`corrected_year`): what the tests of an edited deck start from."""
    deck = folder / "R6_deck.pptx"
    shutil.copy(r6_build[0].out / "R6_deck.pptx", deck)
    return deck, corrected_year(r6, folder)
