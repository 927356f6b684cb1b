"""A ranking: one multiple-answer question's options as bars, most chosen first, その他 and
無回答 last (:func:`~slidegen.aggregate.ranked`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...aggregate import FigureTable, Row, ranked
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import ONE
from .. import style
from ..layout import bar_color
from ..native import ChartSpec, Panel, one_panel
from .base import ChartKind

if TYPE_CHECKING:  # the template's reader imports lxml: reading a codebook needs neither
    from ...inputs.template import Box
    from ..charts import Canvas


def picture(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """Bars in ranking order, その他 and 無回答 last."""
    from ..charts import bars

    bars(c, ranked(table.series[0].rows), table.unit, slot, table.series[0].name)


def panels(spec: FigureSpec, table: FigureTable) -> tuple[tuple[Panel, ...], list[Row]]:
    """One panel of bars in ranking order."""
    rows = ranked(table.series[0].rows, True)
    return one_panel(table.series[0].name, rows, [bar_color(r, style.PRIMARY) for r in rows]), rows


def workbook(spec: ChartSpec, panel: Panel) -> Any:
    """The bars' values, one series."""
    from ..pptx_chart import one_series

    return one_series(spec, panel)[0]


def native(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """One bar chart (:func:`~slidegen.figures.pptx_chart.draw_bars`)."""
    from ..pptx_chart import draw_bars

    return draw_bars(shapes, spec, box, workbook)


KIND = ChartKind(
    "ranking",
    ONE,
    ("multi",),
    ranked=True,
    picture=picture,
    panels=panels,
    workbook=workbook,
    native=native,
    default_for=frozenset({"multi"}),
)
