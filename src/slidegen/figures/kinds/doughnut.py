"""A doughnut: one single-answer question's shares in questionnaire order, clockwise from the
top, each slice labelled outside the ring, and the share of one option (``center``) in the hole.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ...aggregate import FigureTable, Row, ranked
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import ONE
from .. import style, wording
from ..layout import doughnut_colors, em_width
from ..native import ChartSpec, Panel, one_panel
from .base import ChartKind

if TYPE_CHECKING:  # the template's reader imports lxml: reading a codebook needs neither
    from ...inputs.template import Box
    from ..charts import Canvas

#: the hole's diameter as a share of the ring's (PowerPoint's holeSize): one half, the hole
#: LibreOffice draws whatever holeSize says (issue 23: at 64 % the native chart's hole was 51 % in
#: LibreOffice's render and 64 % in the PDF), so that PowerPoint, LibreOffice and the PDF agree
HOLE = 0.5
#: a slice this wide (degrees) is the whole ring: its label stands at the ring's right, not below it
WHOLE = 359.9


def picture(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """A doughnut in questionnaire order, its centre option's share in the hole."""
    rows = table.series[0].rows
    center = None
    if spec.center is not None:
        option = codebook.questions[spec.series[0].question].option(spec.center)
        row = next(r for r in rows if r.code == spec.center)
        center = replace(row, label=option.short_label or option.label)
    _draw(c, list(rows), center)


def _draw(c: Canvas, rows: list[Row], center: Row | None) -> None:
    """A ring of the shares in option order, clockwise from the top, labelled outside; the
    ``center`` option's short label and share in the hole."""
    import math

    cx, cy = c.width / 2, c.height / 2
    radius = c.height * 0.42
    ring = radius * (1 - HOLE)
    total = sum(r.count or 0 for r in rows)
    angle = 90.0
    for r, color in zip(rows, doughnut_colors(rows)):
        sweep = 360.0 * (r.count or 0) / total
        c.wedge(cx, cy, radius, angle - sweep, angle, ring, color, f"bar::{r.label}")
        mid = math.radians(angle - sweep / 2 if sweep < WHOLE else 0.0)  # a whole ring: labelled at its right
        x = cx + (radius + 14) * math.cos(mid)
        y = cy + (radius + 14) * math.sin(mid)
        right = math.cos(mid) >= 0
        label = c.wrap(r.label, c.width / 2 - radius - 30, style.LABEL_PT) + "\n" + wording.percent_text(r.value)
        c.text(
            x,
            y,
            label,
            style.LABEL_PT,
            f"label:{r.label}",
            ha="left" if right else "right",
            va="center",
            multialignment="left" if right else "right",
        )
        angle -= sweep
    if center is not None:
        name = c.wrap(center.label, radius * HOLE * 2, style.LABEL_PT, 2)  # as wide as the hole
        c.text(cx, cy + 2, name, style.LABEL_PT, "center-label", ha="center", va="bottom", multialignment="center")
        c.text(
            cx,
            cy - 2,
            wording.percent_text(center.value),
            style.CENTER_PT,
            "center",
            ha="center",
            va="top",
            color=style.PRIMARY,
        )


def panels(spec: FigureSpec, table: FigureTable) -> tuple[tuple[Panel, ...], list[Row]]:
    """One panel, its slices in questionnaire order, the first in the main colour."""
    rows = ranked(table.series[0].rows, False)
    return one_panel(table.series[0].name, rows, doughnut_colors(rows)), rows


def workbook(spec: ChartSpec, panel: Panel) -> Any:
    """The slices' values, and the centre share as a formula (the chart's title)."""
    from ..pptx_chart import Cell, one_series

    data, cells = one_series(spec, panel)
    if spec.center is not None:
        short, share, at = spec.center
        row = len(panel.bars) + 3
        cells += [
            Cell(f"A{row}", f"{short}（グラフの見出し）"),
            Cell(f"B{row}", wording.percent_text(share), f'=TEXT(B{at + 2},"0.0")&"％"'),
        ]
    return data


def native(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A doughnut clockwise from the top in option order, each slice's label and share its data
    label outside the ring, the centre share the chart's title (a formula of the workbook) in the
    hole under the option's short label. The chart spans the figure's box, the ring placed in it."""
    import math

    from lxml import etree
    from pptx.enum.chart import XL_CHART_TYPE

    from ...inputs.template import Box
    from ...ooxml import EMU_PER_PT, C, sub
    from ..pptx_chart import data_label, east_asian, linked_title, paint, plot_area, set_labels, textbox

    panel = spec.panels[0]
    data = workbook(spec, panel)
    frame = shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, box.left, box.top, box.width, box.height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.vary_by_categories = True
    for i, bar in enumerate(panel.bars):
        point = plot.series[0].points[i]
        point.format.fill.solid()
        paint(point.format.fill.fore_color, bar.color)
        paint(point.format.line.color, "bg1")
    doughnut = chart._chartSpace.find(f".//{{{C}}}doughnutChart")
    for tag, value in (("firstSliceAng", "0"), ("holeSize", str(int(HOLE * 100)))):
        element = doughnut.find(f"{{{C}}}{tag}")
        if element is None:
            element = etree.SubElement(doughnut, f"{{{C}}}{tag}")
        element.set("val", value)
    side = int(min(box.width, box.height) * 0.84)  # the ring's square, centred in the box
    ring = Box(box.left + (box.width - side) // 2, box.top + (box.height - side) // 2, side, side)
    plot_area(
        frame,
        (ring.left - box.left) / box.width,
        side / box.width,
        (ring.top - box.top) / box.height,
        side / box.height,
    )
    cx, cy, radius = ring.left + side / 2, ring.top + side / 2, side / 2
    total = sum(b.value for b in panel.bars) or 1.0
    angle = 0.0  # degrees clockwise from 12 o'clock
    labels = []
    for i, bar in enumerate(panel.bars):
        sweep = 360.0 * bar.value / total
        mid = math.radians(angle + sweep / 2 if sweep < WHOLE else 90.0)  # a whole ring: labelled at its right
        angle += sweep
        texts = [bar.label, wording.percent_text(bar.value)]
        # the label's width as a renderer may set it (wider than measured: its left or right edge
        # must clear the ring, and only its centre can be placed)
        width = (max(em_width(t, style.LABEL_PT) for t in texts) * 1.1 + 6) * EMU_PER_PT
        right = math.sin(mid) >= 0
        x = cx + (radius + 8 * EMU_PER_PT) * math.sin(mid)
        y = cy - (radius + 8 * EMU_PER_PT) * math.cos(mid)
        centre = (x + width / 2 if right else x - width / 2, y)
        r_mid = radius * (1 + HOLE) / 2  # a doughnut's label sits on its slice, halfway across the ring
        default = (cx + r_mid * math.sin(mid), cy - r_mid * math.cos(mid))
        offset = ((centre[0] - default[0]) / box.width, (centre[1] - default[1]) / box.height)
        paragraphs = [
            [("r", bar.label, style.INK)],
            [("VALUE", f"{bar.value:.1f}", style.INK), ("r", "％", style.INK)],
        ]
        labels.append(data_label(i, paragraphs, style.LABEL_PT, "l" if right else "r", offset))
    set_labels(plot.series[0], labels)
    leaders = chart._chartSpace.find(f".//{{{C}}}dLbls")
    sub(leaders, "c:showLeaderLines", val=0)
    east_asian(chart, style.LABEL_PT)
    made = [frame]
    if spec.center is not None:
        short, share, at = spec.center
        hole = int(side * HOLE)  # the short label's box: as wide as the hole
        made.append(
            textbox(
                shapes,
                Box(int(cx - hole / 2), int(cy - hole / 2), hole, int(hole / 2)),
                [(short, style.LABEL_PT, style.INK)],
                "ctr",
                "b",
            )
        )
        text = wording.percent_text(share)
        width = em_width(text, style.CENTER_PT) * EMU_PER_PT
        at_xy = ((cx - width / 2 - box.left) / box.width, (cy + 2 * EMU_PER_PT - box.top) / box.height)
        linked_title(chart, f"Sheet1!$B${len(panel.bars) + 3}", text, at_xy, style.CENTER_PT, style.PRIMARY)
    return made


KIND = ChartKind(
    "doughnut",
    ONE,
    ("single",),
    ranked=False,
    picture=picture,
    panels=panels,
    workbook=workbook,
    native=native,
    annotations=frozenset({"center", "bracket"}),
    labels_at_parts=True,
)
