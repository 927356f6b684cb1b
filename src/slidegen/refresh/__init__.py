"""Refreshing a deck officials have edited: the new data into what slidegen made, every human edit kept.

:func:`refresh` takes the bytes of a deck slidegen built (and people edited since) and the slide
model of the current data, and changes only what the data changed:

- **charts**, found by their stable names wherever they now sit, get the new numbers through
  python-pptx's ``replace_data`` — series colours, fonts, axes, size and position stay as the
  officials left them — and their annotations (a doughnut's labels and centre share, a band's labels
  and bracket, the gains of a paired figure) and alt text follow the data. A figure inserted as a
  picture is replaced in place, keeping its position, size and crop;
- **text blocks** are found by name, or — where LibreOffice renamed them — on their slide by the
  text slidegen recorded, by their box, or by likeness. A paragraph nobody touched gets the new
  text (keeping its formatting); in a paragraph someone edited, each phrase the data put there
  (「約7割」) that is still there, once and in one piece, is replaced; anything else stays as the
  person wrote it and is reported as a conflict with the old and the new wording;
- **notes**: slidegen's own lines (the figure's table and the source) are replaced where they
  stand; the officials' notes around them stay.

Slides added, deleted or reordered, headings and texts that do not come from the data, the theme
and layouts: all stay as they are. What slidegen last wrote is read from, and written back to,
the deck's record (:mod:`slidegen.record`).
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from ..errors import UpdateError
from ..figures.kinds import KINDS
from ..inputs.template import Box
from ..ooxml import GROUP, LINE, PICTURE, A, P, R
from ..record import FURNITURE, BlockRecord, Record, SlideRecord, block_record, read_record, write_record
from ..record.located import (
    chart_values,
    figure_in,
    figure_of,
    flat,
    heading_of,
    locate_block,
    model_slide,
    name_of,
    paragraph_text,
    paragraph_texts,
    place,
    slide_origins,
    walk,
)
from ..record.numbers import Key, normal, numbers, value_key
from ..slides import BALANCED, Deck, Picture, TextBlock
from ..writers.outputs import stable_ooxml


@dataclass
class Report:
    """What a refresh did and what it left for a person, in the words the report prints."""

    charts: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self, claims: tuple[str, ...] = ()) -> list[str]:
        out: list[str] = []
        for title, items in (
            ("グラフ・図を更新", self.charts),
            ("文を更新（手を加えられていない文）", self.texts),
            ("手を加えられた文の語句を置換", self.phrases),
            ("要確認：手を加えられた文は変更せず", self.conflicts),
            ("ノートを更新", self.notes),
            ("デッキにない要素（再追加せず）", self.missing),
            ("要確認：データが支えなくなった記述", list(claims)),
        ):
            out.append(f"■ {title}：{len(items)}件")
            out += [f"  {line}" for item in items for line in item.split("\n")]
        return out


# ---- finding what slidegen made -------------------------------------------------------------------


# ---- writing text into what people edited ---------------------------------------------------------


def _set_paragraph(p: Any, lines: tuple[str, ...]) -> None:
    """Replace a paragraph's text with ``lines`` (joined by line breaks), keeping its paragraph
    properties and the formatting of its first run."""
    runs = p.findall(f"{{{A}}}r")
    rpr = runs[0].find(f"{{{A}}}rPr") if runs else None
    for child in list(p):
        if child.tag in (f"{{{A}}}r", f"{{{A}}}br", f"{{{A}}}fld"):
            p.remove(child)
    end = p.find(f"{{{A}}}endParaRPr")
    for i, line in enumerate(lines):
        if i:
            br = etree.Element(f"{{{A}}}br")
            if rpr is not None:
                br.append(copy.deepcopy(rpr))
            _insert(p, br, end)
        r = etree.Element(f"{{{A}}}r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        etree.SubElement(r, f"{{{A}}}t").text = line or None  # as a re-read writes an empty one
        _insert(p, r, end)


def _set_paragraphs(body: Any, paragraphs: list[tuple[str, ...]]) -> None:
    """A text body's paragraphs set to ``paragraphs`` (each its lines): as many as it had are
    rewritten in place, formatting kept; more are copied from its last, fewer removed."""
    existing = body.findall(f"{{{A}}}p")
    while len(existing) < len(paragraphs):
        clone = copy.deepcopy(existing[-1])
        existing[-1].addnext(clone)
        existing.append(clone)
    for p in existing[len(paragraphs) :]:
        body.remove(p)
    for p, lines in zip(existing, paragraphs):
        _set_paragraph(p, lines)


def _insert(p: Any, element: Any, before: Any) -> None:
    if before is not None:
        before.addprevious(element)
    else:
        p.append(element)


_VOLATILE = ("lang", "altLang", "dirty", "err", "noProof")


def _same_look(a: Any, b: Any) -> bool:
    """Two runs' properties alike but for language and spelling marks (LibreOffice splits a run
    where the script changes: 「約」「7」「割」)."""
    if a is None or b is None:
        return a is None and b is None
    a, b = copy.deepcopy(a), copy.deepcopy(b)
    for e in (a, b):
        for key in _VOLATILE:
            e.attrib.pop(key, None)
    return bool(etree.tostring(a) == etree.tostring(b))


def _replace_phrase(p: Any, old: str, new: str) -> bool:
    """Replace ``old`` with ``new`` in a paragraph where it occurs once, keeping the formatting of
    what it replaces: the characters the two share at either end stay in their runs, and the part
    that changes takes the look of the run it starts in (a bold 「7割」 of 「約7割」 gives a bold
    「6割」). False where ``old`` is not there once, or crosses a line break or a field."""
    if not old or paragraph_text(p).count(old) != 1:
        return False
    spans, at = [], 0  # (its a:t, start, end) in the paragraph's text
    for r in p:
        if r.tag != f"{{{A}}}r":
            continue
        t = r.find(f"{{{A}}}t")
        if t is None:
            t = etree.SubElement(r, f"{{{A}}}t")
        spans.append((t, at, at + len(t.text or "")))
        at += len(t.text or "")
    start = "".join(t.text or "" for t, _, _ in spans).find(old)
    if start < 0:
        return False  # inside a field or across a line break: not safe to touch
    pre = len(os.path.commonprefix([old, new]))
    suf = len(os.path.commonprefix([old[pre:][::-1], new[pre:][::-1]]))
    a, b = start + pre, start + len(old) - suf  # the part of the text that changes
    middle = new[pre : len(new) - suf]
    if a < b:
        target = next(t for t, ra, rb in spans if ra <= a < rb)
    else:  # a pure insertion: in the run of the character before it
        target = next((t for t, ra, rb in spans if ra < a <= rb), spans[0][0])
    for t, ra, rb in spans:
        lo, hi = max(a, ra), min(b, rb)
        if t is target:
            cut = (lo - ra, hi - ra) if lo < hi else (a - ra, a - ra)
            t.text = (t.text or "")[: cut[0]] + middle + (t.text or "")[cut[1] :]
        elif lo < hi:
            t.text = (t.text or "")[: lo - ra] + (t.text or "")[hi - ra :]
    return True


def _one_look(p: Any) -> bool:
    """Every run of a paragraph looks alike (as slidegen writes it, or as a renderer split it by
    script): nobody formatted a part of it."""
    looks = [r.find(f"{{{A}}}rPr") for r in p if r.tag == f"{{{A}}}r"]
    return all(_same_look(looks[0], other) for other in looks[1:]) if looks else True


def _restyled(written: str, value: float) -> str:
    """A number as typed (「６９．５％」, 「69.5%」) with another value, in the same digits and unit."""
    wide = any("０" <= c <= "９" for c in written)
    m = re.match(r"^[+\-＋－]?[\d０-９,，]+(?:[.．][\d０-９]+)?", written)
    rest = written[m.end() :] if m else ""
    digits = f"{value:,.1f}" if "," in written or "，" in written else f"{value:.1f}"
    if wide:
        digits = digits.translate(str.maketrans("0123456789.,-", "０１２３４５６７８９．，－"))
    return digits + rest


def _refresh_numbers(p: Any, values: dict[Key, float | None], replaced: list[str]) -> list[str]:
    """Numbers a person typed into a paragraph (「（69.5％）」 beside 「約7割」) that were a value of
    the old data, given that value's new one where it is one value of the figure; what was replaced."""
    raw = paragraph_text(p)
    if len(raw) != len(normal(raw)):
        return []
    done = []
    for number in numbers(normal(raw)):
        new = values.get(number.key)
        written = raw[number.start : number.end]
        inside = any(written in phrase for phrase in replaced)
        if not number.is_data or new is None or inside or value_key(new) == number.key:
            continue
        fresh = _restyled(written, new)
        if _replace_phrase(p, written, fresh):
            done.append(f"「{written}」→「{fresh}」")
    return done


def _reordered(old: str, new: str) -> bool:
    """Two phrases that name the same items in another order: a ranking that changed."""
    parts = [sorted(x for x in re.split(r"[、と・や]", phrase) if x) for phrase in (old, new)]
    return old != new and parts[0] == parts[1] and len(parts[0]) > 1


def _refresh_block(
    shape: Any,
    old: BlockRecord,
    new: BlockRecord,
    lines: list[tuple[str, ...]],
    where: str,
    report: Report,
    values: dict[Key, float | None],
) -> BlockRecord:
    """Bring one located text block to the new data; the record of what slidegen wrote there now.
    A paragraph nobody touched — its words as slidegen wrote them, in one look — gets the new text
    in its formatting; in one a person edited or formatted, the data's phrases are replaced in
    place, and numbers typed beside them that were values of the old data get their new values."""
    paragraphs = shape.text_frame._txBody.findall(f"{{{A}}}p")
    current = paragraph_texts(shape)
    if current == list(old.paragraphs) and all(_one_look(p) for p in paragraphs):
        _set_paragraphs(shape.text_frame._txBody, lines)
        for o, n in zip(old.paragraphs, new.paragraphs):
            if o != n:
                report.texts.append(f"{where}:\n  旧「{o}」\n  新「{n}」")
        return new
    resolved_paragraphs = list(old.paragraphs)
    resolved_phrases: list[tuple[str, ...]] = list(old.phrases) if old.phrases else [() for _ in old.paragraphs]
    matcher = difflib.SequenceMatcher(None, current, list(old.paragraphs), autojunk=False)
    pairs: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace"):
            pairs += list(zip(range(i1, i2), range(j1, j2)))
    paired = {j for _, j in pairs}
    for i, j in pairs:
        if j >= len(new.paragraphs) or old.paragraphs[j] == new.paragraphs[j]:
            continue
        o, n = old.paragraphs[j], new.paragraphs[j]
        if current[i] == o and _one_look(paragraphs[i]):  # this paragraph untouched
            _set_paragraph(paragraphs[i], lines[j])
            report.texts.append(f"{where}:\n  旧「{o}」\n  新「{n}」")
        else:
            olds: tuple[str, ...] = old.phrases[j] if j < len(old.phrases) else ()
            news: tuple[str, ...] = new.phrases[j] if j < len(new.phrases) else ()
            changes = [(a, b) for a, b in zip(olds, news) if a != b]
            trial = copy.deepcopy(paragraphs[i])  # every phrase replaced, or none
            if len(olds) != len(news) or not changes or not all(_replace_phrase(trial, a, b) for a, b in changes):
                report.conflicts.append(
                    f"{where}: 手を加えられた文はそのまま\n  現「{current[i]}」\n  旧「{o}」\n  新「{n}」"
                )
                continue
            typed = _refresh_numbers(trial, values, [b for _, b in changes])
            paragraphs[i].getparent().replace(paragraphs[i], trial)
            paragraphs[i] = trial
            said = "、".join(
                f"「{a}」→「{b}」" + ("（順位が入れ替わった）" if _reordered(a, b) else "") for a, b in changes
            )
            if typed:
                said += "、手で書かれた数値 " + "、".join(typed)
            kept = "（書式はそのまま）" if not _one_look(trial) else ""
            report.phrases.append(f"{where}: {said}{kept}\n  現「{flat(paragraph_text(paragraphs[i]))}」")
        resolved_paragraphs[j] = n
        resolved_phrases[j] = new.phrases[j] if j < len(new.phrases) else ()
    for j, (o, n) in enumerate(zip(old.paragraphs, new.paragraphs)):
        if j not in paired and o != n:
            report.conflicts.append(
                f"{where}: slidegenの文が見当たらず、新しい文は入れていない\n  旧「{o}」\n  新「{n}」"
            )
    return BlockRecord(old.slide, old.role, old.box, tuple(resolved_paragraphs), tuple(resolved_phrases))


# ---- charts and pictures ----------------------------------------------------------------------------


def _scratch(picture: Picture) -> tuple[Any, list[Any]]:
    """A figure's shapes as a fresh build draws them (on a throwaway slide): the presentation
    that holds them, and the shapes in the order drawn."""
    from pptx import Presentation

    assert picture.chart is not None and picture.area is not None
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    made = KINDS[picture.chart.kind].native(slide.shapes, picture.chart, picture.area)
    return prs, list(made)


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
    _set_paragraphs(shape.text_frame._txBody, [(line,) for line in text.split("\n")])


def _refresh_chart(shape: Any, picture: Picture, report: Report, where: str) -> dict[Key, float | None]:
    """A figure's charts given the new numbers (formatting kept), its annotations and alt text the
    new texts; reported only where something changed. Each old value's new one, by the label it
    belongs to (a value that went two ways maps to None): what a typed number of it becomes."""
    from ..figures.kinds import chart_data
    from ..figures.pptx_chart import sync_labels

    spec = picture.chart
    assert spec is not None
    inside = walk(shape.shapes) if shape.shape_type == GROUP else [shape]
    charts = [s for s in inside if s.has_chart]
    by_part = {figure_of(name_of(s)): s for s in charts}
    moved: list[str] = []
    stale: list[int] = []
    values: dict[Key, float | None] = {}
    _scratch_prs, made = _scratch(picture)  # the figure as a fresh build draws it: its labels and annotations
    fresh_charts = [m.chart for m in made if m.has_chart]
    for k, panel in enumerate(spec.panels):
        frame = by_part.get((spec.number, panel.name)) or (charts[k] if k < len(charts) else None)
        if frame is None:
            report.missing.append(f"{where} {panel.name}のグラフ")
            continue
        try:
            chart = frame.chart
            before = chart_values(chart, spec.kind)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as e:
            raise UpdateError(
                f"{where}: the chart's data cannot be read ({type(e).__name__}: {e}); the chart is damaged — "
                "delete it, or build the deck afresh with `slidegen build`."
            ) from None
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
        if not KINDS[spec.kind].labels_at_parts:
            chart.value_axis.maximum_scale = None  # (a deck built before the axis was left free)
        stale.append(k)
        moved += [
            f"{label} {old[label]:.1f} → {value:.1f}" for label, value in after if label in old and old[label] != value
        ]
        moved += [f"{label} {value:.1f}（新たに）" for label, value in after if label not in old]
        order = [label for label, _ in before if label in dict(after)]
        if KINDS[spec.kind].ranked and order != [label for label, _ in after if label in old]:
            moved.append("並び順が入れ替わった：" + "、".join(label for label, _ in after))
    if not moved:  # the same numbers: the annotations, drawn from them, are the same too
        if stale:
            report.charts.append(f"{where}:\n  ラベルをデータに合わせた")
        return values
    boxes = [s for s in inside if not s.has_chart]
    fresh = [m for m in made if not m.has_chart]
    if [_is_line(b) for b in boxes] == [_is_line(m) for m in fresh]:
        for box, model in zip(boxes, fresh):
            if not _is_line(box) and flat(box.text_frame.text) != flat(model.text_frame.text):
                moved.append(f"注記「{flat(box.text_frame.text)}」 → 「{flat(model.text_frame.text)}」")
                _set_text(box, model.text_frame.text)
        if KINDS[spec.kind].labels_at_parts and charts:  # their labels sit by the parts they name
            _follow(boxes, fresh, charts[0], next(m for m in made if m.has_chart))
    elif fresh:
        report.conflicts.append(f"{where}: 注記の数が変わったため注記はそのまま（新しい注記は再ビルドで）")
    _describe(shape, picture.alt_text)
    report.charts.append(f"{where}:" + "".join(f"\n  {m}" for m in moved))
    return values


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


# ---- notes ------------------------------------------------------------------------------------------


def _refresh_notes(slide: Any, old: str, new: str, where: str, report: Report) -> bool:
    """slidegen's lines of a slide's notes replaced where they stand; the rest kept. False where
    slidegen's lines are no longer there as written."""
    if old == new:
        return True
    frame = slide.notes_slide.notes_text_frame
    body = frame._txBody
    paragraphs = body.findall(f"{{{A}}}p")
    texts = [paragraph_text(p) for p in paragraphs]
    old_lines, new_lines = old.split("\n"), new.split("\n")
    for k in range(len(texts) - len(old_lines) + 1):
        if texts[k : k + len(old_lines)] == old_lines:
            template = paragraphs[k]
            for p in paragraphs[k : k + len(old_lines)]:
                body.remove(p)
            anchor = paragraphs[k - 1] if k else None
            for line in new_lines:
                p = copy.deepcopy(template)
                _set_paragraph(p, (line,))
                if anchor is None:
                    body.insert(_first_p(body), p)
                else:
                    anchor.addnext(p)
                anchor = p
            report.notes.append(f"{where}: slidegenの表と出典")
            return True
    report.conflicts.append(f"{where} ノート: slidegenの記載が書き換えられているため更新せず")
    return False


def _first_p(body: Any) -> int:
    for i, child in enumerate(body):
        if child.tag == f"{{{A}}}p":
            return i
    return len(body)


# ---- the whole deck ---------------------------------------------------------------------------------


def _refresh_figures(
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


def refresh(data: bytes, deck: Deck, when: datetime) -> tuple[bytes, Report]:
    """The deck ``data`` (which carries slidegen's record) brought to the slide model ``deck``,
    every human edit kept; and what was done. ``when`` dates the charts' new workbooks.

    Each slide of the deck as it now stands is taken for the recorded slide it is, or is a copy
    of (:func:`~slidegen.record.located.slide_origins`): every copy is refreshed whole — its
    figures, its texts, its notes — and named in the report by its place in the deck now. A slide
    deck.yaml no longer has, a text the data no longer calls for on a slide that is not the one
    slidegen built: left as they are, and said."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    record = read_record(prs)
    if record is None:
        raise ValueError("the deck carries no slidegen record")
    report = Report()
    origins = slide_origins(prs, record)
    entries = {e.slide: e for e in record.slides}
    models = {e.slide: model_slide(e, deck) for e in record.slides}
    pictures = {p.figure: p for s in deck.slides for p in s.pictures}
    recorded: dict[int, list[BlockRecord]] = {}
    for b in record.blocks:
        recorded.setdefault(b.slide, []).append(b)
    for e in record.slides:
        if e.slide not in origins:
            report.missing.append(f"スライド（作成時{e.slide}）「{e.heading}」: 削除されたものとみなし、再追加しない")
    notes = {e.slide: e.notes for e in record.slides}  # slidegen's notes as the deck now holds them
    resolved: dict[tuple[int, str], BlockRecord] = {}
    added: list[BlockRecord] = []
    for number, (slide, origin) in enumerate(zip(prs.slides, origins), start=1):
        if origin is None:  # a slide people made: only a figure of slidegen's pasted on it is refreshed
            heading = heading_of(slide)
            _refresh_figures(slide, pictures, report, f"スライド{number}" + (f"（{heading}）" if heading else ""))
            continue
        entry, model = entries[origin], models[origin]
        where = f"スライド{number}（{heading_of(slide) or entry.heading}）"
        if model is None:
            report.conflicts.append(f"{where}: deck.yaml にないスライド（作成後に外された）のため、そのまま")
            continue
        values, shown = _refresh_figures(slide, pictures, report, where)
        report.missing += [f"{where} 図{p.figure}" for p in model.pictures if p.figure not in shown]
        if _refresh_notes(slide, entry.notes, model.notes, where, report):
            notes[origin] = model.notes
        figures = [p.figure for p in model.pictures]
        same = model.number == origin and model.layout == entry.layout  # the slide slidegen built there
        new_blocks = {b.role: b for b in model.blocks if b.role not in FURNITURE}
        claimed: set[Any] = set()  # the elements themselves: lxml keeps one proxy per element while it is held
        for old in recorded.get(origin, []):
            at = f"{where} {place(old.role, figures)}"
            new_block = new_blocks.get(old.role)
            if new_block is None:  # the data (or deck.yaml) no longer calls for this text
                gone = locate_block(slide, old, claimed)
                if gone is not None and same and paragraph_texts(gone) == list(old.paragraphs):
                    gone._element.getparent().remove(gone._element)
                    report.texts.append(
                        f"{at}: 不要になったため削除" + "".join(f"\n  旧「{p}」" for p in old.paragraphs)
                    )
                    resolved.setdefault((origin, old.role), BlockRecord(origin, "", old.box, ()))
                elif gone is not None:
                    report.conflicts.append(f"{at}: 今のデータ（deck.yaml）にない文のため、そのまま")
                continue
            new = block_record(origin, new_block)
            if old.paragraphs == new.paragraphs:
                resolved.setdefault((origin, old.role), new)
                continue
            shape = locate_block(slide, old, claimed)
            if shape is None:
                report.missing.append(
                    f"{at}: 新しい文は入れていない" + "".join(f"\n  新「{p}」" for p in new.paragraphs)
                )
                continue
            claimed.add(shape._element)
            lines = [p.lines if new_block.role in BALANCED else (p.text,) for p in new_block.paragraphs]
            resolved.setdefault((origin, old.role), _refresh_block(shape, old, new, lines, at, report, values))
        roles = {b.role for b in recorded.get(origin, [])}
        for role, new_block in new_blocks.items():  # a text the data now calls for (a note)
            if role in roles or not same:
                continue
            _add_block(slide, origin, new_block)  # on every copy of the slide; recorded once
            report.texts.append(
                f"{where} {place(role, figures)}: 新たに追加"
                + "".join(f"\n  新「{p.text}」" for p in new_block.paragraphs)
            )
            if not any(b.slide == origin and b.role == role for b in added):
                added.append(block_record(origin, new_block))
    blocks = [resolved.get((b.slide, b.role), b) for b in record.blocks]
    blocks = [b for b in blocks if b.role] + added
    slides_record = tuple(SlideRecord(s.slide, s.layout, s.heading, s.figures, notes[s.slide]) for s in record.slides)
    write_record(prs, Record(record.year, record.title, record.charts, slides_record, tuple(blocks)))
    out = io.BytesIO()
    prs.save(out)
    return stable_ooxml(out.getvalue(), when, core_dates=False), report


def _add_block(slide: Any, number: int, block: TextBlock) -> None:
    """A text block put on a slide that lacks it, as a build writes it: in the layout's placeholder
    for it, or — where the layout has lost its placeholder numbers (a LibreOffice re-save) — in a
    text box of the same place, size and look."""
    from pptx.util import Emu

    from ..writers.pptx import fill_text_body, shape_name

    layout = next((p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == block.style.idx), None)
    if layout is not None:
        element = copy.deepcopy(layout._element)
        slide.shapes._spTree.append(element)
    else:
        box = block.style.box
        element = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))._element
    fill_text_body(element.find(f"{{{P}}}txBody"), block)
    element.find(f"{{{P}}}nvSpPr/{{{P}}}cNvPr").set("name", shape_name(number, block.role))
    if layout is None:  # a text box inherits no style: state the placeholder's
        for rpr in element.iter(f"{{{A}}}rPr", f"{{{A}}}endParaRPr"):
            rpr.set("sz", str(int(round(block.size * 100))))
            rpr.set("b", "1" if block.style.bold else "0")
            fill = etree.Element(f"{{{A}}}solidFill")
            etree.SubElement(fill, f"{{{A}}}srgbClr", val=block.style.color)
            rpr.insert(0, fill)


class NotADeck(Exception):
    """Bytes that are not a .pptx deck python-pptx can open (said by :func:`record_of`)."""


def record_of(data: bytes) -> Record | None:
    """The record a deck's bytes carry, or ``None``; :class:`NotADeck` where they are no deck."""
    import zipfile

    from pptx import Presentation
    from pptx.exc import PythonPptxError

    try:
        prs = Presentation(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, PythonPptxError) as e:
        raise NotADeck(f"{type(e).__name__}: {e}") from None
    return read_record(prs)
