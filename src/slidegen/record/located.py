"""What slidegen made, found again in a deck as people left it.

A deck in officials' hands has been saved by PowerPoint or LibreOffice, its slides moved, copied
and deleted, its shapes renamed. Both :mod:`slidegen.refresh` (``update``) and
:mod:`slidegen.compare.check` (``check``) read such a deck with the helpers here:

- every shape of a slide, groups opened (:func:`walk`), and a paragraph's text as slidegen wrote
  it (:func:`paragraph_text`, the slide number field left out);
- the figure a shape belongs to by its name, however LibreOffice rewrote it (``slidegen:図1``,
  ``slidegen:図 1``, ``slidegen:図1:実績``: :func:`figure_of`);
- which recorded slide each slide of the deck now is, copies included (:func:`slide_origins`):
  by the figures and names it holds, else by the text slidegen wrote on it;
- a recorded text block on a slide (:func:`locate_block`): by name, text, box or likeness.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..figures.kinds import KINDS
from ..ooxml import GROUP, A
from ..slides import Deck, Slide
from . import BlockRecord, Record, SlideRecord

#: how near a box must be to the recorded one to be taken for it (LibreOffice rounds to 1/100 mm)
BOX_TOLERANCE = 18000  # EMU: half a millimetre
#: how alike an edited text must be to what slidegen wrote to be taken for it
LIKENESS = 0.5

# LibreOffice makes a copied shape's name unique by putting " N" for its last digits: a copy of
# slidegen:図4 is "slidegen:図 2" (no figure number left), its chart "slidegen:図4:chart 1"
#: where a text block stands, in the words an official uses
PLACES = {
    "title": "タイトル",
    "subtitle": "副題",
    "byline": "発行者",
    "overview": "概要",
    "heading": "見出し",
    "bullets": "本文",
    "subheading": "小見出し",
    "footnotes": "注記",
    "footer": "フッター",
    "stamp": "サンプル表示",
}

_FIGURE = re.compile(r"^slidegen:図(\d+)(?::(\S*?))?(?: \d+)?$")
_ROLE = re.compile(r"^slidegen:\s*s(\d+):(\w+)")


def name_of(shape: Any) -> str:
    return str(shape.name or "")


def alt_text_of(shape: Any) -> str:
    """A shape's alt text (its ``descr``), or "" where it has none (a LibreOffice re-save drops it)."""
    c_nv_pr = shape._element.xpath("./*[1]/p:cNvPr")
    return str(c_nv_pr[0].get("descr", "")) if c_nv_pr else ""


def walk(shapes: Any) -> list[Any]:
    """Every shape, groups opened, in document order."""
    found = []
    for shape in shapes:
        found.append(shape)
        if shape.shape_type == GROUP:
            found += walk(shape.shapes)
    return found


def figure_of(name: str) -> tuple[int, str] | None:
    """The figure a shape's name gives and the part after it (``"実績"``, ``"注記2"``, ``""`` for the
    figure itself): ``slidegen:図1:実績`` → (1, "実績"), LibreOffice's copy ``slidegen:図1:実績 1``
    too; None where the name gives none — LibreOffice's ``slidegen:図 2`` (a copy of some figure)."""
    m = _FIGURE.match(name.strip())
    return (int(m.group(1)), m.group(2) or "") if m else None


def figure_in(shape: Any) -> int | None:
    """The figure a shape is: by its name, else (a group LibreOffice renamed) by its parts' names."""
    named = figure_of(name_of(shape))
    if named is not None:
        return named[0]
    if shape.shape_type == GROUP:
        for part in walk(shape.shapes):
            named = figure_of(name_of(part))
            if named is not None:
                return named[0]
    return None


def role_of(name: str) -> tuple[int, str] | None:
    """The slide (as built) and role a text shape's name gives: ``slidegen:s3:bullets`` → (3, "bullets")."""
    m = _ROLE.match(name.strip())
    return (int(m.group(1)), m.group(2)) if m else None


def flat(text: str) -> str:
    """A paragraph's text as slidegen recorded it: line breaks inside it removed."""
    return text.replace("\v", "").replace("\n", "")


def paragraph_text(p: Any) -> str:
    """A paragraph's text: its runs' and fields' text, line breaks and the slide number left out."""
    return "".join(
        t.text or ""
        for r in p
        if r.tag == f"{{{A}}}r" or (r.tag == f"{{{A}}}fld" and r.get("type") != "slidenum")
        for t in r.findall(f"{{{A}}}t")
    )


def paragraphs_of(shape: Any) -> list[Any]:
    """A text shape's paragraph elements."""
    return list(shape.text_frame._txBody.findall(f"{{{A}}}p"))


def paragraph_texts(shape: Any) -> list[str]:
    return [flat(paragraph_text(p)) for p in paragraphs_of(shape)]


def _slide_text(slide: Any) -> str:
    return "\n".join(t for s in walk(slide.shapes) if s.has_text_frame for t in paragraph_texts(s) if t.strip())


def _recorded_text(record: Record) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for b in record.blocks:
        texts.setdefault(b.slide, []).extend(b.paragraphs)
    return {k: "\n".join(v) for k, v in texts.items()}


def heading_of(slide: Any) -> str:
    """A slide's heading as it now reads: its title placeholder's text, else ""."""
    for shape in slide.placeholders:
        if shape.placeholder_format.type in (1, 3):  # PP_PLACEHOLDER.TITLE, CENTER_TITLE
            return " ".join(shape.text_frame.text.split())
    return ""


def slide_origins(prs: Any, record: Record) -> list[int | None]:
    """For each slide of the deck as it now stands, the recorded slide it is — or a copy of — or
    ``None`` for a slide slidegen did not make (a figure pasted on it is still known by its own name).

    A slide is known by the names slidegen gave its shapes (``slidegen:s3:bullets``, which PowerPoint
    keeps); where LibreOffice renamed them, by the text slidegen wrote on it; failing that, by the
    figures it shows — where its notes or some of its text are still slidegen's, so a chart pasted
    onto someone's own slide does not make that slide a copy of the chart's."""
    by_figure = {n: s.slide for s in record.slides for n in s.figures}
    built = {s.slide for s in record.slides}
    recorded = _recorded_text(record)
    notes = {s.slide: s.notes.split("\n", 1)[0] for s in record.slides}
    origins: list[int | None] = []
    for slide in prs.slides:
        named: dict[int, int] = {}
        shown: dict[int, int] = {}
        for shape in walk(slide.shapes):
            name = name_of(shape)
            figure, role = figure_of(name), role_of(name)
            if figure is not None and figure[0] in by_figure:
                shown[by_figure[figure[0]]] = shown.get(by_figure[figure[0]], 0) + 1
            elif role is not None and role[0] in built:
                named[role[0]] = named.get(role[0], 0) + 1
        if named:
            origins.append(max(sorted(named), key=lambda k: named[k] + shown.get(k, 0)))
            continue
        text = _slide_text(slide)
        likeness = {
            k: difflib.SequenceMatcher(None, recorded[k], text, autojunk=False).ratio() if text else 0.0
            for k in sorted(recorded)
        }
        best = max(sorted(likeness), key=lambda k: likeness[k], default=None)
        if best is not None and likeness[best] >= LIKENESS:
            origins.append(best)
            continue
        said = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        backed = [k for k in sorted(shown) if likeness.get(k, 0.0) >= LIKENESS / 2 or (notes[k] and notes[k] in said)]
        origins.append(max(backed, key=lambda k: shown[k]) if backed else None)
    return origins


def _near(shape: Any, box: tuple[int, int, int, int]) -> bool:
    if shape.left is None or shape.top is None:
        return False
    return abs(int(shape.left) - box[0]) <= BOX_TOLERANCE and abs(int(shape.top) - box[1]) <= BOX_TOLERANCE


def locate_block(slide: Any, entry: BlockRecord, claimed: set[Any]) -> Any:
    """A recorded text block on its slide: by its stable name, by the text slidegen wrote, by its
    box (where nobody moved it), or by likeness to what slidegen wrote."""
    shapes = [s for s in slide.shapes if s.has_text_frame and s._element not in claimed]
    name = f"slidegen:{entry.key}"
    for tests in (
        lambda s: name_of(s) == name,
        lambda s: paragraph_texts(s) == list(entry.paragraphs),
        lambda s: _near(s, entry.box) and not name_of(s).startswith("slidegen:"),
    ):
        for s in shapes:
            if tests(s):
                return s
    recorded = "\n".join(entry.paragraphs)
    scored = [
        (difflib.SequenceMatcher(None, recorded, "\n".join(paragraph_texts(s)), autojunk=False).ratio(), i)
        for i, s in enumerate(shapes)
        if not name_of(s).startswith("slidegen:")
    ]
    if scored:
        likeness, i = max(scored)
        if likeness >= LIKENESS:
            return shapes[i]
    return None


def chart_values(chart: Any, kind: str) -> list[tuple[str, float]]:
    """(label, value) of each bar or part a chart shows now: a band's parts are its series, any
    other kind's bars its categories."""
    plot = chart.plots[0]
    if KINDS[kind].parts_are_series:
        return [(str(s.name), float(s.values[0])) for s in plot.series]
    return [(str(c), float(v)) for c, v in zip(plot.categories, plot.series[0].values)]


def place(role: str, figures: list[int]) -> str:
    """Where a text block of ``role`` stands, in the words an official uses: 本文, 見出し, 図3 表題
    (``figures``: the figures its slide shows, in order)."""
    if role[-1:].isdigit() and role[:-1] in ("caption", "unit", "figure"):
        k = int(role[-1]) - 1
        figure = f"図{figures[k]}" if k < len(figures) else "図"
        return f"{figure} {'表題' if role.startswith('caption') else '単位・n'}"
    return PLACES.get(role, role)


def model_slide(entry: SlideRecord, deck: Deck) -> Slide | None:
    """The slide of today's model that a recorded slide is: the same number, layout and figures;
    else the one with the same figures; else the same heading. None where deck.yaml dropped it."""
    for s in deck.slides:
        if (
            s.number == entry.slide
            and s.layout == entry.layout
            and tuple(p.figure for p in s.pictures) == entry.figures
        ):
            return s
    for s in deck.slides:
        if entry.figures and tuple(p.figure for p in s.pictures) == entry.figures:
            return s
    return next((s for s in deck.slides if s.heading == entry.heading and s.layout == entry.layout), None)
