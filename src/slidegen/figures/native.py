"""What a native PowerPoint chart of a figure shows, decided once for every output.

:func:`chart_spec` turns a figure's table into a :class:`ChartSpec`: its panels (one; two for a
paired figure, on one scale), each bar's label (with its ※ mark), value and colour, in the order
the matplotlib figure draws them, the number format (one decimal; 倍 for ratios) and the point
gains a paired figure prints. The PPTX writer draws it with python-pptx's chart API, the data in
the chart's embedded workbook, so 「データの編集」 in PowerPoint shows the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..aggregate import TIMES, FigureTable, Row, point_gains, ranked, share
from ..inputs.codebook import Codebook, FigureSpec
from ..inputs.kinds import KINDS
from . import style
from .layout import band_colors, bar_color, doughnut_colors


@dataclass(frozen=True)
class Bar:
    """One bar: its label as the figure prints it, its value and its colour (#RRGGBB)."""

    label: str
    value: float
    color: str


@dataclass(frozen=True)
class Panel:
    """One series drawn as bars: its name, the header above it, its bars, and the text printed
    beside some of them (a gain: 「+13.1pt」), by bar index."""

    name: str
    header: str
    bars: tuple[Bar, ...]
    notes: dict[int, str] = field(default_factory=dict)
    #: a paired figure's second panel: the least gain its labels print (its gains are this panel's
    #: values less the first panel's, computed in the chart's workbook so PowerPoint recomputes them)
    gain_min: float | None = None


@dataclass(frozen=True)
class ChartSpec:
    """A figure as a native chart: its kind, panels and number format (the scale is the renderer's:
    no fixed maximum, so an edited value is never cut off)."""

    number: int
    kind: str
    panels: tuple[Panel, ...]
    number_format: str  # Excel's: 0.0, or 0.0"倍"
    alt_text: str
    center: tuple[str, float, int] | None = None  # a doughnut's hole: the option's short label, its share and bar
    bracket: tuple[str, float, int, int] | None = None  # a band's bracket: label, share, first and last bar


def _palette(kind: str, rows: list[Row], favourable: tuple[int, ...] = ()) -> list[str]:
    """Each row's colour, by the rules the matplotlib figure of ``kind`` follows (:mod:`.layout`)."""
    if kind == "band":
        return band_colors(rows, favourable)
    if kind == "doughnut":
        return doughnut_colors(rows)
    return [bar_color(r, style.PRIMARY) for r in rows]


def chart_spec(spec: FigureSpec, table: FigureTable, codebook: Codebook, alt_text: str) -> ChartSpec:
    """The native chart of a figure whose table has been marked (※1 after footnoted labels)."""
    number_format = '0.0"倍"' if table.unit == TIMES else "0.0"
    if spec.chart == "paired":
        first = ranked(table.series[0].rows)
        position = {r.label: i for i, r in enumerate(first)}
        second = sorted(table.series[1].rows, key=lambda r: position[r.label])
        gains = {} if spec.gain_min is None else {r.code: g for r, g in point_gains(table) if g >= spec.gain_min}
        notes = {i: style.gain_text(gains[r.code]) for i, r in enumerate(second) if r.code in gains}
        panels = tuple(
            Panel(
                s.name, legend.legend or s.name, tuple(Bar(r.label, r.value, bar_color(r, color)) for r in rows), n, m
            )
            for s, legend, rows, color, n, m in zip(
                table.series,
                spec.series,
                (first, second),
                (style.SECONDARY, style.PRIMARY),
                ({}, notes),
                (None, spec.gain_min),
            )
        )
    else:
        rows = (
            list(ranked(table.series[0].rows, KINDS[spec.chart].ranked))
            if spec.chart != "gap"
            else list(table.series[0].rows)
        )
        name = table.series[0].name
        panels = (
            Panel(
                name,
                name,
                tuple(
                    Bar(r.label, r.value, c)
                    for r, c in zip(rows, _palette(spec.chart, rows, spec.bracket.codes if spec.bracket else ()))
                ),
            ),
        )
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
