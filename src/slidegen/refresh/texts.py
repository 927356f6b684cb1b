"""Writing the data's new words into text people may have edited: a paragraph nobody touched
rewritten in its formatting; in one a person edited, each phrase the data put there replaced where
it stands, and numbers typed beside it that were the old data's refreshed; slidegen's lines in the
speaker notes replaced, the officials' notes around them kept."""

from __future__ import annotations

import copy
import difflib
import os
import re
from typing import Any

from lxml import etree

from ..ooxml import A
from ..record import BlockRecord
from ..record.located import (
    flat,
    paragraph_text,
    paragraph_texts,
)
from ..record.numbers import Key, normal, numbers, value_key
from .report import Report


def _set_paragraph(p: Any, lines: tuple[str, ...], spacing: float | None = None) -> None:
    """Replace a paragraph's text with ``lines`` (joined by line breaks), keeping its paragraph
    properties and the formatting of its first run — but its character spacing, where ``spacing``
    gives the one a fresh build sets these words at (slidegen's choice, so that they break well:
    :attr:`~slidegen.slides.Paragraph.spacing`)."""
    runs = p.findall(f"{{{A}}}r")
    rpr = runs[0].find(f"{{{A}}}rPr") if runs else None
    if rpr is not None and spacing is not None:
        rpr = copy.deepcopy(rpr)
        if spacing:
            rpr.set("spc", str(int(round(spacing * 100))))
        else:
            rpr.attrib.pop("spc", None)
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


def set_paragraphs(body: Any, paragraphs: list[tuple[str, ...]], spacings: list[float] | None = None) -> None:
    """A text body's paragraphs set to ``paragraphs`` (each its lines): as many as it had are
    rewritten in place, formatting kept (but the character spacing, where ``spacings`` gives each
    paragraph's); more are copied from its last, fewer removed."""
    existing = body.findall(f"{{{A}}}p")
    while len(existing) < len(paragraphs):
        clone = copy.deepcopy(existing[-1])
        existing[-1].addnext(clone)
        existing.append(clone)
    for p in existing[len(paragraphs) :]:
        body.remove(p)
    for k, (p, lines) in enumerate(zip(existing, paragraphs)):
        _set_paragraph(p, lines, spacings[k] if spacings is not None else None)


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


def refresh_block(
    shape: Any,
    old: BlockRecord,
    new: BlockRecord,
    lines: list[tuple[str, ...]],
    where: str,
    report: Report,
    values: dict[Key, float | None],
    spacings: list[float] | None = None,
) -> BlockRecord:
    """Bring one located text block to the new data; the record of what slidegen wrote there now.
    A paragraph nobody touched — its words as slidegen wrote them, in one look — gets the new text
    in its formatting; in one a person edited or formatted, the data's phrases are replaced in
    place, and numbers typed beside them that were values of the old data get their new values.
    ``spacings``: each new paragraph's character spacing, which an untouched one takes."""
    paragraphs = shape.text_frame._txBody.findall(f"{{{A}}}p")
    current = paragraph_texts(shape)
    if current == list(old.paragraphs) and all(_one_look(p) for p in paragraphs):
        set_paragraphs(shape.text_frame._txBody, lines, spacings)
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
            _set_paragraph(paragraphs[i], lines[j], spacings[j] if spacings is not None else None)
            report.texts.append(f"{where}:\n  旧「{o}」\n  新「{n}」")
        else:
            olds: tuple[str, ...] = old.phrases[j] if j < len(old.phrases) else ()
            news: tuple[str, ...] = new.phrases[j] if j < len(new.phrases) else ()
            edited = _refresh_edited(paragraphs[i], olds, news, values)
            if edited is None:
                report.conflicts.append(
                    f"{where}: 手を加えられた文はそのまま\n  現「{current[i]}」\n  旧「{o}」\n  新「{n}」"
                )
                continue
            paragraphs[i], said = edited
            report.phrases.append(f"{where}: {said}\n  現「{flat(paragraph_text(paragraphs[i]))}」")
        resolved_paragraphs[j] = n
        resolved_phrases[j] = new.phrases[j] if j < len(new.phrases) else ()
    for j, (o, n) in enumerate(zip(old.paragraphs, new.paragraphs)):
        if j not in paired and o != n:
            report.conflicts.append(
                f"{where}: slidegenの文が見当たらず、新しい文は入れていない\n  旧「{o}」\n  新「{n}」"
            )
    return BlockRecord(old.slide, old.role, old.box, tuple(resolved_paragraphs), tuple(resolved_phrases))


def _refresh_edited(
    paragraph: Any, olds: tuple[str, ...], news: tuple[str, ...], values: dict[Key, float | None]
) -> tuple[Any, str] | None:
    """A paragraph a person edited or formatted, its data's phrases ``olds`` replaced by ``news``
    where they stand (each in one piece) and the old data's numbers typed beside them refreshed —
    every phrase, or none (None); the paragraph now in the deck, and what was done in the
    report's words."""
    changes = [(a, b) for a, b in zip(olds, news) if a != b]
    trial = copy.deepcopy(paragraph)
    if len(olds) != len(news) or not changes or not all(_replace_phrase(trial, a, b) for a, b in changes):
        return None
    typed = _refresh_numbers(trial, values, [b for _, b in changes])
    paragraph.getparent().replace(paragraph, trial)
    said = "、".join(f"「{a}」→「{b}」" + ("（順位が入れ替わった）" if _reordered(a, b) else "") for a, b in changes)
    if typed:
        said += "、手で書かれた数値 " + "、".join(typed)
    return trial, said + ("（書式はそのまま）" if not _one_look(trial) else "")


def refresh_notes(slide: Any, old: str, new: str, where: str, report: Report) -> bool:
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
