"""What a chart kind is (:class:`ChartKind`): the record each kind's module fills in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...aggregate import FigureTable, Row
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import Shape
from ..native import ChartSpec, Panel

if TYPE_CHECKING:  # the template's reader imports lxml: reading a codebook needs neither
    from ...inputs.template import Box
    from ..charts import Canvas


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart: its rules and its renderers.

    ``shape`` is what the figure tabulates (:data:`~slidegen.inputs.kinds.ONE`, ``PAIR``,
    ``DERIVED``); ``answers`` the answer kinds of its question (single, multi); ``ranked`` whether
    its rows are shown in ranking order (else in codebook order); ``annotations`` which of
    ``bracket``, ``center`` and ``gains`` a figure of this kind may carry; ``default_for`` the
    answer kinds for which it is its shape's default. ``labels_at_parts``: its value labels sit by
    the parts they name (a band's under its segments, a doughnut's by its slices), not at the end
    of bars on a value axis; ``parts_are_series``: each part is a series of its chart (a band's
    options), not a category.

    ``picture`` draws the figure on a :class:`~slidegen.figures.charts.Canvas` (a drawing of shapes);
    ``panels`` gives the native chart's panels and the first series' rows in the order shown;
    ``workbook`` one panel's chart data (with the formulas of its computed labels); ``native``
    draws the native chart into a slide's shapes and returns the shapes made, to be grouped.
    """

    name: str
    shape: Shape
    answers: tuple[str, ...]
    ranked: bool
    picture: Callable[[Canvas, FigureSpec, FigureTable, Codebook, str], None]
    panels: Callable[[FigureSpec, FigureTable], tuple[tuple[Panel, ...], list[Row]]]
    workbook: Callable[[ChartSpec, Panel], Any]
    native: Callable[[Any, ChartSpec, Box], list[Any]]
    annotations: frozenset[str] = frozenset()
    default_for: frozenset[str] = frozenset()
    labels_at_parts: bool = False
    parts_are_series: bool = False
