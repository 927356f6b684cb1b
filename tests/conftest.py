"""Shared fixtures: the project's R6 inputs, and helpers that write altered copies of them."""

from __future__ import annotations

import csv
import io
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
