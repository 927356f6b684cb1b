"""Native PowerPoint charts: a figure's :class:`~slidegen.figures.native.ChartSpec` drawn with
python-pptx's chart API, its data in the chart's embedded workbook.

An official can change a colour, a label or a number in PowerPoint (「データの編集」) and the chart
redraws. Each chart is named ``slidegen:図N`` (a paired figure's panels ``slidegen:図N:実績`` …)
and carries the figure's alt text; every text in it is in the theme's fonts, the East Asian slot
named too (python-pptx sets only the Latin one), and in ``ja-JP``. Colours are the theme's
accents (the neutral greys fixed), so an office template recolours the charts. Annotations — a doughnut's labels and centre share, a
band's labels, leaders and bracket, a paired figure's headers — are shapes grouped with the chart.
A chart kind without a native renderer (:data:`slidegen.inputs.kinds.KINDS`) is drawn as its picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lxml import etree

from ..figures import style
from ..figures.layout import band_label_width, band_labels, band_spans
from ..figures.native import ChartSpec, Panel
from ..slides import EMU_PER_PT, Box

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


#: the theme's fonts, as chart text names them (PowerPoint writes the same): an office template's
#: theme sets the charts' fonts with the rest of the deck
LATIN = "+mn-lt"
EAST_ASIAN = "+mn-ea"
#: theme slots by name, as python-pptx names them
_SLOTS = {
    **{f"accent{i}": f"ACCENT_{i}" for i in range(1, 7)},
    "tx1": "TEXT_1",
    "tx2": "TEXT_2",
    "bg1": "BACKGROUND_1",
    "bg2": "BACKGROUND_2",
    "dk1": "DARK_1",
    "dk2": "DARK_2",
    "lt1": "LIGHT_1",
    "lt2": "LIGHT_2",
}


def _east_asian(chart: Any, size: float) -> None:
    """Every text of the chart in the theme's body font — the Latin and the East Asian slot — and in Japanese."""
    chart.font.name = LATIN
    chart.font.size = _pt(size)
    for rpr in chart._chartSpace.iter(f"{{{_A}}}defRPr"):
        rpr.set("lang", "ja-JP")
        if rpr.find(f"{{{_A}}}ea") is None:
            latin = rpr.find(f"{{{_A}}}latin")
            ea = etree.Element(f"{{{_A}}}ea", typeface=EAST_ASIAN)
            if latin is not None:
                latin.addnext(ea)
            else:
                rpr.append(ea)


def _pt(points: float) -> Any:
    from pptx.util import Pt

    return Pt(points)


def _paint(color_format: Any, color: str) -> None:
    """Set a python-pptx colour to ``color``: a theme slot (``accent1``), so the chart follows the
    template's theme, or a fixed ``#RRGGBB`` (the neutral greys)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_THEME_COLOR

    if color.startswith("#"):
        color_format.rgb = RGBColor.from_string(color.lstrip("#"))
    else:
        color_format.theme_color = getattr(MSO_THEME_COLOR, _SLOTS[color])


def _panel_chart(shapes: Any, panel: Panel, spec: ChartSpec, box: Box, labels: bool) -> Any:
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

    data = chart_data(spec, panel)
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
        _paint(point.format.fill.fore_color, bar.color)
    plot.has_data_labels = True
    for labels_ in (plot.data_labels, series.data_labels):  # on the plot, and on the series its points inherit from
        labels_.show_value = True
        labels_.number_format = spec.number_format
        labels_.number_format_is_linked = False
        labels_.position = XL_LABEL_POSITION.OUTSIDE_END
        labels_.font.size = _pt(style.VALUE_PT)
    gain_labels(series, panel)
    category = chart.category_axis
    category.reverse_order = True  # the first row on top, as the figure reads
    category.has_major_gridlines = False
    _paint(category.format.line.color, style.MUTED)
    category.tick_labels.font.size = _pt(style.LABEL_PT)
    if not labels:
        category.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    value = chart.value_axis
    value.minimum_scale = 0
    value.maximum_scale = spec.axis_max
    value.has_major_gridlines = False
    value.visible = False
    _east_asian(chart, style.LABEL_PT)
    return frame


def gain_labels(series: Any, panel: Panel) -> None:
    """Each gain beside its bar — 「28.3 +3.1pt」 — as the bar's own data label; every other bar
    shows its value as the series' labels do (a label a gain no longer needs is reset)."""
    from pptx.enum.chart import XL_LABEL_POSITION

    for i, point in enumerate(series.points):
        d_lbl = point.data_label._dLbl
        if i not in panel.notes:
            if d_lbl is not None and d_lbl.getparent() is not None:
                d_lbl.getparent().remove(d_lbl)
            continue
        label = point.data_label
        frame_ = label.text_frame
        frame_.text = f"{panel.bars[i].value:.1f}"
        frame_.paragraphs[0].runs[0].font.size = _pt(style.VALUE_PT)
        run = frame_.paragraphs[0].add_run()
        run.text = f"  {panel.notes[i]}"
        run.font.size = _pt(style.VALUE_PT)
        _paint(run.font.color, style.ACCENT)
        label.position = XL_LABEL_POSITION.OUTSIDE_END
        frame_._txBody.find(f"{{{_A}}}bodyPr").set("wrap", "none")  # one line, however narrow the room


def chart_data(spec: ChartSpec, panel: Panel) -> Any:
    """The data of one panel's chart as python-pptx's chart data: a band one series per option
    (one value each), any other kind one series of the bars' values, by label."""
    from pptx.chart.data import CategoryChartData

    data = CategoryChartData(number_format=spec.number_format)
    if spec.kind == "band":
        data.categories = [panel.name]
        for b in panel.bars:
            data.add_series(b.label, [b.value])
    else:
        data.categories = [b.label for b in panel.bars]
        data.add_series(panel.name, [b.value for b in panel.bars])
    return data


def _textbox(
    shapes: Any, box: Box, lines: Sequence[tuple[str, float, str]], align: str = "l", anchor: str = "t"
) -> Any:
    """A text box of ``lines`` (text, size in points, colour), one paragraph each, that PowerPoint
    wraps within the box by the East Asian rules; no insets, so it sits where it is placed."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu

    shape = shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = {"t": MSO_ANCHOR.TOP, "m": MSO_ANCHOR.MIDDLE, "b": MSO_ANCHOR.BOTTOM}[anchor]
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    for i, (text, size, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}[align]
        ppr = paragraph._p.get_or_add_pPr()
        ppr.set("eaLnBrk", "1")
        ppr.set("hangingPunct", "1")
        run = paragraph.add_run()
        run.text = text
        run.font.size = _pt(size)
        _paint(run.font.color, color)
        run.font.name = LATIN
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", "ja-JP")
        etree.SubElement(rpr, f"{{{_A}}}ea", typeface=EAST_ASIAN)
    return shape


def _header(shapes: Any, text: str, box: Box, color: str) -> Any:
    return _textbox(shapes, box, [(text, style.HEADER_PT, color)])


def _plot_area(frame: Any, x: float, w: float, y: float = 0.01, h: float = 0.98) -> None:
    """Place the chart's plot area (bars, not labels) at ``x``, ``y``, ``w``, ``h``: fractions of its box."""
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


def draw_bars(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """Bars, one panel each series: a ranking or gap figure is one chart; a paired figure two
    charts side by side on one scale — the same plot width and axis maximum — the option labels on
    the first, each under its header. The shapes made, to be grouped as the figure."""
    if len(spec.panels) == 1:
        return [_panel_chart(shapes, spec.panels[0], spec, box, True)]
    header_h = int(style.HEADER_PT * 2.6 * EMU_PER_PT)
    label_w = int(box.width * style.LABEL_SHARE["half" if box.width < 6 * 914400 else "full"] * 0.85)
    panel_w = (box.width - label_w) // 2
    # the rest of each panel holds the values (and the gains, where the panel prints them)
    value_room = (_em_width("100.0", style.VALUE_PT) + 6) * EMU_PER_PT
    gain_room = max(
        ((_em_width(f"  {n}", style.VALUE_PT) + 4) * EMU_PER_PT for p in spec.panels for n in p.notes.values()),
        default=0.0,
    )
    bars_w = max(panel_w - value_room - gain_room, panel_w * 0.4)
    made = []
    for i, panel in enumerate(spec.panels):
        left = box.left if i == 0 else box.left + label_w + panel_w
        width = label_w + panel_w if i == 0 else panel_w
        header = Box(left + (label_w if i == 0 else 0), box.top, panel_w, header_h)
        made.append(_header(shapes, panel.header, header, style.INK if i == 0 else style.PRIMARY))
        frame = _panel_chart(shapes, panel, spec, Box(left, box.top + header_h, width, box.height - header_h), i == 0)
        _plot_area(frame, (label_w if i == 0 else 0) / width, bars_w / width)
        made.append(frame)
    return made


def draw_doughnut(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A doughnut clockwise from the top in option order, each share labelled outside its slice,
    the centre option's short label and share in the hole. The ring is a chart (its data in the
    workbook); the labels are text boxes grouped with it."""
    import math

    from pptx.enum.chart import XL_CHART_TYPE

    panel = spec.panels[0]
    data = chart_data(spec, panel)
    side = int(min(box.width, box.height) * 0.84)  # the ring's square, centred in the box
    ring = Box(box.left + (box.width - side) // 2, box.top + (box.height - side) // 2, side, side)
    frame = shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, ring.left, ring.top, ring.width, ring.height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.vary_by_categories = True
    for i, bar in enumerate(panel.bars):
        point = plot.series[0].points[i]
        point.format.fill.solid()
        _paint(point.format.fill.fore_color, bar.color)
        _paint(point.format.line.color, "bg1")
    doughnut = chart._chartSpace.find(f".//{{{_C}}}doughnutChart")
    for tag, value in (("firstSliceAng", "0"), ("holeSize", "64")):
        element = doughnut.find(f"{{{_C}}}{tag}")
        if element is None:
            element = etree.SubElement(doughnut, f"{{{_C}}}{tag}")
        element.set("val", value)
    _plot_area(frame, 0.0, 1.0, 0.0, 1.0)
    _east_asian(chart, style.LABEL_PT)
    made = [frame]
    cx, cy, radius = ring.left + side / 2, ring.top + side / 2, side / 2
    total = sum(b.value for b in panel.bars) or 1.0
    angle = 0.0  # degrees clockwise from 12 o'clock
    label_w = int(max(box.width / 2 - radius - 12 * EMU_PER_PT, 60 * EMU_PER_PT))
    label_h = int(style.LABEL_PT * 1.3 * 3 * EMU_PER_PT)
    for bar in panel.bars:
        sweep = 360.0 * bar.value / total
        mid = math.radians(angle + sweep / 2)
        angle += sweep
        x = cx + (radius + 8 * EMU_PER_PT) * math.sin(mid)
        y = cy - (radius + 8 * EMU_PER_PT) * math.cos(mid)
        right = math.sin(mid) >= 0
        left = int(x) if right else int(x - label_w)
        lines: list[tuple[str, float, str]] = [
            (bar.label, style.LABEL_PT, style.INK),
            (style.percent_text(bar.value), style.LABEL_PT, style.INK),
        ]
        made.append(
            _textbox(shapes, Box(left, int(y - label_h / 2), label_w, label_h), lines, "l" if right else "r", "m")
        )
    if spec.center is not None:
        short, share = spec.center
        hole = int(side * 0.56)
        lines = [(short, style.LABEL_PT, style.INK), (style.percent_text(share), style.CENTER_PT, style.PRIMARY)]
        made.append(_textbox(shapes, Box(int(cx - hole / 2), int(cy - hole / 2), hole, hole), lines, "ctr", "m"))
    return made


def _em_width(text: str, size: float) -> float:
    """About how wide ``text`` sets at ``size`` points, in points: a full em for Japanese, half for Latin."""
    return sum(size * (0.55 if ch.isascii() else 1.0) for ch in text)


def draw_band(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A 100 % band in option order — the band a stacked-bar chart with one series per option, its
    data in the workbook — each part's label and share under its own segment, or hanging from a
    leader where it is too wide for it (the matplotlib figure's rule:
    :func:`~slidegen.figures.layout.band_labels`), and the bracket above the parts it sums. The
    labels, leaders and bracket are shapes grouped with the chart."""
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.enum.shapes import MSO_CONNECTOR
    from pptx.util import Pt

    from ..figures.jptext import wrap_balanced

    panel = spec.panels[0]
    pt = EMU_PER_PT
    margin = 10 * pt
    x0, x1 = box.left + margin, box.left + box.width - margin
    band_h = style.BAND_HEIGHT_PT * pt
    line = style.LABEL_PT * 1.3 * pt
    spans = band_spans([b.value for b in panel.bars], x0, x1)

    def measure(text: str) -> float:
        return _em_width(text, style.LABEL_PT) * pt

    label_w = band_label_width([b.label for b in panel.bars], measure, x1 - x0)
    wrapped = [wrap_balanced(b.label, label_w, measure, max_lines=3) for b in panel.bars]
    widths = [max(measure(t) for t in [*lines, "100.0"]) + 6 * pt for lines in wrapped]
    places = band_labels(spans, widths, x0, x1, gap=8 * pt)
    tier_h = (max(len(lines) for lines in wrapped) + 1) * line + 8 * pt
    label_h = tier_h * (max(p.tier for p in places) + 1)
    bracket_h = (line + 16 * pt) if spec.bracket else 0
    free = box.height - band_h - label_h - bracket_h
    y_band = box.top + bracket_h + max(free, 0) / 2

    data = chart_data(spec, panel)
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, int(x0), int(y_band), int(x1 - x0), int(band_h), data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.gap_width = 0
    plot.overlap = 100
    for series, b, (a, e) in zip(plot.series, panel.bars, spans):
        series.format.fill.solid()
        _paint(series.format.fill.fore_color, b.color)
        if 0 < e - a < style.THIN_PART_PT * pt:  # a sliver stays visible: outlined
            _paint(series.format.line.color, style.MUTED)
            series.format.line.width = Pt(0.75)
    chart.category_axis.visible = False
    chart.value_axis.visible = False
    chart.value_axis.has_major_gridlines = False
    _plot_area(frame, 0.0, 1.0, 0.0, 1.0)
    _east_asian(chart, style.LABEL_PT)
    made = [frame]
    for b, (a, e), place, parts in zip(panel.bars, spans, places, wrapped):
        top = y_band + band_h + 6 * pt + place.tier * tier_h
        lines = [(t, float(style.LABEL_PT), style.INK) for t in parts] + [
            (f"{b.value:.1f}", float(style.LABEL_PT), style.INK)
        ]
        where = Box(int(place.left), int(top), int(place.right - place.left), int(len(lines) * line))
        made.append(_textbox(shapes, where, lines, "r" if place.align == "right" else "ctr"))
        if place.leader:
            mid = (a + e) / 2
            leader = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, int(mid), int(y_band + band_h), int(mid), int(top))
            _paint(leader.line.color, style.MUTED)
            leader.line.width = Pt(style.LEADER_PT)
            made.append(leader)
    if spec.bracket is not None:
        text, value, first, last = spec.bracket
        a, e = spans[first][0] + pt, spans[last][1] - pt
        y = y_band - 4 * pt
        corner = y - 7 * pt
        for xa, ya, xb, yb in ((a, y, a, corner), (a, corner, e, corner), (e, corner, e, y)):
            edge = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, int(xa), int(ya), int(xb), int(yb))
            _paint(edge.line.color, style.ACCENT)
            edge.line.width = Pt(1.2)
            made.append(edge)
        label = Box(int(a), int(corner - line - 4 * pt), int(e - a), int(line + 2 * pt))
        made.append(
            _textbox(shapes, label, [(f"{text}→{style.percent_text(value)}", style.LABEL_PT, style.ACCENT)], "ctr", "b")
        )
    return made
