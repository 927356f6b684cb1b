"""Native PowerPoint charts: a figure's :class:`~slidegen.figures.native.ChartSpec` drawn with
python-pptx's chart API, its data in the chart's embedded workbook.

An official can change a colour, a label or a number in PowerPoint (「データの編集」) and the chart
redraws. Each chart is named ``slidegen:図N`` (a paired figure's panels ``slidegen:図N:実績`` …)
and carries the figure's alt text; every text in it carries the East Asian font and ``ja-JP``
(python-pptx sets only the Latin slot). The chart kinds without a native renderer yet are drawn
as pictures (:data:`slidegen.inputs.kinds.KINDS`).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..figures import style
from ..figures.native import ChartSpec, Panel
from ..slides import EMU_PER_PT, Box

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def _east_asian(chart: Any, font: str, size: float) -> None:
    """Every text of the chart in ``font`` — the Latin and the East Asian slot — and in Japanese."""
    chart.font.name = font
    chart.font.size = _pt(size)
    for rpr in chart._chartSpace.iter(f"{{{_A}}}defRPr"):
        rpr.set("lang", "ja-JP")
        if rpr.find(f"{{{_A}}}ea") is None:
            latin = rpr.find(f"{{{_A}}}latin")
            ea = etree.Element(f"{{{_A}}}ea", typeface=font)
            if latin is not None:
                latin.addnext(ea)
            else:
                rpr.append(ea)


def _pt(points: float) -> Any:
    from pptx.util import Pt

    return Pt(points)


def _rgb(color: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(color.lstrip("#"))


def _panel_chart(shapes: Any, panel: Panel, spec: ChartSpec, box: Box, labels: bool, font: str) -> Any:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

    data = CategoryChartData(number_format=spec.number_format)
    data.categories = [b.label for b in panel.bars]
    data.add_series(panel.name, [b.value for b in panel.bars])
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.vary_by_categories = False
    series = plot.series[0]
    for i, bar in enumerate(panel.bars):
        point = series.points[i]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(bar.color)
    plot.has_data_labels = True
    for labels_ in (plot.data_labels, series.data_labels):  # on the plot, and on the series its points inherit from
        labels_.show_value = True
        labels_.number_format = spec.number_format
        labels_.number_format_is_linked = False
        labels_.position = XL_LABEL_POSITION.OUTSIDE_END
        labels_.font.size = _pt(style.VALUE_PT)
    for i, note in panel.notes.items():  # a gain beside its bar: 「28.3 +3.1pt」
        label = series.points[i].data_label
        frame_ = label.text_frame
        frame_.text = f"{panel.bars[i].value:.1f}"
        run = frame_.paragraphs[0].add_run()
        run.text = f"  {note}"
        run.font.color.rgb = _rgb(style.ACCENT)
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame_._txBody.find(f"{{{_A}}}bodyPr").set("wrap", "none")  # one line, however narrow the room
    category = chart.category_axis
    category.reverse_order = True  # the first row on top, as the figure reads
    category.has_major_gridlines = False
    category.format.line.color.rgb = _rgb(style.MUTED)
    category.tick_labels.font.size = _pt(style.LABEL_PT)
    if not labels:
        category.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    value = chart.value_axis
    value.minimum_scale = 0
    value.maximum_scale = spec.axis_max
    value.has_major_gridlines = False
    value.visible = False
    _east_asian(chart, font, style.LABEL_PT)
    return frame


def _header(shapes: Any, text: str, box: Box, color: str, font: str) -> Any:
    from pptx.util import Emu

    shape = shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = _pt(style.HEADER_PT)
    run.font.color.rgb = _rgb(color)
    run.font.name = font
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "ja-JP")
    etree.SubElement(rpr, f"{{{_A}}}ea", typeface=font)
    return shape


def _plot_area(frame: Any, x: float, w: float) -> None:
    """Place the chart's plot area (bars, not labels) at ``x`` and ``w``, fractions of its width."""
    plot_area = frame.chart._chartSpace.find(f"{{{_C}}}chart/{{{_C}}}plotArea")
    layout = plot_area.find(f"{{{_C}}}layout")
    if layout is None:
        layout = etree.Element(f"{{{_C}}}layout")
        plot_area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, f"{{{_C}}}manualLayout")
    for tag, value in (
        ("layoutTarget", "inner"),
        ("xMode", "edge"),
        ("yMode", "edge"),
        ("x", x),
        ("y", 0.01),
        ("w", w),
        ("h", 0.98),
    ):
        etree.SubElement(manual, f"{{{_C}}}{tag}", val=str(value))


def draw_bars(shapes: Any, spec: ChartSpec, box: Box, font: str) -> list[Any]:
    """Bars, one panel each series: a ranking or gap figure is one chart; a paired figure two
    charts side by side on one scale — the same plot width and axis maximum — the option labels on
    the first, each under its header. The shapes made, to be grouped as the figure."""
    if len(spec.panels) == 1:
        return [_panel_chart(shapes, spec.panels[0], spec, box, True, font)]
    header_h = int(style.HEADER_PT * 2.6 * EMU_PER_PT)
    label_w = int(box.width * style.LABEL_SHARE["half" if box.width < 6 * 914400 else "full"] * 0.85)
    panel_w = (box.width - label_w) // 2
    bars_w = panel_w * 0.8  # the rest of each panel holds the values (and gains)
    made = []
    for i, panel in enumerate(spec.panels):
        left = box.left if i == 0 else box.left + label_w + panel_w
        width = label_w + panel_w if i == 0 else panel_w
        header = Box(left + (label_w if i == 0 else 0), box.top, panel_w, header_h)
        made.append(_header(shapes, panel.header, header, style.INK if i == 0 else style.PRIMARY, font))
        frame = _panel_chart(
            shapes, panel, spec, Box(left, box.top + header_h, width, box.height - header_h), i == 0, font
        )
        _plot_area(frame, (label_w if i == 0 else 0) / width, bars_w / width)
        made.append(frame)
    return made
