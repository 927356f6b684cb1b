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
the deck's record (:mod:`slidegen.writers.record`).
"""

from __future__ import annotations

import copy
import difflib
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from ..inputs.kinds import KINDS, NATIVE
from ..slides import BALANCED, Deck, Picture, TextBlock
from .located import LIKENESS, chart_values, flat, locate_block, name_of, paragraph_text, paragraph_texts, walk
from .outputs import stable_ooxml
from .record import FURNITURE, BlockRecord, Record, SlideRecord, block_record, read_record, write_record

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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


def _locate_slides(prs: Any, record: Record) -> dict[int, Any]:
    """Each recorded slide's current slide, where it is still in the deck: by a figure it shows,
    by the names of its shapes, else by its texts."""
    slides = list(prs.slides)
    names = [{name_of(s) for s in walk(slide.shapes)} for slide in slides]
    found: dict[int, Any] = {}
    taken: set[int] = set()
    for entry in record.slides:
        for i, shape_names in enumerate(names):
            if i in taken:
                continue
            if any(f"slidegen:図{n}" in shape_names for n in entry.figures) or any(
                n.startswith(f"slidegen:s{entry.slide}:") for n in shape_names
            ):
                found[entry.slide] = slides[i]
                taken.add(i)
                break
    blocks: dict[int, list[BlockRecord]] = {}
    for b in record.blocks:
        blocks.setdefault(b.slide, []).append(b)
    for entry in record.slides:
        if entry.slide in found or entry.figures:
            continue
        best, score = None, 0.0
        recorded = "\n".join(p for b in blocks.get(entry.slide, []) for p in b.paragraphs)
        for i, slide in enumerate(slides):
            if i in taken:
                continue
            text = "\n".join(t for s in walk(slide.shapes) if s.has_text_frame for t in paragraph_texts(s) if t.strip())
            likeness = difflib.SequenceMatcher(None, recorded, text, autojunk=False).ratio()
            if likeness > score:
                best, score = i, likeness
        if best is not None and score >= LIKENESS:
            found[entry.slide] = slides[best]
            taken.add(best)
    return found


# ---- writing text into what people edited ---------------------------------------------------------


def _set_paragraph(p: Any, lines: tuple[str, ...]) -> None:
    """Replace a paragraph's text with ``lines`` (joined by line breaks), keeping its paragraph
    properties and the formatting of its first run."""
    runs = p.findall(f"{{{_A}}}r")
    rpr = runs[0].find(f"{{{_A}}}rPr") if runs else None
    for child in list(p):
        if child.tag in (f"{{{_A}}}r", f"{{{_A}}}br", f"{{{_A}}}fld"):
            p.remove(child)
    end = p.find(f"{{{_A}}}endParaRPr")
    for i, line in enumerate(lines):
        if i:
            br = etree.Element(f"{{{_A}}}br")
            if rpr is not None:
                br.append(copy.deepcopy(rpr))
            _insert(p, br, end)
        r = etree.Element(f"{{{_A}}}r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        etree.SubElement(r, f"{{{_A}}}t").text = line
        _insert(p, r, end)


def _set_paragraphs(body: Any, paragraphs: list[tuple[str, ...]]) -> None:
    """A text body's paragraphs set to ``paragraphs`` (each its lines): as many as it had are
    rewritten in place, formatting kept; more are copied from its last, fewer removed."""
    existing = body.findall(f"{{{_A}}}p")
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
    """Replace ``old`` with ``new`` in a paragraph where it occurs once, in runs that look alike
    (one run, or runs a renderer split by script); False where that cannot be done safely."""
    if not old or paragraph_text(p).count(old) != 1:
        return False
    spans, at = [], 0  # (run, its a:t, start, end) in the paragraph's text
    for r in p:
        if r.tag not in (f"{{{_A}}}r",):
            continue
        t = r.find(f"{{{_A}}}t")
        text = (t.text or "") if t is not None else ""
        spans.append((r, t, at, at + len(text)))
        at += len(text)
    start = "".join((t.text or "") if t is not None else "" for _, t, _, _ in spans).find(old)
    if start < 0:
        return False  # inside a field or across a line break: not safe to touch
    end = start + len(old)
    covered = [s for s in spans if s[2] < end and s[3] > start]
    looks = [r.find(f"{{{_A}}}rPr") for r, _, _, _ in covered]
    if not all(_same_look(looks[0], other) for other in looks[1:]):
        return False
    for k, (_, t, a, _end) in enumerate(covered):
        text = t.text or ""
        keep_before = text[: max(start - a, 0)]
        keep_after = text[min(end - a, len(text)) :]
        t.text = keep_before + (new if k == 0 else "") + keep_after
    return True


def _where(entry: BlockRecord, heading: str) -> str:
    return f"スライド{entry.slide}（{heading}） {entry.role}"


def _refresh_block(
    shape: Any, old: BlockRecord, new: BlockRecord, lines: list[tuple[str, ...]], where: str, report: Report
) -> BlockRecord:
    """Bring one located text block to the new data; the record of what slidegen wrote there now."""
    paragraphs = shape.text_frame._txBody.findall(f"{{{_A}}}p")
    current = paragraph_texts(shape)
    if current == list(old.paragraphs):  # nobody touched it: the new text, its formatting kept
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
        if current[i] == o:  # this paragraph untouched
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
            paragraphs[i].getparent().replace(paragraphs[i], trial)
            paragraphs[i] = trial
            said = "、".join(f"「{a}」→「{b}」" for a, b in changes)
            report.phrases.append(f"{where}: {said}\n  現「{flat(paragraph_text(paragraphs[i]))}」")
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
    made = KINDS[picture.chart.kind].renderer(NATIVE)(slide.shapes, picture.chart, picture.area)
    return prs, list(made)


def _is_line(shape: Any) -> bool:
    return shape.shape_type == 9  # MSO_SHAPE_TYPE.LINE: a connector


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


def _refresh_chart(shape: Any, picture: Picture, report: Report, where: str) -> None:
    """A figure's charts given the new numbers (formatting kept), its annotations and alt text the
    new texts; reported only where something changed."""
    from .charts import chart_data, gain_labels

    spec = picture.chart
    assert spec is not None
    inside = walk(shape.shapes) if shape.shape_type == 6 else [shape]
    charts = [s for s in inside if s.has_chart]
    by_name = {name_of(s): s for s in charts}
    moved: list[str] = []
    for k, panel in enumerate(spec.panels):
        frame = by_name.get(f"slidegen:図{spec.number}:{panel.name}") or (charts[k] if k < len(charts) else None)
        if frame is None:
            report.missing.append(f"{where} {panel.name}のグラフ")
            continue
        chart = frame.chart
        before = chart_values(chart, spec.kind)
        after = [(b.label, b.value) for b in panel.bars]
        if before == after:
            continue
        chart.replace_data(chart_data(spec, panel))
        if spec.kind == "paired":
            gain_labels(chart.plots[0].series[0], panel)
        if spec.kind not in ("band", "doughnut"):
            chart.value_axis.maximum_scale = spec.axis_max
        old = dict(before)
        moved += [
            f"{label} {old[label]:.1f} → {value:.1f}" for label, value in after if label in old and old[label] != value
        ]
        moved += [f"{label} {value:.1f}（新たに）" for label, value in after if label not in old]
    if not moved:  # the same numbers: the annotations, drawn from them, are the same too
        return
    _scratch_prs, made = _scratch(picture)
    boxes = [s for s in inside if not s.has_chart]
    fresh = [m for m in made if not m.has_chart]
    if [_is_line(b) for b in boxes] == [_is_line(m) for m in fresh]:
        for box, model in zip(boxes, fresh):
            if not _is_line(box) and flat(box.text_frame.text) != flat(model.text_frame.text):
                moved.append(f"注記「{flat(box.text_frame.text)}」 → 「{flat(model.text_frame.text)}」")
                _set_text(box, model.text_frame.text)
        if spec.kind in ("band", "doughnut") and charts:  # their labels sit by the parts they name
            _follow(boxes, fresh, charts[0], next(m for m in made if m.has_chart))
    elif fresh:
        report.conflicts.append(f"{where}: 注記の数が変わったため注記はそのまま（新しい注記は再ビルドで）")
    _describe(shape, picture.alt_text)
    report.charts.append(f"{where}:" + "".join(f"\n  {m}" for m in moved))


def _describe(shape: Any, alt_text: str) -> None:
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    if c_nv_pr:
        c_nv_pr[0].set("descr", alt_text)


def _refresh_picture(shape: Any, picture: Picture, report: Report, where: str) -> None:
    """Swap the image behind a picture shape, keeping its position, size and crop."""
    if shape.image.blob == picture.png:
        return
    image_part, rid = shape.part.get_or_add_image_part(io.BytesIO(picture.png))
    shape._element.blipFill.find(f"{{{_A}}}blip").set(f"{{{_R}}}embed", rid)
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
    paragraphs = body.findall(f"{{{_A}}}p")
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
        if child.tag == f"{{{_A}}}p":
            return i
    return len(body)


# ---- the whole deck ---------------------------------------------------------------------------------


def refresh(data: bytes, deck: Deck, when: datetime) -> tuple[bytes, Report]:
    """The deck ``data`` (which carries slidegen's record) brought to the slide model ``deck``,
    every human edit kept; and what was done. ``when`` dates the charts' new workbooks."""
    from pptx import Presentation

    prs = Presentation(io.BytesIO(data))
    record = read_record(prs)
    if record is None:
        raise ValueError("the deck carries no slidegen record")
    report = Report()
    slides_now = _locate_slides(prs, record)
    new_slides = {s.number: s for s in deck.slides}
    headings = {s.slide: s.heading for s in record.slides}
    notes = {s.slide: s.notes for s in record.slides}  # slidegen's notes as the deck now holds them
    shapes_by_name = {name_of(s): s for slide in prs.slides for s in walk(slide.shapes)}
    for entry in record.slides:
        new_slide = new_slides.get(entry.slide)
        where = f"スライド{entry.slide}（{entry.heading}）"
        if entry.slide not in slides_now:
            report.missing.append(f"{where}: 削除されたものとみなし、再追加しない")
            continue
        if new_slide is None:
            continue
        for picture in new_slide.pictures:
            figure_where = f"{where} 図{picture.figure}"
            shape = shapes_by_name.get(f"slidegen:図{picture.figure}")
            if shape is None:
                report.missing.append(figure_where)
            elif shape.shape_type == 13:  # a picture
                _refresh_picture(shape, picture, report, figure_where)
            elif picture.chart is not None:
                _refresh_chart(shape, picture, report, figure_where)
        if _refresh_notes(slides_now[entry.slide], entry.notes, new_slide.notes, where, report):
            notes[entry.slide] = new_slide.notes
    new_blocks = {(s.number, b.role): (s, b) for s in deck.slides for b in s.blocks if b.role not in FURNITURE}
    claimed: set[Any] = set()  # the elements themselves: lxml keeps one proxy per element while it is held
    blocks: list[BlockRecord] = []
    for old in record.blocks:
        found = new_blocks.get((old.slide, old.role))
        slide = slides_now.get(old.slide)
        if slide is not None and found is None:  # the data no longer calls for this text (a note)
            gone = locate_block(slide, old, claimed)
            where = _where(old, headings.get(old.slide, ""))
            if gone is not None and paragraph_texts(gone) == list(old.paragraphs):
                gone._element.getparent().remove(gone._element)
                report.texts.append(
                    f"{where}: 不要になったため削除" + "".join(f"\n  旧「{p}」" for p in old.paragraphs)
                )
                continue
            if gone is not None:
                report.conflicts.append(f"{where}: 新しいデータでは不要だが、手を加えられているため残した")
        if found is None or slide is None:
            blocks.append(old)
            continue
        new_slide, new_block = found
        new = block_record(old.slide, new_block)
        if old.paragraphs == new.paragraphs:
            blocks.append(new)
            continue
        where = _where(old, headings.get(old.slide, ""))
        shape = locate_block(slide, old, claimed)
        if shape is None:
            report.missing.append(
                f"{where}: 新しい文は入れていない" + "".join(f"\n  新「{p}」" for p in new.paragraphs)
            )
            blocks.append(old)
            continue
        claimed.add(shape._element)
        lines = [p.lines if new_block.role in BALANCED else (p.text,) for p in new_block.paragraphs]
        blocks.append(_refresh_block(shape, old, new, lines, where, report))
    recorded = {(b.slide, b.role) for b in record.blocks}
    for (number, role), (_, new_block) in new_blocks.items():  # a text the data now calls for (a note)
        slide = slides_now.get(number)
        if (number, role) in recorded or slide is None:
            continue
        where = f"スライド{number}（{headings.get(number, '')}） {role}"
        _add_block(slide, number, new_block)
        report.texts.append(f"{where}: 新たに追加" + "".join(f"\n  新「{p.text}」" for p in new_block.paragraphs))
        blocks.append(block_record(number, new_block))
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

    from .pptx import _fill, shape_name

    layout = next((p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == block.style.idx), None)
    if layout is not None:
        element = copy.deepcopy(layout._element)
        slide.shapes._spTree.append(element)
    else:
        box = block.style.box
        element = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))._element
    _fill(element.find(f"{{{_P}}}txBody"), block)
    element.find(f"{{{_P}}}nvSpPr/{{{_P}}}cNvPr").set("name", shape_name(number, block.role))
    if layout is None:  # a text box inherits no style: state the placeholder's
        for rpr in element.iter(f"{{{_A}}}rPr", f"{{{_A}}}endParaRPr"):
            rpr.set("sz", str(int(round(block.size * 100))))
            rpr.set("b", "1" if block.style.bold else "0")
            fill = etree.Element(f"{{{_A}}}solidFill")
            etree.SubElement(fill, f"{{{_A}}}srgbClr", val=block.style.color)
            rpr.insert(0, fill)


def record_of(data: bytes) -> Record | None:
    """The record a deck's bytes carry, or ``None``."""
    from pptx import Presentation

    return read_record(Presentation(io.BytesIO(data)))
