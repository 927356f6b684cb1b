"""A 100 % band: one single-answer question's shares in questionnaire order, each part labelled
under its segment (or hung from a leader in a tier below where it is too narrow), and an
optional bracket above summing the favourable parts (「深い連携関係を維持・構築→91.3％」).

The rule for the labels is :func:`~slidegen.figures.layout.band_labels`, shared by the picture
and the native chart, so the two place them alike.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ...aggregate import FigureTable, Row, ranked, share
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import ONE
from .. import style, wording
from ..layout import BAND_MARGIN, BRACKET_RISE, BRACKET_TEXT, BRACKET_TOP, band_colors, band_frame, em_width
from ..native import ChartSpec, Panel, one_panel
from ..style import LINE
from .base import ChartKind

if TYPE_CHECKING:  # the template's reader imports lxml: reading a codebook needs neither
    from ...inputs.template import Box
    from ..charts import Canvas


def picture(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """A 100 % band in questionnaire order, with its bracket."""
    rows = table.series[0].rows
    bracket = None
    if spec.bracket:
        indexes = [i for i, r in enumerate(rows) if r.code in spec.bracket.codes]
        bracket = (spec.bracket.label, share(table, spec.bracket.codes), indexes)
    _draw(c, list(rows), bracket, spec.bracket.codes if spec.bracket else ())


def _draw(
    c: Canvas, rows: list[Row], bracket: tuple[str, float, list[int]] | None, favourable: Collection[int] = ()
) -> None:
    """One 100 % bar split in option order — the favourable answers in the main hues, the others in
    a contrasting one — each part labelled below with its share (under its own part, or hanging
    from a leader: :func:`~slidegen.figures.layout.band_labels`), and an optional bracket above
    summing some parts; all where :func:`~slidegen.figures.layout.band_frame` puts them."""
    frame = band_frame(
        c.width,
        c.height,
        [r.label for r in rows],
        [r.count or 0 for r in rows],
        [wording.value_text(r.value, "percent") for r in rows],
        bracket is not None,
    )
    y_band, band_h = frame.bottom, frame.thickness
    for r, (a, b), color in zip(rows, frame.spans, band_colors(rows, favourable)):
        c.bar(a, y_band, b - a, band_h, color, f"bar::{r.label}")
        if 0 < b - a < style.THIN_PART_PT:  # a sliver stays visible: outlined
            c.outline(a, y_band, b - a, band_h, style.MUTED, 0.75, f"outline:{r.label}")
    for r, parts, (a, b), place in zip(rows, frame.lines, frame.spans, frame.places):
        y_label = y_band - frame.gap - place.tier * frame.tier
        text = "\n".join(parts)
        x = (place.left + place.right) / 2  # centred in its box (LabelPlace)
        c.text(x, y_label, text, style.LABEL_PT, f"label:{r.label}", ha="center", va="top", multialignment="center")
        if place.leader:
            mid = (a + b) / 2
            c.line([mid, mid], [y_band, y_label + 2], style.MUTED, style.LEADER_PT, gid=f"leader:{r.label}")
    if bracket:
        label, value, indexes = bracket
        a, b = frame.spans[indexes[0]][0], frame.spans[indexes[-1]][1]
        y, corner = y_band + band_h + BRACKET_RISE, y_band + band_h + BRACKET_TOP
        c.line([a + 1, a + 1, b - 1, b - 1], [y, corner, corner, y], style.ACCENT, 1.2, gid="bracket-line")
        c.text(
            (a + b) / 2,
            y_band + band_h + BRACKET_TEXT,
            wording.bracket_text(label, value),
            style.LABEL_PT,
            "bracket",
            ha="center",
            va="bottom",
            color=style.ACCENT_TEXT,
        )


def panels(spec: FigureSpec, table: FigureTable) -> tuple[tuple[Panel, ...], list[Row]]:
    """One panel, its parts in questionnaire order, coloured as favourable or not."""
    rows = ranked(table.series[0].rows, False)
    colors = band_colors(rows, spec.bracket.codes if spec.bracket else ())
    return one_panel(table.series[0].name, rows, colors), rows


def workbook(spec: ChartSpec, panel: Panel) -> Any:
    """One series per option (one value each), and the bracket's sum as a formula."""
    from ..pptx_chart import Cell, chart_data, column

    data, cells = chart_data(spec.number_format)
    data.categories = [panel.name]
    for b in panel.bars:
        data.add_series(b.label, [b.value])
    if spec.bracket is not None:
        text, value, first, last = spec.bracket
        total = "+".join(f"{column(i)}2" for i in range(first, last + 1))
        cells += [
            Cell("A4", f"「{text}」の合計（グラフの見出し）"),
            Cell("A5", wording.bracket_text(text, value), f'="{text}→"&TEXT({total},"0.0")&"％"'),
        ]
    return data


def native(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A 100 % band in option order — a stacked-bar chart with one series per option, its data in
    the workbook, spanning the figure's box with the band placed in it — each part's label and
    share its data label under its own segment, or moved to a tier below and hung from a leader
    line where it is too wide for it (the picture's rule:
    :func:`~slidegen.figures.layout.band_labels`); the bracket's sum the chart's title (a formula
    of the workbook) above the bracket's lines, which are shapes grouped with the chart."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Pt

    from ...ooxml import EMU_PER_PT
    from ..pptx_chart import data_label, east_asian, linked_title, paint, plot_area, set_labels

    panel = spec.panels[0]
    pt = EMU_PER_PT
    width, height = box.width / pt, box.height / pt
    laid = band_frame(
        width,
        height,
        [b.label for b in panel.bars],
        [b.value for b in panel.bars],
        [wording.value_text(b.value, "percent") for b in panel.bars],
        spec.bracket is not None,
    )

    def at(x: float, y: float) -> tuple[float, float]:  # the frame's points (y up) on the slide, in EMU
        return box.left + x * pt, box.top + (height - y) * pt

    x0, x1 = at(BAND_MARGIN, 0)[0], at(width - BAND_MARGIN, 0)[0]
    band_h = laid.thickness * pt
    y_band = at(0, laid.bottom + laid.thickness)[1]  # the band's top
    line = style.LABEL_PT * LINE * pt
    spans = [(at(a, 0)[0], at(e, 0)[0]) for a, e in laid.spans]
    places, wrapped = laid.places, [parts[:-1] for parts in laid.lines]

    data = workbook(spec, panel)
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, box.left, box.top, box.width, box.height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.gap_width = 0
    plot.overlap = 100
    for series, b, (a, e) in zip(plot.series, panel.bars, spans):
        series.format.fill.solid()
        paint(series.format.fill.fore_color, b.color)
        if 0 < e - a < style.THIN_PART_PT * pt:  # a sliver stays visible: outlined
            paint(series.format.line.color, style.MUTED)
            series.format.line.width = Pt(0.75)
    chart.category_axis.visible = False
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    plot_area(
        frame, (x0 - box.left) / box.width, (x1 - x0) / box.width, (y_band - box.top) / box.height, band_h / box.height
    )
    centre_y = y_band + band_h / 2
    for series, b, (a, e), place, parts in zip(plot.series, panel.bars, spans, places, wrapped):
        top = at(0, laid.bottom - laid.gap - place.tier * laid.tier)[1]
        tall = (len(parts) + 1) * line
        offset = (
            (at((place.left + place.right) / 2, 0)[0] - (a + e) / 2) / box.width,
            (top + tall / 2 - centre_y) / box.height,
        )
        paragraphs = [[("r", t, style.INK)] for t in parts] + [[("VALUE", f"{b.value:.1f}", style.INK)]]
        set_labels(series, [data_label(0, paragraphs, style.LABEL_PT, "ctr", offset, "ctr")], leader=place.leader)
    east_asian(chart, style.LABEL_PT)
    made = [frame]
    if spec.bracket is not None:
        text, value, first, last = spec.bracket
        a, e = spans[first][0] + pt, spans[last][1] - pt
        y = y_band - BRACKET_RISE * pt
        corner = y_band - BRACKET_TOP * pt
        for xa, ya, xb, yb in ((a, y, a, corner), (a, corner, e, corner), (e, corner, e, y)):
            edge = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, int(xa), int(ya), int(xb), int(yb))
            paint(edge.line.color, style.ACCENT)
            edge.line.width = Pt(1.2)
            made.append(edge)
        said = wording.bracket_text(text, value)
        left = (a + e) / 2 - em_width(said, style.LABEL_PT) * pt / 2
        where = ((left - box.left) / box.width, (y_band - BRACKET_TEXT * pt - line - box.top) / box.height)
        linked_title(chart, "Sheet1!$A$5", said, where, style.LABEL_PT, style.ACCENT_TEXT)
    return made


KIND = ChartKind(
    "band",
    ONE,
    ("single",),
    ranked=False,
    picture=picture,
    panels=panels,
    workbook=workbook,
    native=native,
    annotations=frozenset({"bracket"}),
    default_for=frozenset({"single"}),
    labels_at_parts=True,
    parts_are_series=True,
)
