"""What a native PowerPoint chart of a figure shows: a :class:`ChartSpec` — its panels (one; two
for a paired figure, on one scale), each bar's label (with its ※ mark), value and colour, in the
order the picture draws them, the number format (one decimal; 倍 for ratios) and the
point gains a paired figure prints.

:func:`slidegen.figures.kinds.chart_spec` makes one from a figure's table, each kind deciding its
panels; the kind's native renderer draws it with :mod:`slidegen.figures.pptx_chart`, the data in
the chart's embedded workbook, so 「データの編集」 in PowerPoint shows the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..aggregate import Row


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


def one_panel(name: str, rows: list[Row], colors: list[str]) -> tuple[Panel, ...]:
    """The single panel of a figure of one series: its rows, in the order shown, as bars in ``colors``."""
    return (Panel(name, name, tuple(Bar(r.label, r.value, c) for r, c in zip(rows, colors))),)
