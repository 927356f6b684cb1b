"""The chart kinds, one module each: what a kind accepts, how it orders its rows, which
annotations it carries, and how it is drawn for every output — the picture (a drawing of
shapes: SVG for the web page and the PDF, PNG where a picture is shown) and the native PowerPoint chart — side by side.

A figure of the codebook names its kind (``chart: band``) or gets its shape's default. The
codebook is checked against :data:`KINDS` (:func:`slidegen.inputs.codebook.load_codebook`); the
figures stage draws a picture with the kind's ``picture``; the slide model asks it for the native
chart's panels (:func:`chart_spec`); the PPTX writer draws the chart with its ``native``.

Adding a kind is one module that defines ``KIND`` and one line in :data:`KINDS`. No kind's name
is written anywhere else: what other stages need to know of a kind is a field of
:class:`ChartKind` (``tests/test_layout.py`` holds the package to this). The modules import their
drawing libraries only when they draw, so reading a codebook stays quick.
"""

from __future__ import annotations

from typing import Any

from ...aggregate import TIMES, FigureTable, share
from ...inputs.codebook import Codebook, FigureSpec
from ..native import ChartSpec, Panel
from . import band, doughnut, gap, paired, ranking
from .base import ChartKind

__all__ = ["KINDS", "ChartKind", "chart_data", "chart_spec"]

#: every kind by name, in the order the codebook's messages list them
KINDS: dict[str, ChartKind] = {k.KIND.name: k.KIND for k in (doughnut, band, ranking, paired, gap)}


def chart_spec(spec: FigureSpec, table: FigureTable, codebook: Codebook, alt_text: str) -> ChartSpec:
    """The native chart of a figure whose table has been marked (※1 after footnoted labels): its
    kind's panels, the number format, a doughnut's centre and a band's bracket."""
    number_format = '0.0"倍"' if table.unit == TIMES else "0.0"
    panels, rows = KINDS[spec.chart].panels(spec, table)
    center = None
    if spec.center is not None:
        option = codebook.questions[spec.series[0].question].option(spec.center)
        value = next(r.value for r in table.series[0].rows if r.code == spec.center)
        at = next(i for i, r in enumerate(rows) if r.code == spec.center)
        center = (option.short_label or option.label, value, at)
    bracket = None
    if spec.bracket is not None:
        indexes = [i for i, r in enumerate(table.series[0].rows) if r.code in spec.bracket.codes]
        bracket = (spec.bracket.label, share(table, spec.bracket.codes), indexes[0], indexes[-1])
    return ChartSpec(spec.number, spec.chart, panels, number_format, alt_text, center, bracket)


def chart_data(spec: ChartSpec, panel: Panel) -> Any:
    """One panel's data as its kind puts it in the chart's workbook (what ``update`` replaces)."""
    return KINDS[spec.kind].workbook(spec, panel)
