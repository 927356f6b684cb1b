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
import io
from datetime import datetime
from typing import Any

from lxml import etree

from ..ooxml import A, P
from ..record import FURNITURE, BlockRecord, Record, SlideRecord, block_record, read_record, write_record
from ..record.located import heading_of, locate_block, model_slide, paragraph_texts, place, slide_origins
from ..record.numbers import Key
from ..slides import BALANCED, Deck, TextBlock
from ..writers.outputs import stable_ooxml
from .figures import refresh_figures
from .report import Report
from .texts import refresh_block, refresh_notes

__all__ = ["NotADeck", "Report", "record_of", "refresh"]


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
    run = _Refreshing(record, deck)
    origins = slide_origins(prs, record)
    for e in record.slides:
        if e.slide not in origins:
            run.report.missing.append(
                f"スライド（作成時{e.slide}）「{e.heading}」: 削除されたものとみなし、再追加しない"
            )
    for number, (slide, origin) in enumerate(zip(prs.slides, origins), start=1):
        run.slide(number, slide, origin)
    write_record(prs, run.record())
    out = io.BytesIO()
    prs.save(out)
    return stable_ooxml(out.getvalue(), when, core_dates=False), run.report


class _Refreshing:
    """One refresh under way: the deck's record, today's slide model, what has been done (the
    report), and the record as it is becoming — each text block as now written, the notes."""

    def __init__(self, record: Record, deck: Deck) -> None:
        self.old = record
        self.report = Report()
        self.entries = {e.slide: e for e in record.slides}
        self.models = {e.slide: model_slide(e, deck) for e in record.slides}
        self.pictures = {p.figure: p for s in deck.slides for p in s.pictures}
        self.recorded: dict[int, list[BlockRecord]] = {}
        for b in record.blocks:
            self.recorded.setdefault(b.slide, []).append(b)
        self.notes = {e.slide: e.notes for e in record.slides}  # slidegen's notes as the deck now holds them
        self.resolved: dict[tuple[int, str], BlockRecord] = {}
        self.added: list[BlockRecord] = []

    def slide(self, number: int, slide: Any, origin: int | None) -> None:
        """Slide ``number`` of the deck as it stands, a copy of the recorded slide ``origin`` (None:
        a slide people made, where only a figure of slidegen's pasted on it is refreshed)."""
        if origin is None:
            heading = heading_of(slide)
            refresh_figures(
                slide, self.pictures, self.report, f"スライド{number}" + (f"（{heading}）" if heading else "")
            )
            return
        entry, model = self.entries[origin], self.models[origin]
        where = f"スライド{number}（{heading_of(slide) or entry.heading}）"
        if model is None:
            self.report.conflicts.append(f"{where}: deck.yaml にないスライド（作成後に外された）のため、そのまま")
            return
        values, shown = refresh_figures(slide, self.pictures, self.report, where)
        self.report.missing += [f"{where} 図{p.figure}" for p in model.pictures if p.figure not in shown]
        if refresh_notes(slide, entry.notes, model.notes, where, self.report):
            self.notes[origin] = model.notes
        same = model.number == origin and model.layout == entry.layout  # the slide slidegen built there
        new_blocks = {b.role: b for b in model.blocks if b.role not in FURNITURE}
        figures = [p.figure for p in model.pictures]
        claimed: set[Any] = set()  # the elements themselves: lxml keeps one proxy per element while it is held
        for old in self.recorded.get(origin, []):
            at = f"{where} {place(old.role, figures)}"
            self._text(slide, origin, old, new_blocks.get(old.role), same, claimed, at, values)
        if same:
            self._new_texts(slide, origin, new_blocks, f"{where}", figures)

    def _text(
        self,
        slide: Any,
        origin: int,
        old: BlockRecord,
        new_block: TextBlock | None,
        same: bool,
        claimed: set[Any],
        at: str,
        values: dict[Key, float | None],
    ) -> None:
        """One text block slidegen wrote: brought to today's text, removed where the data no longer
        calls for it (on the slide slidegen built, untouched), or left and said."""
        if new_block is None:  # the data (or deck.yaml) no longer calls for this text
            gone = locate_block(slide, old, claimed)
            if gone is not None and same and paragraph_texts(gone) == list(old.paragraphs):
                gone._element.getparent().remove(gone._element)
                self.report.texts.append(
                    f"{at}: 不要になったため削除" + "".join(f"\n  旧「{p}」" for p in old.paragraphs)
                )
                self.resolved.setdefault((origin, old.role), BlockRecord(origin, "", old.box, ()))
            elif gone is not None:
                self.report.conflicts.append(f"{at}: 今のデータ（deck.yaml）にない文のため、そのまま")
            return
        new = block_record(origin, new_block)
        if old.paragraphs == new.paragraphs:
            self.resolved.setdefault((origin, old.role), new)
            return
        shape = locate_block(slide, old, claimed)
        if shape is None:
            self.report.missing.append(
                f"{at}: 新しい文は入れていない" + "".join(f"\n  新「{p}」" for p in new.paragraphs)
            )
            return
        claimed.add(shape._element)
        lines = [p.lines if new_block.role in BALANCED else (p.text,) for p in new_block.paragraphs]
        spacings = [p.spacing for p in new_block.paragraphs]
        refreshed = refresh_block(shape, old, new, lines, at, self.report, values, spacings)
        self.resolved.setdefault((origin, old.role), refreshed)

    def _new_texts(
        self, slide: Any, origin: int, new_blocks: dict[str, TextBlock], where: str, figures: list[int]
    ) -> None:
        """The texts the data now calls for that slidegen had not written (a note): added to every
        copy of the slide, recorded once."""
        roles = {b.role for b in self.recorded.get(origin, [])}
        for role, new_block in new_blocks.items():
            if role in roles:
                continue
            _add_block(slide, origin, new_block)
            self.report.texts.append(
                f"{where} {place(role, figures)}: 新たに追加"
                + "".join(f"\n  新「{p.text}」" for p in new_block.paragraphs)
            )
            if not any(b.slide == origin and b.role == role for b in self.added):
                self.added.append(block_record(origin, new_block))

    def record(self) -> Record:
        """The deck's record after the refresh: each block as now written, the notes as now held."""
        blocks = [self.resolved.get((b.slide, b.role), b) for b in self.old.blocks]
        blocks = [b for b in blocks if b.role] + self.added
        slides = tuple(
            SlideRecord(s.slide, s.layout, s.heading, s.figures, self.notes[s.slide]) for s in self.old.slides
        )
        return Record(self.old.year, self.old.title, self.old.charts, slides, tuple(blocks))


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
