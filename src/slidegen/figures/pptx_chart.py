"""The toolkit every native PowerPoint chart is drawn with: a figure's
:class:`~slidegen.figures.native.ChartSpec` as python-pptx's chart, its data in the chart's
embedded workbook. Each chart kind's module (:mod:`slidegen.figures.kinds`) draws its own chart
with these parts.

Every number a chart shows comes from the chart's own data, so editing it in PowerPoint
(「データの編集」) redraws it:

- values are **data labels** (:func:`data_label`) — a bar's value; a band part's label and value
  under its segment; a doughnut slice's label and value outside the ring — placed as offsets
  from the label's own place, so they follow their segment;
- computed labels are **formulas in the workbook** (:class:`Cell`): a paired figure's gains are
  data labels taken from cells (PowerPoint's 「セルの値」); a band's bracket sum and a doughnut's
  centre share are the chart's title, linked to a cell with the formula
  (:func:`linked_title`). PowerPoint recomputes them; a renderer that does not (LibreOffice,
  python-pptx's ``replace_data``) shows the text cached with them, which ``slidegen check``
  verifies and ``slidegen update`` rewrites (:func:`sync_labels`, :func:`cached_texts`);
- the value axis has no fixed maximum: an edited value is never cut off. The two panels of a
  paired figure each carry the other's values as an unfilled series, so both scale alike.

Every text in a chart is in the theme's fonts, the East Asian slot named too (python-pptx sets
only the Latin one), and in ``ja-JP``. Colours are the theme's accents (the neutral greys
fixed), so an office template recolours the charts.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any

from lxml import etree

from ..inputs.template import Box, shade
from ..ooxml import C15, EMU_PER_PT, A, C, element, sub
from . import style
from .layout import BarFrame, PairFrame, bar_frame, pair_frame
from .native import ChartSpec, Panel

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


def east_asian(chart: Any, size: float) -> None:
    """Every text of the chart in the theme's body font — the Latin and the East Asian slot — and in Japanese."""
    chart.font.name = LATIN
    chart.font.size = _pt(size)
    for rpr in chart._chartSpace.iter(f"{{{A}}}defRPr"):
        rpr.set("lang", "ja-JP")
        if rpr.find(f"{{{A}}}ea") is None:
            latin = rpr.find(f"{{{A}}}latin")
            ea = etree.Element(f"{{{A}}}ea", typeface=EAST_ASIAN)
            if latin is not None:
                latin.addnext(ea)
            else:
                rpr.append(ea)


def _pt(points: float) -> Any:
    from pptx.util import Pt

    return Pt(points)


def paint(color_format: Any, color: str) -> None:
    """Set a python-pptx colour to ``color``: a theme slot (``accent1``; ``accent6:75`` darkened to
    75 % of its luminance), so the chart follows the template's theme, or a fixed ``#RRGGBB`` (the
    neutral greys)."""
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_THEME_COLOR

    if color.startswith("#"):
        color_format.rgb = RGBColor.from_string(color.lstrip("#"))
    else:
        slot, share = shade(color)
        color_format.theme_color = getattr(MSO_THEME_COLOR, _SLOTS[slot])
        if share is not None:
            color_format.brightness = share / 100 - 1  # python-pptx writes it as lumMod


def _color(color: str) -> Any:
    """A ``solidFill`` of ``color``: a theme slot (darkened where it says so: ``accent6:75``, a
    ``lumMod``), or a fixed #RRGGBB."""
    fill = element("a:solidFill")
    if color.startswith("#"):
        sub(fill, "a:srgbClr", val=color.lstrip("#").upper())
    else:
        slot, share = shade(color)
        scheme = sub(fill, "a:schemeClr", val=slot)
        if share is not None:
            sub(scheme, "a:lumMod", val=str(share * 1000))
    return fill


def _rpr(tag: str, size: float, color: str) -> Any:
    """Run properties as every chart text has them: size, colour, the theme's fonts, ja-JP."""
    rpr = element(tag, lang="ja-JP", sz=str(int(round(size * 100))))
    rpr.append(_color(color))
    sub(rpr, "a:latin", typeface=LATIN)
    sub(rpr, "a:ea", typeface=EAST_ASIAN)
    return rpr


def _field_id(k: int) -> str:
    """A field's id, stable so the same deck is the same bytes."""
    return f"{{5D1F5A7C-0B2E-4C3A-9E61-{k:012d}}}"


def _rich(paragraphs: Sequence[Sequence[tuple[str, str, str]]], size: float, align: str) -> Any:
    """A label's text: paragraphs of parts — ``("r", text, colour)`` a run, ``("VALUE", text,
    colour)`` the point's value and ``("CELLRANGE", text, colour)`` its cell's text (fields the
    renderer fills from the chart's data; ``text`` is what they show now)."""
    tx = element("c:tx")
    rich = sub(tx, "c:rich")
    sub(rich, "a:bodyPr", wrap="none", anchor="ctr")
    sub(rich, "a:lstStyle")
    k = 0
    for parts in paragraphs:
        p = sub(rich, "a:p")
        ppr = sub(p, "a:pPr", algn=align)
        ppr.append(_rpr("a:defRPr", size, style.INK))
        for kind, text, color in parts:
            if kind == "r":
                run = sub(p, "a:r")
            else:
                k += 1
                run = sub(p, "a:fld", id=_field_id(k), type=kind)
            run.append(_rpr("a:rPr", size, color))
            if kind != "r":
                sub(run, "a:pPr")
            sub(run, "a:t").text = text or None  # as a re-read writes an empty one
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
        sub(parent, f"c:{tag}", val=on)


def data_label(
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
    d_lbl = element("c:dLbl")
    sub(d_lbl, "c:idx", val=idx)
    if offset is not None:
        layout = sub(d_lbl, "c:layout")
        manual = sub(layout, "c:manualLayout")
        sub(manual, "c:x", val=f"{offset[0]:.5f}")
        sub(manual, "c:y", val=f"{offset[1]:.5f}")
    d_lbl.append(_rich(paragraphs, size, align))
    sub(d_lbl, "c:numFmt", formatCode=number_format, sourceLinked=0)
    sp_pr = sub(d_lbl, "c:spPr")
    sub(sp_pr, "a:noFill")
    ln = sub(sp_pr, "a:ln")
    sub(ln, "a:noFill")
    if position is not None:
        sub(d_lbl, "c:dLblPos", val=position)
    _shows(d_lbl)
    ext = sub(sub(d_lbl, "c:extLst"), "c:ext", uri=_EXT_LABEL)
    if from_cells:
        sub(ext, "c15:dlblFieldTable")
        sub(ext, "c15:showDataLabelsRange", val=1)
    return d_lbl


def set_labels(series: Any, labels: Sequence[Any], leader: bool | None = None, show: bool = True) -> None:
    """A series' data labels: ``labels`` (:func:`data_label`) for its points, the value for the rest
    (``show``), and leader lines from a moved label to its point where ``leader`` (none where
    False; the renderer's default where None)."""
    d_lbls = series._element.get_or_add_dLbls()
    for child in list(d_lbls):
        d_lbls.remove(child)
    for d_lbl in labels:
        d_lbls.append(d_lbl)
    if not show and not labels:
        sub(d_lbls, "c:delete", val=1)
        return
    _shows(d_lbls, show)
    if leader is not None:  # said either way: LibreOffice draws leaders where nothing is said
        ext = sub(sub(d_lbls, "c:extLst"), "c:ext", uri=_EXT_LABEL)
        sub(ext, "c15:showLeaderLines", val=int(leader))
        lines = sub(ext, "c15:leaderLines")
        sp_pr = sub(lines, "c:spPr")
        ln = sub(sp_pr, "a:ln", w=str(int(style.LEADER_PT * EMU_PER_PT)))
        ln.append(_color(style.MUTED))


def _cells_range(series: Any, ref: str, texts: Sequence[str]) -> None:
    """The series' labels from cells: the range ``ref`` of the workbook, and the text each cell
    gives now (what a renderer that does not compute shows)."""
    ser = series._element
    for ext_lst in ser.findall(f"{{{C}}}extLst"):
        ser.remove(ext_lst)
    ext = sub(sub(ser, "c:extLst"), "c:ext", uri=_EXT_RANGE)
    range_ = sub(ext, "c15:datalabelsRange")
    sub(range_, "c15:f").text = ref
    cache = sub(range_, "c15:dlblRangeCache")
    sub(cache, "c:ptCount", val=len(texts))
    for i, text in enumerate(texts):
        if text:
            sub(sub(cache, "c:pt", idx=i), "c:v").text = text


def linked_title(chart: Any, ref: str, text: str, at: tuple[float, float], size: float, color: str) -> None:
    """The chart's title linked to a cell of its workbook (``ref``, a formula there) — showing
    ``text`` now — at ``at``, its top left as a fraction of the chart, over the plot."""
    c_chart = chart._chartSpace.find(f"{{{C}}}chart")
    for old in c_chart.findall(f"{{{C}}}title"):
        c_chart.remove(old)
    title = element("c:title")
    str_ref = sub(sub(title, "c:tx"), "c:strRef")
    sub(str_ref, "c:f").text = ref
    cache = sub(str_ref, "c:strCache")
    sub(cache, "c:ptCount", val=1)
    sub(sub(cache, "c:pt", idx=0), "c:v").text = text
    manual = sub(sub(title, "c:layout"), "c:manualLayout")
    for tag, value in (("xMode", "edge"), ("yMode", "edge"), ("x", f"{at[0]:.5f}"), ("y", f"{at[1]:.5f}")):
        sub(manual, f"c:{tag}", val=value)
    sub(title, "c:overlay", val=1)
    tx_pr = sub(title, "c:txPr")
    sub(tx_pr, "a:bodyPr", wrap="none")
    sub(tx_pr, "a:lstStyle")
    p = sub(tx_pr, "a:p")
    sub(p, "a:pPr").append(_rpr("a:defRPr", size, color))
    sub(p, "a:endParaRPr", lang="ja-JP")
    c_chart.insert(0, title)
    deleted = c_chart.find(f"{{{C}}}autoTitleDeleted")
    if deleted is not None:
        deleted.set("val", "0")


class Cell:
    """A cell of a chart's workbook beyond its data: a value, or a formula with what it gives now."""

    def __init__(self, ref: str, value: str, formula: str | None = None) -> None:
        self.ref, self.value, self.formula = ref, value, formula


def column(i: int) -> str:
    """The workbook column of series ``i`` (A holds the categories)."""
    return chr(ord("B") + i)


#: the date the workbooks of the charts made now carry (the deck's), if set (:func:`dated_workbooks`)
_DATED: ContextVar[datetime | None] = ContextVar("dated_workbooks", default=None)


@contextmanager
def dated_workbooks(when: datetime | None) -> Iterator[None]:
    """Inside the ``with``, each chart's workbook is written dated ``when`` (the deck's date), and
    so the same bytes each time it is made: XlsxWriter dates the files inside it 1980-01-01 and the
    document ``when``, where otherwise it would date the document now and the deck's writer would
    have to unzip the workbook and zip it again to date it."""
    token = _DATED.set(when)
    try:
        yield
    finally:
        _DATED.reset(token)


def chart_data(number_format: str) -> tuple[Any, list[Cell]]:
    """Empty chart data for python-pptx in ``number_format``, and the list of cells beyond the
    data that its workbook will hold: a kind fills in the categories and series and appends the
    cells of its computed labels (formulas) before the chart is made."""
    from pptx.chart.data import CategoryChartData, CategoryWorkbookWriter

    cells: list[Cell] = []

    class Writer(CategoryWorkbookWriter):
        @property
        def xlsx_blob(self) -> bytes:
            when = _DATED.get()
            xlsx_file = io.BytesIO()
            with self._open_worksheet(xlsx_file) as (workbook, worksheet):
                if when is not None:
                    workbook.set_properties({"created": when.astimezone(timezone.utc)})
                self._populate_worksheet(workbook, worksheet)
            return xlsx_file.getvalue()

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

    return Data(number_format=number_format), cells


def one_series(spec: ChartSpec, panel: Panel) -> tuple[Any, list[Cell]]:
    """A panel's data as one series of its bars' values, one category per bar."""
    data, cells = chart_data(spec.number_format)
    data.categories = [b.label for b in panel.bars]
    data.add_series(panel.name, [b.value for b in panel.bars])
    return data, cells


#: a kind's workbook: the chart data of one panel (:func:`chart_data`, filled)
Workbook = Callable[[ChartSpec, Panel], Any]


def plot_area(frame: Any, x: float, w: float, y: float = 0.01, h: float = 0.98) -> None:
    """Place the chart's plot area (bars, not labels) at ``x``, ``y``, ``w``, ``h``: fractions of its box."""
    area = frame.chart._chartSpace.find(f"{{{C}}}chart/{{{C}}}plotArea")
    layout = area.find(f"{{{C}}}layout")
    if layout is None:
        layout = etree.Element(f"{{{C}}}layout")
        area.insert(0, layout)
    for child in list(layout):
        layout.remove(child)
    manual = etree.SubElement(layout, f"{{{C}}}manualLayout")
    for tag, value in (
        ("layoutTarget", "inner"),
        ("xMode", "edge"),
        ("yMode", "edge"),
        ("x", x),
        ("y", y),
        ("w", w),
        ("h", h),
    ):
        etree.SubElement(manual, f"{{{C}}}{tag}", val=f"{value:.5f}" if isinstance(value, float) else str(value))


def _panel_chart(shapes: Any, panel: Panel, spec: ChartSpec, box: Box, labels: bool, workbook: Workbook) -> Any:
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_LABEL_POSITION

    data = workbook(spec, panel)
    frame = shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data)
    chart = frame.chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.vary_by_categories = False
    series = plot.series[0]
    _fill_points(series._element, [bar.color for bar in panel.bars])
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
        set_labels(scale, [], show=False)
    category = chart.category_axis
    category.reverse_order = True  # the first row on top, as the figure reads
    category.has_major_gridlines = False
    paint(category.format.line.color, style.MUTED)
    category.tick_labels.font.size = _pt(style.LABEL_PT)
    if not labels:
        category.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    value = chart.value_axis
    value.minimum_scale = 0  # the maximum: the picture's (_place_bars)
    value.has_major_gridlines = False
    value.visible = False
    east_asian(chart, style.LABEL_PT)
    return frame


#: what follows a series' data points (``c:dPt``) in it, as the schema orders a bar chart's series
_AFTER_POINTS = tuple(f"{{{C}}}{tag}" for tag in ("dLbls", "trendline", "errBars", "cat", "val", "shape", "extLst"))


def _fill_points(ser: Any, colors: Sequence[str]) -> None:
    """Each bar of the series ``ser`` filled with its colour (:func:`_color`): a ``c:dPt`` a bar,
    in order, where the schema puts them — the XML python-pptx writes for ``points[i].format.fill``
    set solid, built directly (its proxies took two milliseconds a chart)."""
    before = next((child for child in ser if child.tag in _AFTER_POINTS), None)
    for i, color in enumerate(colors):
        point = element("c:dPt")
        sub(point, "c:idx", val=i)
        sub(point, "c:spPr").append(_color(color))
        if before is None:
            ser.append(point)
        else:
            before.addprevious(point)


def gain_labels(series: Any, panel: Panel) -> None:
    """A paired figure's second panel: each bar's label its value and, from the workbook's gain
    cell, its gain — 「28.3  ＋3.1pt」 where the gain reaches the figure's least — so PowerPoint
    recomputes the gain when the data is edited. Any other panel: its values, as the series shows."""
    if panel.gain_min is None:
        return
    labels = [
        data_label(
            i,
            [
                [
                    ("VALUE", f"{bar.value:.1f}", style.INK),
                    ("r", "  ", style.INK),
                    ("CELLRANGE", panel.notes.get(i, ""), style.ACCENT_TEXT),
                ]
            ],
            style.VALUE_PT,
            "l",
            position="outEnd",
            from_cells=True,
        )
        for i, bar in enumerate(panel.bars)
    ]
    set_labels(series, labels)
    _cells_range(
        series, f"Sheet1!$D$2:$D${len(panel.bars) + 1}", [panel.notes.get(i, "") for i in range(len(panel.bars))]
    )


def textbox(shapes: Any, box: Box, lines: Sequence[tuple[str, float, str]], align: str = "l", anchor: str = "t") -> Any:
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
        paint(run.font.color, color)
        run.font.name = LATIN
        rpr = run._r.get_or_add_rPr()
        rpr.set("lang", "ja-JP")
        etree.SubElement(rpr, f"{{{A}}}ea", typeface=EAST_ASIAN)
    return shape


def header_box(shapes: Any, text: str, box: Box, color: str) -> Any:
    return textbox(shapes, box, [(text, style.HEADER_PT, color)])


def draw_bars(shapes: Any, spec: ChartSpec, box: Box, workbook: Workbook) -> list[Any]:
    """Bars, one panel each series: a ranking or gap figure is one chart; a paired figure two
    charts side by side on one scale — the same plot width, and each the other's values unfilled —
    the option labels on the first, each under its header. The shapes made, to be grouped as the figure."""
    if len(spec.panels) == 1:
        frame = _panel_chart(shapes, spec.panels[0], spec, box, True, workbook)
        _as_the_picture(frame, spec.panels[0], box)
        return [frame]
    width_pt, height_pt = box.width / EMU_PER_PT, box.height / EMU_PER_PT
    frame = pair_frame(
        width_pt,
        height_pt,
        _slot(box),
        len(spec.panels[0].bars),
        [p.header for p in spec.panels],
        any(p.gain_min is not None for p in spec.panels),
    )
    chart_h = height_pt - frame.header
    top = max(b.value for p in spec.panels for b in p.bars)
    made = []
    for i, panel in enumerate(spec.panels):
        # the first chart holds the option labels: it spans from the figure's left edge
        start = 0.0 if i == 0 else frame.lefts[1]
        width = (frame.lefts[1] if i == 0 else width_pt) - start
        pt = EMU_PER_PT
        header = Box(box.left + round(frame.lefts[i] * pt), box.top, round(frame.panel * pt), round(frame.header * pt))
        made.append(header_box(shapes, panel.header, header, style.INK if i == 0 else style.PRIMARY))
        chart_box = Box(
            box.left + round(start * pt), box.top + round(frame.header * pt), round(width * pt), round(chart_h * pt)
        )
        chart = _panel_chart(shapes, panel, spec, chart_box, i == 0, workbook)
        _place_bars(chart, width, chart_h, frame.lefts[i] - start, frame.span, frame.top, frame.bottom, frame, top)
        made.append(chart)
    return made


def _slot(box: Box) -> str:
    """The slot a figure's box is: half the slide's width or the whole."""
    return "half" if box.width < 6 * 914400 else "full"


def _as_the_picture(chart: Any, panel: Panel, box: Box) -> None:
    """A lone panel's bars where the picture puts them (:func:`~slidegen.figures.layout.bar_frame`,
    as :func:`slidegen.figures.charts.bars` draws them)."""
    width, height = box.width / EMU_PER_PT, box.height / EMU_PER_PT
    bars = bar_frame(width, height, _slot(box), len(panel.bars))
    top = max((b.value for b in panel.bars), default=0)
    _place_bars(chart, width, height, bars.left, bars.right - bars.left, bars.top, bars.bottom, bars, top)


def _place_bars(
    chart: Any,
    width: float,
    height: float,
    left: float,
    span: float,
    top: float,
    bottom: float,
    rows: BarFrame | PairFrame,
    maximum: float,
) -> None:
    """A chart ``width`` × ``height`` points whose bars stand as the picture draws them: the plot
    area from ``left`` across ``span`` and from ``top`` down to ``bottom`` (points from the chart's
    bottom left), bars as thick within their rows as ``rows`` says, and the axis running to
    ``maximum`` — the largest value the picture scales by (``update`` sets it again from new data)."""
    plot_area(chart, left / width, span / width, (height - top) / height, (top - bottom) / height)
    chart.chart.plots[0].gap_width = max(0, min(500, round((rows.pitch / rows.thickness - 1) * 100)))
    chart.chart.value_axis.maximum_scale = maximum or None


def sync_labels(chart: Any, fresh: Any) -> None:
    """Bring a chart's labels to a fresh build's after its data was replaced: each series' data
    labels (their places, which follow the data, and the text cached from the workbook's cells)
    and the title linked to a cell. The chart's other formatting stays as the officials left it."""
    mine, theirs = chart._chartSpace, fresh._chartSpace
    for ser, model in zip(mine.iter(f"{{{C}}}ser"), theirs.iter(f"{{{C}}}ser")):
        for tag in ("dLbls", "extLst"):
            old, new = ser.find(f"{{{C}}}{tag}"), model.find(f"{{{C}}}{tag}")
            if old is not None and (new is not None or tag == "extLst"):
                if new is None:
                    ser.remove(old)
                else:
                    old.getparent().replace(old, copy.deepcopy(new))
            elif new is not None:
                anchor = ser.find(f"{{{C}}}cat") if tag == "dLbls" else None
                if anchor is not None:
                    anchor.addprevious(copy.deepcopy(new))
                else:
                    ser.append(copy.deepcopy(new))
    c_chart, fresh_chart = mine.find(f"{{{C}}}chart"), theirs.find(f"{{{C}}}chart")
    old_title, new_title = c_chart.find(f"{{{C}}}title"), fresh_chart.find(f"{{{C}}}title")
    if new_title is not None:
        if old_title is not None:
            c_chart.replace(old_title, copy.deepcopy(new_title))
        else:
            c_chart.insert(0, copy.deepcopy(new_title))


def cached_texts(chart: Any) -> list[str]:
    """The texts a chart shows from its workbook's cells rather than its values — its labels'
    cell texts and its title — as cached in the chart (what LibreOffice draws)."""
    space = chart._chartSpace
    cached = [v.text or "" for v in space.iter(f"{{{C15}}}dlblRangeCache") for v in v.iter(f"{{{C}}}v")]
    title = space.find(f"{{{C}}}chart/{{{C}}}title")
    if title is not None:
        cached += [v.text or "" for v in title.iter(f"{{{C}}}v")]
    return cached
