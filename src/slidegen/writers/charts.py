"""Native PowerPoint charts: a figure's :class:`~slidegen.figures.native.ChartSpec` drawn with
python-pptx's chart API, its data in the chart's embedded workbook.

Every number a chart shows comes from the chart's own data, so editing it in PowerPoint
(「データの編集」) redraws it:

- values are **data labels** — a bar's value; a band part's label and value under its segment, in
  tiers and on leader lines where it is too narrow; a doughnut slice's label and value outside
  the ring — placed where the matplotlib figure places them, as offsets from the label's own
  place, so they follow their segment;
- computed labels are **formulas in the workbook**: a paired figure's gains (「＋13.1pt」) are
  data labels taken from cells (PowerPoint's 「セルの値」) that compute this panel's value less
  the first panel's; a band's bracket sum and a doughnut's centre share are the chart's title,
  linked to a cell with the formula. PowerPoint recomputes them; a renderer that does not
  (LibreOffice, python-pptx's ``replace_data``) shows the text cached with them, which
  ``slidegen check`` verifies and ``slidegen update`` rewrites;
- the value axis has no fixed maximum: an edited value is never cut off. The two panels of a
  paired figure each carry the other's values as an unfilled series, so both scale alike.

Each chart is named ``slidegen:図N`` (a paired figure's panels ``slidegen:図N:実績`` …) and carries
the figure's alt text; every text in it is in the theme's fonts, the East Asian slot named too
(python-pptx sets only the Latin one), and in ``ja-JP``. Colours are the theme's accents (the
neutral greys fixed), so an office template recolours the charts. What is not the chart's data —
a paired figure's headers, a band's bracket lines, a doughnut's centre label — are shapes grouped
with the chart. A chart kind without a native renderer (:data:`slidegen.inputs.kinds.KINDS`) is
drawn as its picture.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from lxml import etree

from ..figures import style
from ..figures.layout import band_label_width, band_labels, band_spans
from ..figures.native import ChartSpec, Panel
from ..slides import EMU_PER_PT, Box

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_C15 = "http://schemas.microsoft.com/office/drawing/2012/chart"
#: the extensions Office 2013 and later read: a series' labels from cells, and a label's fields
_EXT_RANGE = "{02D57815-91ED-43cb-92C2-25804820EDAC}"
_EXT_LABEL = "{CE6537A1-D6FC-4f65-9D91-7224C49458BB}"


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


def _e(tag: str, **attrs: Any) -> Any:
    """An element ``c:tag``, ``a:tag`` or ``c15:tag`` with ``attrs``."""
    prefix, name = tag.split(":")
    ns = {"a": _A, "c": _C, "c15": _C15}[prefix]
    element = etree.Element(f"{{{ns}}}{name}", nsmap={"c15": _C15} if prefix == "c15" else None)
    for key, value in attrs.items():
        element.set(key, str(value))
    return element


def _sub(parent: Any, tag: str, **attrs: Any) -> Any:
    child = _e(tag, **attrs)
    parent.append(child)
    return child


def _color(color: str) -> Any:
    """A ``solidFill`` of ``color``: a theme slot, or a fixed #RRGGBB."""
    fill = _e("a:solidFill")
    if color.startswith("#"):
        _sub(fill, "a:srgbClr", val=color.lstrip("#").upper())
    else:
        _sub(fill, "a:schemeClr", val=color)
    return fill


def _rpr(tag: str, size: float, color: str) -> Any:
    """Run properties as every chart text has them: size, colour, the theme's fonts, ja-JP."""
    rpr = _e(tag, lang="ja-JP", sz=str(int(round(size * 100))))
    rpr.append(_color(color))
    _sub(rpr, "a:latin", typeface=LATIN)
    _sub(rpr, "a:ea", typeface=EAST_ASIAN)
    return rpr


def _field_id(k: int) -> str:
    """A field's id, stable so the same deck is the same bytes."""
    return f"{{5D1F5A7C-0B2E-4C3A-9E61-{k:012d}}}"


def _rich(paragraphs: Sequence[Sequence[tuple[str, str, str]]], size: float, align: str) -> Any:
    """A label's text: paragraphs of parts — ``("r", text, colour)`` a run, ``("VALUE", text,
    colour)`` the point's value and ``("CELLRANGE", text, colour)`` its cell's text (fields the
    renderer fills from the chart's data; ``text`` is what they show now)."""
    tx = _e("c:tx")
    rich = _sub(tx, "c:rich")
    _sub(rich, "a:bodyPr", wrap="none", anchor="ctr")
    _sub(rich, "a:lstStyle")
    k = 0
    for parts in paragraphs:
        p = _sub(rich, "a:p")
        ppr = _sub(p, "a:pPr", algn=align)
        ppr.append(_rpr("a:defRPr", size, style.INK))
        for kind, text, color in parts:
            if kind == "r":
                run = _sub(p, "a:r")
            else:
                k += 1
                run = _sub(p, "a:fld", id=_field_id(k), type=kind)
            run.append(_rpr("a:rPr", size, color))
            if kind != "r":
                _sub(run, "a:pPr")
            _sub(run, "a:t").text = text or None  # as a re-read writes an empty one
    return tx


def _shows(parent: Any, value: bool = True) -> None:
    """What a label shows of its point: the value (or, with fields, what its text says)."""
    for tag, on in (
        ("showLegendKey", 0),
        ("showVal", int(value)),
        ("showCatName", 0),
        ("showSerName", 0),
        ("showPercent", 0),
        ("showBubbleSize", 0),
    ):
        _sub(parent, f"c:{tag}", val=on)


def _label(
    idx: int,
    paragraphs: Sequence[Sequence[tuple[str, str, str]]],
    size: float,
    align: str = "ctr",
    offset: tuple[float, float] | None = None,
    position: str | None = None,
    from_cells: bool = False,
    number_format: str = "0.0",
) -> Any:
    """One point's data label: its text (:func:`_rich`), moved by ``offset`` — a fraction of the
    chart's width and height — from where the renderer would put it, so it follows its point."""
    d_lbl = _e("c:dLbl")
    _sub(d_lbl, "c:idx", val=idx)
    if offset is not None:
        layout = _sub(d_lbl, "c:layout")
        manual = _sub(layout, "c:manualLayout")
        _sub(manual, "c:x", val=f"{offset[0]:.5f}")
        _sub(manual, "c:y", val=f"{offset[1]:.5f}")
    d_lbl.append(_rich(paragraphs, size, align))
    _sub(d_lbl, "c:numFmt", formatCode=number_format, sourceLinked=0)
    sp_pr = _sub(d_lbl, "c:spPr")
    _sub(sp_pr, "a:noFill")
    ln = _sub(sp_pr, "a:ln")
    _sub(ln, "a:noFill")
    if position is not None:
        _sub(d_lbl, "c:dLblPos", val=position)
    _shows(d_lbl)
    ext = _sub(_sub(d_lbl, "c:extLst"), "c:ext", uri=_EXT_LABEL)
    if from_cells:
        _sub(ext, "c15:dlblFieldTable")
        _sub(ext, "c15:showDataLabelsRange", val=1)
    return d_lbl


def _set_labels(series: Any, labels: Sequence[Any], leader: bool | None = None, show: bool = True) -> None:
    """A series' data labels: ``labels`` (:func:`_label`) for its points, the value for the rest
    (``show``), and leader lines from a moved label to its point where ``leader`` (none where
    False; the renderer's default where None)."""
    d_lbls = series._element.get_or_add_dLbls()
    for child in list(d_lbls):
        d_lbls.remove(child)
    for d_lbl in labels:
        d_lbls.append(d_lbl)
    if not show and not labels:
        _sub(d_lbls, "c:delete", val=1)
        return
    _shows(d_lbls, show)
    if leader is not None:  # said either way: LibreOffice draws leaders where nothing is said
        ext = _sub(_sub(d_lbls, "c:extLst"), "c:ext", uri=_EXT_LABEL)
        _sub(ext, "c15:showLeaderLines", val=int(leader))
        lines = _sub(ext, "c15:leaderLines")
        sp_pr = _sub(lines, "c:spPr")
        ln = _sub(sp_pr, "a:ln", w=str(int(style.LEADER_PT * EMU_PER_PT)))
        ln.append(_color(style.MUTED))


def _cells_range(series: Any, ref: str, texts: Sequence[str]) -> None:
    """The series' labels from cells: the range ``ref`` of the workbook, and the text each cell
    gives now (what a renderer that does not compute shows)."""
    ser = series._element
    for ext_lst in ser.findall(f"{{{_C}}}extLst"):
        ser.remove(ext_lst)
    ext = _sub(_sub(ser, "c:extLst"), "c:ext", uri=_EXT_RANGE)
    range_ = _sub(ext, "c15:datalabelsRange")
    _sub(range_, "c15:f").text = ref
    cache = _sub(range_, "c15:dlblRangeCache")
    _sub(cache, "c:ptCount", val=len(texts))
    for i, text in enumerate(texts):
        if text:
            _sub(_sub(cache, "c:pt", idx=i), "c:v").text = text


def _title(chart: Any, ref: str, text: str, at: tuple[float, float], size: float, color: str) -> None:
    """The chart's title linked to a cell of its workbook (``ref``, a formula there) — showing
    ``text`` now — at ``at``, its top left as a fraction of the chart, over the plot."""
    c_chart = chart._chartSpace.find(f"{{{_C}}}chart")
    for old in c_chart.findall(f"{{{_C}}}title"):
        c_chart.remove(old)
    title = _e("c:title")
    str_ref = _sub(_sub(title, "c:tx"), "c:strRef")
    _sub(str_ref, "c:f").text = ref
    cache = _sub(str_ref, "c:strCache")
    _sub(cache, "c:ptCount", val=1)
    _sub(_sub(cache, "c:pt", idx=0), "c:v").text = text
    manual = _sub(_sub(title, "c:layout"), "c:manualLayout")
    for tag, value in (("xMode", "edge"), ("yMode", "edge"), ("x", f"{at[0]:.5f}"), ("y", f"{at[1]:.5f}")):
        _sub(manual, f"c:{tag}", val=value)
    _sub(title, "c:overlay", val=1)
    tx_pr = _sub(title, "c:txPr")
    _sub(tx_pr, "a:bodyPr", wrap="none")
    _sub(tx_pr, "a:lstStyle")
    p = _sub(tx_pr, "a:p")
    _sub(p, "a:pPr").append(_rpr("a:defRPr", size, color))
    _sub(p, "a:endParaRPr", lang="ja-JP")
    c_chart.insert(0, title)
    deleted = c_chart.find(f"{{{_C}}}autoTitleDeleted")
    if deleted is not None:
        deleted.set("val", "0")


class _Cell:
    """A cell of a chart's workbook beyond its data: a value, or a formula with what it gives now."""

    def __init__(self, ref: str, value: str, formula: str | None = None) -> None:
        self.ref, self.value, self.formula = ref, value, formula


def _column(i: int) -> str:
    """The workbook column of series ``i`` (A holds the categories)."""
    return chr(ord("B") + i)


def chart_data(spec: ChartSpec, panel: Panel) -> Any:
    """The data of one panel's chart as python-pptx's chart data, its workbook holding the
    formulas of the computed labels: a band one series per option (one value each) and the
    bracket's sum; a doughnut its options and the centre share; a paired figure's panel its
    values, the other panel's (the unfilled series that keeps both on one scale) and the gains;
    any other kind one series of the bars' values."""
    from pptx.chart.data import CategoryChartData, CategoryWorkbookWriter

    cells: list[_Cell] = []

    class Writer(CategoryWorkbookWriter):
        def _populate_worksheet(self, workbook: Any, worksheet: Any) -> None:
            super()._populate_worksheet(workbook, worksheet)
            for cell in cells:
                if cell.formula is None:
                    worksheet.write(cell.ref, cell.value)
                else:
                    worksheet.write_formula(cell.ref, cell.formula, None, cell.value)

    class Data(CategoryChartData):
        @property
        def _workbook_writer(self) -> Any:
            return Writer(self)

    data = Data(number_format=spec.number_format)
    if spec.kind == "band":
        data.categories = [panel.name]
        for b in panel.bars:
            data.add_series(b.label, [b.value])
        if spec.bracket is not None:
            text, value, first, last = spec.bracket
            total = "+".join(f"{_column(i)}2" for i in range(first, last + 1))
            cells += [
                _Cell("A4", f"「{text}」の合計（グラフの見出し）"),
                _Cell("A5", bracket_text(text, value), f'="{text}→"&TEXT({total},"0.0")&"％"'),
            ]
    elif spec.kind == "paired":
        data.categories = [b.label for b in panel.bars]
        data.add_series(panel.name, [b.value for b in panel.bars])
        other = next(p for p in spec.panels if p is not panel)
        by_label = {b.label: b.value for b in other.bars}
        data.add_series(f"{other.name}（目盛りをそろえるための系列）", [by_label.get(b.label) for b in panel.bars])
        if panel.gain_min is not None:
            cells.append(_Cell("D1", f"増加幅（{panel.gain_min:g}ポイント以上を表示）"))
            for i in range(2, len(panel.bars) + 2):
                gain = f"ROUND(B{i}-C{i},1)"
                cells.append(
                    _Cell(
                        f"D{i}",
                        panel.notes.get(i - 2, ""),
                        f'=IF({gain}>={panel.gain_min:g},IF({gain}>=0,"＋","－")&TEXT(ABS({gain}),"0.0")&"pt","")',
                    )
                )
    else:
        data.categories = [b.label for b in panel.bars]
        data.add_series(panel.name, [b.value for b in panel.bars])
        if spec.center is not None:
            short, share, at = spec.center
            row = len(panel.bars) + 3
            cells += [
                _Cell(f"A{row}", f"{short}（グラフの見出し）"),
                _Cell(f"B{row}", style.percent_text(share), f'=TEXT(B{at + 2},"0.0")&"％"'),
            ]
    return data


def bracket_text(label: str, value: float) -> str:
    """A bracket's text: 「深い連携関係を維持・構築→91.3％」."""
    return f"{label}→{style.percent_text(value)}"


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
        ("y", y),
        ("w", w),
        ("h", h),
    ):
        etree.SubElement(manual, f"{{{_C}}}{tag}", val=f"{value:.5f}" if isinstance(value, float) else str(value))


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
    labels_ = plot.data_labels
    labels_.show_value = True
    labels_.number_format = spec.number_format
    labels_.number_format_is_linked = False
    labels_.position = XL_LABEL_POSITION.OUTSIDE_END
    labels_.font.size = _pt(style.VALUE_PT)
    gain_labels(series, panel)
    if len(plot.series) > 1:  # the other panel's values: unfilled, unlabelled, on the same place
        plot.overlap = 100
        scale = plot.series[1]
        scale.format.fill.background()
        scale.format.line.fill.background()
        _set_labels(scale, [], show=False)
    category = chart.category_axis
    category.reverse_order = True  # the first row on top, as the figure reads
    category.has_major_gridlines = False
    _paint(category.format.line.color, style.MUTED)
    category.tick_labels.font.size = _pt(style.LABEL_PT)
    if not labels:
        category.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    value = chart.value_axis
    value.minimum_scale = 0  # and no maximum: an edited value is never cut off
    value.has_major_gridlines = False
    value.visible = False
    _east_asian(chart, style.LABEL_PT)
    return frame


def gain_labels(series: Any, panel: Panel) -> None:
    """A paired figure's second panel: each bar's label its value and, from the workbook's gain
    cell, its gain — 「28.3  ＋3.1pt」 where the gain reaches the figure's least — so PowerPoint
    recomputes the gain when the data is edited. Any other panel: its values, as the series shows."""
    if panel.gain_min is None:
        return
    labels = [
        _label(
            i,
            [
                [
                    ("VALUE", f"{bar.value:.1f}", style.INK),
                    ("r", "  ", style.INK),
                    ("CELLRANGE", panel.notes.get(i, ""), style.ACCENT),
                ]
            ],
            style.VALUE_PT,
            "l",
            position="outEnd",
            from_cells=True,
        )
        for i, bar in enumerate(panel.bars)
    ]
    _set_labels(series, labels)
    _cells_range(
        series, f"Sheet1!$D$2:$D${len(panel.bars) + 1}", [panel.notes.get(i, "") for i in range(len(panel.bars))]
    )


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


def draw_bars(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """Bars, one panel each series: a ranking or gap figure is one chart; a paired figure two
    charts side by side on one scale — the same plot width, and each the other's values unfilled —
    the option labels on the first, each under its header. The shapes made, to be grouped as the figure."""
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


def _em_width(text: str, size: float) -> float:
    """About how wide ``text`` sets at ``size`` points, in points: a full em for Japanese, half for Latin."""
    return sum(size * (0.55 if ch.isascii() else 1.0) for ch in text)


#: the share of a doughnut's ring its hole takes, as PowerPoint's holeSize
HOLE = 0.64


def draw_doughnut(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A doughnut clockwise from the top in option order, each slice's label and share its data
    label outside the ring, the centre share the chart's title (a formula of the workbook) in the
    hole under the option's short label. The chart spans the figure's box, the ring placed in it."""
    import math

    from pptx.enum.chart import XL_CHART_TYPE

    panel = spec.panels[0]
    data = chart_data(spec, panel)
    frame = shapes.add_chart(XL_CHART_TYPE.DOUGHNUT, box.left, box.top, box.width, box.height, data)
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
    for tag, value in (("firstSliceAng", "0"), ("holeSize", str(int(HOLE * 100)))):
        element = doughnut.find(f"{{{_C}}}{tag}")
        if element is None:
            element = etree.SubElement(doughnut, f"{{{_C}}}{tag}")
        element.set("val", value)
    side = int(min(box.width, box.height) * 0.84)  # the ring's square, centred in the box
    ring = Box(box.left + (box.width - side) // 2, box.top + (box.height - side) // 2, side, side)
    _plot_area(
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
        mid = math.radians(angle + sweep / 2)
        angle += sweep
        texts = [bar.label, style.percent_text(bar.value)]
        # the label's width as a renderer may set it (wider than measured: its left or right edge
        # must clear the ring, and only its centre can be placed)
        width = (max(_em_width(t, style.LABEL_PT) for t in texts) * 1.1 + 6) * EMU_PER_PT
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
        labels.append(_label(i, paragraphs, style.LABEL_PT, "l" if right else "r", offset))
    _set_labels(plot.series[0], labels)
    leaders = chart._chartSpace.find(f".//{{{_C}}}dLbls")
    _sub(leaders, "c:showLeaderLines", val=0)
    _east_asian(chart, style.LABEL_PT)
    made = [frame]
    if spec.center is not None:
        short, share, at = spec.center
        hole = int(side * 0.56)
        made.append(
            _textbox(
                shapes,
                Box(int(cx - hole / 2), int(cy - hole / 2), hole, int(hole / 2)),
                [(short, style.LABEL_PT, style.INK)],
                "ctr",
                "b",
            )
        )
        text = style.percent_text(share)
        width = _em_width(text, style.CENTER_PT) * EMU_PER_PT
        at_xy = ((cx - width / 2 - box.left) / box.width, (cy + 2 * EMU_PER_PT - box.top) / box.height)
        _title(chart, f"Sheet1!$B${len(panel.bars) + 3}", text, at_xy, style.CENTER_PT, style.PRIMARY)
    return made


def draw_band(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """A 100 % band in option order — a stacked-bar chart with one series per option, its data in
    the workbook, spanning the figure's box with the band placed in it — each part's label and
    share its data label under its own segment, or moved to a tier below and hung from a leader
    line where it is too wide for it (the matplotlib figure's rule:
    :func:`~slidegen.figures.layout.band_labels`); the bracket's sum the chart's title (a formula
    of the workbook) above the bracket's lines, which are shapes grouped with the chart."""
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
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_STACKED_100, box.left, box.top, box.width, box.height, data)
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
    _plot_area(
        frame, (x0 - box.left) / box.width, (x1 - x0) / box.width, (y_band - box.top) / box.height, band_h / box.height
    )
    centre_y = y_band + band_h / 2
    for series, b, (a, e), place, parts in zip(plot.series, panel.bars, spans, places, wrapped):
        top = y_band + band_h + 6 * pt + place.tier * tier_h
        height = (len(parts) + 1) * line
        offset = (
            ((place.left + place.right) / 2 - (a + e) / 2) / box.width,
            (top + height / 2 - centre_y) / box.height,
        )
        paragraphs = [[("r", t, style.INK)] for t in parts] + [[("VALUE", f"{b.value:.1f}", style.INK)]]
        align = "r" if place.align == "right" else "ctr"
        _set_labels(series, [_label(0, paragraphs, style.LABEL_PT, align, offset, "ctr")], leader=place.leader)
    _east_asian(chart, style.LABEL_PT)
    made = [frame]
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
        said = bracket_text(text, value)
        width = _em_width(said, style.LABEL_PT) * pt
        at = (((a + e) / 2 - width / 2 - box.left) / box.width, (corner - line - 4 * pt - box.top) / box.height)
        _title(chart, "Sheet1!$A$5", said, at, style.LABEL_PT, style.ACCENT)
    return made


def sync_labels(chart: Any, fresh: Any) -> None:
    """Bring a chart's labels to a fresh build's after its data was replaced: each series' data
    labels (their places, which follow the data, and the text cached from the workbook's cells)
    and the title linked to a cell. The chart's other formatting stays as the officials left it."""
    mine, theirs = chart._chartSpace, fresh._chartSpace
    for ser, model in zip(mine.iter(f"{{{_C}}}ser"), theirs.iter(f"{{{_C}}}ser")):
        for tag in ("dLbls", "extLst"):
            old, new = ser.find(f"{{{_C}}}{tag}"), model.find(f"{{{_C}}}{tag}")
            if old is not None and (new is not None or tag == "extLst"):
                if new is None:
                    ser.remove(old)
                else:
                    old.getparent().replace(old, copy.deepcopy(new))
            elif new is not None:
                anchor = ser.find(f"{{{_C}}}cat") if tag == "dLbls" else None
                if anchor is not None:
                    anchor.addprevious(copy.deepcopy(new))
                else:
                    ser.append(copy.deepcopy(new))
    c_chart, fresh_chart = mine.find(f"{{{_C}}}chart"), theirs.find(f"{{{_C}}}chart")
    old_title, new_title = c_chart.find(f"{{{_C}}}title"), fresh_chart.find(f"{{{_C}}}title")
    if new_title is not None:
        if old_title is not None:
            c_chart.replace(old_title, copy.deepcopy(new_title))
        else:
            c_chart.insert(0, copy.deepcopy(new_title))


def cached_texts(chart: Any) -> list[str]:
    """The texts a chart shows from its workbook's cells rather than its values — its labels'
    cell texts and its title — as cached in the chart (what LibreOffice draws)."""
    space = chart._chartSpace
    cached = [v.text or "" for v in space.iter(f"{{{_C15}}}dlblRangeCache") for v in v.iter(f"{{{_C}}}v")]
    title = space.find(f"{{{_C}}}chart/{{{_C}}}title")
    if title is not None:
        cached += [v.text or "" for v in title.iter(f"{{{_C}}}v")]
    return cached
