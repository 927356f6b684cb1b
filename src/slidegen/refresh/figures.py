"""A figure found again in an edited deck brought to the new data: a native chart's data replaced
(its formatting kept) and its labels synced, a chart whose labels are not tied to its data drawn
afresh where it stands, a picture replaced in place; its annotations and alt text following."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import UpdateError
from ..figures.kinds import KINDS
from ..inputs.template import Box
from ..ooxml import GROUP, LINE, PICTURE, A, R
from ..record.located import (
    alt_text_of,
    chart_values,
    figure_in,
    figure_of,
    flat,
    name_of,
    walk,
)
from ..record.numbers import Key, value_key
from ..slides import Picture
from .report import Report
from .texts import set_paragraphs

_SCRATCH: list[Any] = []  # one throwaway presentation per process, its slides dropped after use


@contextmanager
def _scratch(picture: Picture) -> Iterator[list[Any]]:
    """A figure's shapes as a fresh build draws them, in the order drawn, on a throwaway slide —
    dropped again when the block ends (one scratch presentation serves every figure: opening
    python-pptx's default template for each took a third of an update)."""
    from pptx import Presentation

    assert picture.chart is not None and picture.area is not None
    if not _SCRATCH:
        _SCRATCH.append(Presentation())
    prs = _SCRATCH[0]
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    try:
        yield list(KINDS[picture.chart.kind].native(slide.shapes, picture.chart, picture.area))
    finally:
        ids = prs.slides._sldIdLst
        last = ids[-1]
        prs.part.drop_rel(last.rId)
        ids.remove(last)


def _labels_current(chart: Any, fresh: Any) -> bool:
    """A chart's labels are those a fresh build writes for its data: the texts cached from its
    workbook's cells and its title (what a renderer that does not compute shows)."""
    from ..figures.pptx_chart import cached_texts

    return cached_texts(chart) == cached_texts(fresh)


def _is_line(shape: Any) -> bool:
    return shape.shape_type == LINE  # a connector


def _follow(boxes: list[Any], fresh: list[Any], chart: Any, fresh_chart: Any) -> None:
    """Move annotation shapes to where a fresh build puts them, relative to their chart as it now
    sits (the officials may have moved or resized the figure)."""
    sx = int(chart.width) / int(fresh_chart.width)
    sy = int(chart.height) / int(fresh_chart.height)

    def x(v: int) -> int:
        return int(chart.left + (v - fresh_chart.left) * sx)

    def y(v: int) -> int:
        return int(chart.top + (v - fresh_chart.top) * sy)

    for box, model in zip(boxes, fresh):
        if _is_line(box):
            box.begin_x, box.begin_y = x(model.begin_x), y(model.begin_y)
            box.end_x, box.end_y = x(model.end_x), y(model.end_y)
        else:
            box.left, box.top = x(model.left), y(model.top)
            box.width, box.height = int(model.width * sx), int(model.height * sy)


def _set_text(shape: Any, text: str) -> None:
    """A text box's text, a paragraph a line, keeping each paragraph's first run's formatting."""
    set_paragraphs(shape.text_frame._txBody, [(line,) for line in text.split("\n")])


def _refresh_chart(shape: Any, picture: Picture, report: Report, where: str) -> dict[Key, float | None]:
    """:func:`_refreshed_chart`, beside the figure as a fresh build draws it (its labels and annotations)."""
    with _scratch(picture) as made:
        return _refreshed_chart(shape, picture, made, report, where)


def _refreshed_chart(
    shape: Any, picture: Picture, made: list[Any], report: Report, where: str
) -> dict[Key, float | None]:
    """A figure's charts given the new numbers (formatting kept), its annotations and alt text the
    new texts; reported only where something changed. Each old value's new one, by the label it
    belongs to (a value that went two ways maps to None): what a typed number of it becomes."""
    from ..figures.kinds import chart_data
    from ..figures.pptx_chart import sync_labels

    spec = picture.chart
    assert spec is not None
    kind = KINDS[spec.kind]
    inside = walk(shape.shapes) if shape.shape_type == GROUP else [shape]
    charts = [s for s in inside if s.has_chart]
    by_part = {figure_of(name_of(s)): s for s in charts}
    moved: list[str] = []
    stale: list[int] = []
    values: dict[Key, float | None] = {}
    fresh_charts = [m.chart for m in made if m.has_chart]
    for k, panel in enumerate(spec.panels):
        frame = by_part.get((spec.number, panel.name)) or (charts[k] if k < len(charts) else None)
        if frame is None:
            report.missing.append(f"{where} {panel.name}のグラフ")
            continue
        chart, before = _shown(frame, spec.kind, where)
        after = [(b.label, b.value) for b in panel.bars]
        old = dict(before)
        for label, value in after:
            if label in old:
                key = value_key(old[label])
                values[key] = value if values.get(key, value) == value else None
        if before == after and _labels_current(chart, fresh_charts[k]):
            continue
        chart.replace_data(chart_data(spec, panel))
        sync_labels(chart, fresh_charts[k])
        if not kind.labels_at_parts:  # the axis as a fresh build sets it for the new values
            chart.value_axis.maximum_scale = fresh_charts[k].value_axis.maximum_scale
        stale.append(k)
        moved += _moves(before, after, kind.ranked)
    if not moved:  # the same numbers: the annotations, drawn from them, are the same too
        if stale:
            report.charts.append(f"{where}:\n  ラベルをデータに合わせた")
        return values
    moved += _refresh_annotations(inside, made, charts, kind.labels_at_parts, report, where)
    _describe(shape, picture.alt_text)
    report.charts.append(f"{where}:" + "".join(f"\n  {m}" for m in moved))
    return values


def _shown(frame: Any, kind: str, where: str) -> tuple[Any, list[tuple[str, float]]]:
    """A chart and the (label, value) of each bar or part it shows now; an
    :class:`~slidegen.errors.UpdateError` naming it where its data cannot be read."""
    try:
        chart = frame.chart
        return chart, chart_values(chart, kind)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
        raise UpdateError(
            f"{where}: the chart's data cannot be read ({type(e).__name__}: {e}); the chart is damaged — "
            "delete it, or build the deck afresh with `slidegen build`."
        ) from None


def _moves(before: list[tuple[str, float]], after: list[tuple[str, float]], ranked: bool) -> list[str]:
    """What changed between a chart's old and new (label, value)s, in the report's words: each value
    that moved, each new part, and — in a ranked chart — a new order."""
    old = dict(before)
    moved = [
        f"{label} {old[label]:.1f} → {value:.1f}" for label, value in after if label in old and old[label] != value
    ]
    moved += [f"{label} {value:.1f}（新たに）" for label, value in after if label not in old]
    order = [label for label, _ in before if label in dict(after)]
    if ranked and order != [label for label, _ in after if label in old]:
        moved.append("並び順が入れ替わった：" + "、".join(label for label, _ in after))
    return moved


def _refresh_annotations(
    inside: list[Any], made: list[Any], charts: list[Any], at_parts: bool, report: Report, where: str
) -> list[str]:
    """A figure's annotations (text boxes and lines grouped with its charts) brought to a fresh
    build's, where they still match it one for one; what changed, in the report's words."""
    boxes = [s for s in inside if not s.has_chart]
    fresh = [m for m in made if not m.has_chart]
    moved = []
    if [_is_line(b) for b in boxes] == [_is_line(m) for m in fresh]:
        for box, model in zip(boxes, fresh):
            if not _is_line(box) and flat(box.text_frame.text) != flat(model.text_frame.text):
                moved.append(f"注記「{flat(box.text_frame.text)}」 → 「{flat(model.text_frame.text)}」")
                _set_text(box, model.text_frame.text)
        if at_parts and charts:  # their labels sit by the parts they name
            _follow(boxes, fresh, charts[0], next(m for m in made if m.has_chart))
    elif fresh:
        report.conflicts.append(f"{where}: 注記の数が変わったため注記はそのまま（新しい注記は再ビルドで）")
    return moved


def _describe(shape: Any, alt_text: str) -> None:
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    if c_nv_pr:
        c_nv_pr[0].set("descr", alt_text)


def _refresh_picture(shape: Any, picture: Picture, report: Report, where: str) -> None:
    """Swap the image behind a picture shape, keeping its position, size and crop."""
    if shape.image.blob == picture.png:
        return
    image_part, rid = shape.part.get_or_add_image_part(io.BytesIO(picture.png))
    shape._element.blipFill.find(f"{{{A}}}blip").set(f"{{{R}}}embed", rid)
    _describe(shape, picture.alt_text)
    report.charts.append(f"{where}: 画像を差し替え\n  {picture.alt_text}")


def refresh_figures(
    slide: Any, pictures: dict[int, Picture], report: Report, where: str
) -> tuple[dict[Key, float | None], set[int]]:
    """Every figure on a slide — a chart or picture slidegen drew, known by its name, wherever it
    was pasted — brought to the new data: each old value's new one (:func:`_refresh_chart`), and
    the figures found."""
    values: dict[Key, float | None] = {}
    shown = set()
    for shape in slide.shapes:
        n = figure_in(shape)
        if n is None:
            continue
        shown.add(n)
        picture = pictures.get(n)
        if picture is not None and not alt_text_of(shape).strip():  # a LibreOffice re-save drops every figure's
            _describe(shape, picture.alt_text)
            report.alt_texts.append(f"{where} 図{n}")
        if picture is None:
            report.conflicts.append(f"{where} 図{n}: 今のデータにない図のため、そのまま")
        elif shape.shape_type == PICTURE:
            _refresh_picture(shape, picture, report, f"{where} 図{n}")
        elif picture.chart is not None and _older(shape, picture):
            _redraw(slide, shape, picture, report, f"{where} 図{n}")
        elif picture.chart is not None:
            for key, value in _refresh_chart(shape, picture, report, f"{where} 図{n}").items():
                values[key] = value if values.get(key, value) == value else None
    return values, shown


#: how far past its area a figure may reach and still be where slidegen put it (EMU: 1 mm)
BOX_SLACK = 36000


def _older(shape: Any, picture: Picture) -> bool:
    """A figure whose labels are not tied to its chart's data: a band, a doughnut or a panel with
    gains whose chart has no value fields in its labels — drawn by an older slidegen (its labels
    were shapes), or copied by LibreOffice's Duplicate Slide (which turns the fields into text)."""
    spec = picture.chart
    assert spec is not None
    if not KINDS[spec.kind].labels_at_parts and all(p.gain_min is None for p in spec.panels):
        return False
    inside = walk(shape.shapes) if shape.shape_type == GROUP else [shape]
    fields = (f.get("type") for s in inside if s.has_chart for f in s.chart._chartSpace.iter(f"{{{A}}}fld"))
    return "VALUE" not in fields


def _redraw(slide: Any, shape: Any, picture: Picture, report: Report, where: str) -> None:
    """A figure whose labels are not its data's (:func:`_older`) drawn afresh where it stands (moved
    with it, where people moved it), in its place among the slide's shapes: its labels become the
    chart's data again; its formatting is the build's."""
    from ..writers.pptx import add_native

    assert picture.area is not None
    area = picture.area
    x, y, w, h = int(shape.left), int(shape.top), int(shape.width), int(shape.height)
    inside = area.left - BOX_SLACK <= x and x + w <= area.left + area.width + BOX_SLACK
    inside = inside and area.top - BOX_SLACK <= y and y + h <= area.top + area.height + BOX_SLACK
    dx, dy = (
        (0, 0) if inside else (x + w // 2 - (area.left + area.width // 2), y + h // 2 - (area.top + area.height // 2))
    )
    moved = Box(area.left + dx, area.top + dy, area.width, area.height)  # where people moved it, if they did
    fresh = add_native(slide.shapes, dataclasses.replace(picture, area=moved))
    shape._element.addprevious(fresh._element)
    shape._element.getparent().remove(shape._element)
    report.charts.append(
        f"{where}:\n  ラベルがグラフのデータにつながっていない（以前のslidegenの形式、またはLibreOfficeでの複製）ため、"
        "今のデータで描き直した（グラフの書式は既定に戻る）"
    )
