"""A gap: the options where a paired figure's two series differ most (a difference in points or
a ratio), derived from that figure, as bars in the order the aggregate ranked them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...aggregate import FigureTable, Row
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import DERIVED
from .. import style
from ..layout import bar_color
from ..native import Panel, one_panel
from .base import ChartKind
from .ranking import native, workbook  # bars, as a ranking draws them

if TYPE_CHECKING:
    from ..charts import Canvas


def picture(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """The top gaps, in the order the aggregate ranked them."""
    from ..charts import bars

    bars(c, list(table.series[0].rows), table.unit, slot, table.series[0].name)


def panels(spec: FigureSpec, table: FigureTable) -> tuple[tuple[Panel, ...], list[Row]]:
    """One panel of bars in the aggregate's order."""
    rows = list(table.series[0].rows)
    return one_panel(table.series[0].name, rows, [bar_color(r, style.PRIMARY) for r in rows]), rows


KIND = ChartKind(
    "gap",
    DERIVED,
    ("single", "multi"),
    ranked=True,
    picture=picture,
    panels=panels,
    workbook=workbook,
    native=native,
    default_for=frozenset({"single", "multi"}),
)
