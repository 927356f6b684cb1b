"""Readable snapshots of what the R6 build says: a change to the deck's text or numbers shows as a
diff of a reviewed text file, not as a changed hash.

``tests/snapshots/R6-deck.txt`` holds, slide by slide, every text slidegen wrote (by the shape's
stable name), every chart's data (series, labels and values), the labels' cached texts and titles,
each figure's alt text and the notes; ``tests/snapshots/R6-tables.txt`` is ``slidegen tables``.
A change that means to alter them rewrites the files in the same commit, after reading the diff:

    SLIDEGEN_SNAPSHOTS=write python -m pytest tests/test_snapshots.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT
from pptx import Presentation

from slidegen.cli import main
from slidegen.figures.pptx_chart import cached_texts
from slidegen.record.located import paragraph_text, paragraphs_of, walk

SNAPSHOTS = Path(__file__).parent / "snapshots"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def deck_text(path: Path) -> str:
    lines = []
    for k, slide in enumerate(Presentation(str(path)).slides, start=1):
        lines.append(f"== スライド{k} ({slide.slide_layout.name})")
        for shape in walk(slide.shapes):
            descr = shape._element.xpath("./*[1]/p:cNvPr/@descr")
            if descr:
                lines.append(f"[{shape.name}] alt: {descr[0]}")
            if getattr(shape, "has_chart", False):
                plot = shape.chart.plots[0]
                categories = [str(c) for c in plot.categories]
                for series in plot.series:
                    values = " | ".join(f"{c} {v}" for c, v in zip(categories, series.values))
                    lines.append(f"[{shape.name}] {series.name}: {values}")
                labels = [
                    " / ".join(paragraph_text(p) for p in d_lbl.iter(f"{A}p"))
                    for d_lbl in shape.chart._chartSpace.iter(f"{C}dLbl")
                    if d_lbl.find(f"{C}tx") is not None
                ]
                if labels:
                    lines.append(f"[{shape.name}] labels: {' | '.join(labels)}")
                cached = [t for t in cached_texts(shape.chart) if t]
                if cached:
                    lines.append(f"[{shape.name}] cached: {' | '.join(cached)}")
            elif shape.has_text_frame:
                for p in paragraphs_of(shape):
                    text = paragraph_text(p)
                    if text:
                        lines.append(f"[{shape.name}] {text}")
        if slide.has_notes_slide:
            lines += [f"  note: {line}" for line in slide.notes_slide.notes_text_frame.text.split("\n") if line]
    return "\n".join(lines) + "\n"


def compare(name: str, made: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("SLIDEGEN_SNAPSHOTS") == "write":
        path.parent.mkdir(exist_ok=True)
        path.write_text(made, encoding="utf-8")
    recorded = path.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(recorded.splitlines(True), made.splitlines(True), name, "this build", n=1))
    assert made == recorded, f"{name} differs (SLIDEGEN_SNAPSHOTS=write to record it):\n{diff}"


def test_the_deck_says_what_was_reviewed(r6_build):
    result, _ = r6_build
    compare("R6-deck.txt", deck_text(result.out / "R6_deck.pptx"))


def test_the_tables_say_what_was_reviewed():
    result = CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6"])
    assert result.exit_code == 0, result.output
    compare("R6-tables.txt", result.stdout)
