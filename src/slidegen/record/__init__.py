"""What slidegen wrote into a deck, recorded inside the deck, so ``slidegen update`` can tell its
own text from an official's edits.

The record is JSON kept in the deck's custom document properties (``docProps/custom.xml``), cut
into properties of at most :data:`CHUNK` characters (``slidegen.record.001`` …), as Office keeps
text properties of up to 255 characters. Measured: PowerPoint and LibreOffice Impress 7.4 keep
custom properties when they re-save a deck — LibreOffice drops placeholders' names and numbers and
the slides' names, so the record, not the shapes, says what slidegen wrote.

It holds, for each text block slidegen filled (its slide as built, role and box), the paragraphs it
wrote and the phrases the data put into each (「約7割」); for each slide, the figures it shows and
the notes slidegen wrote; and which survey year and title the deck is of.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..ooxml import CUSTOM, CUSTOM_PROPERTIES_REL, VT
from ..slides import Deck, TextBlock

CHUNK = 240
PREFIX = "slidegen.record."
_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
#: roles whose text slidegen never refreshes in an edited deck: the page furniture
FURNITURE = frozenset({"footer", "number"})


@dataclass(frozen=True)
class BlockRecord:
    """One text block as slidegen wrote it."""

    slide: int  # the slide's number as built
    role: str
    box: tuple[int, int, int, int]
    paragraphs: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()  # per paragraph

    @property
    def key(self) -> str:
        return f"s{self.slide}:{self.role}"


@dataclass(frozen=True)
class SlideRecord:
    """One slide as slidegen built it: its number, layout, heading, figures and notes."""

    slide: int
    layout: str
    heading: str
    figures: tuple[int, ...]
    notes: str


@dataclass(frozen=True)
class Record:
    """What slidegen wrote into a deck."""

    year: str
    title: str
    charts: str
    slides: tuple[SlideRecord, ...]
    blocks: tuple[BlockRecord, ...] = field(default=())
    #: a segment's deck (build --by): its axis and value, so ``check`` and ``update`` compare it
    #: with its segment's data, not the whole survey's
    segment: tuple[str, str] | None = None

    def to_json(self) -> str:
        data = {"generator": "slidegen", "version": 1, **dataclasses.asdict(self)}
        if self.segment is None:  # the whole survey's deck: its record as before segments were
            del data["segment"]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Record:
        """The record of its JSON; ValueError, KeyError or TypeError where it is not one."""
        d = json.loads(text)
        if d.get("generator") != "slidegen":
            raise ValueError("not a slidegen record")
        return cls(
            str(d["year"]),
            str(d["title"]),
            str(d["charts"]),
            tuple(SlideRecord(**_frozen(s)) for s in d["slides"]),
            tuple(BlockRecord(**_frozen(b)) for b in d["blocks"]),
            _segment(d.get("segment")),
        )


def _segment(value: Any) -> tuple[str, str] | None:
    """A record's segment: None, or its axis and value (a TypeError where it is neither)."""
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise TypeError(f"segment: expected [axis, value], found {value!r}")
    return (value[0], value[1])


def _frozen(fields: dict[str, Any]) -> dict[str, Any]:
    """A record's fields as JSON gives them, its lists made tuples again (nested ones too)."""

    def tuples(value: Any) -> Any:
        return tuple(tuples(v) for v in value) if isinstance(value, list) else value

    return {key: tuples(value) for key, value in fields.items()}


def block_record(slide: int, block: TextBlock) -> BlockRecord:
    box = block.style.box
    return BlockRecord(
        slide,
        block.role,
        (box.left, box.top, box.width, box.height),
        tuple(p.text for p in block.paragraphs),
        block.phrases,
    )


def deck_record(deck: Deck, charts: str) -> Record:
    """The record of a freshly built deck."""
    slides = tuple(
        SlideRecord(s.number, s.layout, s.heading, tuple(p.figure for p in s.pictures), s.notes) for s in deck.slides
    )
    blocks = tuple(block_record(s.number, b) for s in deck.slides for b in s.blocks if b.role not in FURNITURE)
    return Record(deck.year, deck.title, charts, slides, blocks, deck.segment)


def _custom_part(prs: Any) -> Any:
    try:
        return prs.part.package.part_related_by(CUSTOM_PROPERTIES_REL)
    except KeyError:
        return None


def write_record(prs: Any, record: Record) -> None:
    """Put ``record`` into the presentation's custom properties, replacing an earlier record and
    keeping every other property."""
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    part = _custom_part(prs)
    if part is not None:
        root = etree.fromstring(part.blob)
    else:
        root = etree.Element(f"{{{CUSTOM}}}Properties", nsmap={None: CUSTOM, "vt": VT})
    for prop in list(root):
        if str(prop.get("name", "")).startswith(PREFIX):
            root.remove(prop)
    text = record.to_json()
    pid = max([int(p.get("pid", "1")) for p in root] + [1])
    for k in range(0, len(text), CHUNK):
        pid += 1
        prop = etree.SubElement(root, f"{{{CUSTOM}}}property", fmtid=_FMTID, pid=str(pid))
        prop.set("name", f"{PREFIX}{k // CHUNK + 1:03d}")
        etree.SubElement(prop, f"{{{VT}}}lpwstr").text = text[k : k + CHUNK]
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if part is not None:
        part._blob = blob
    else:
        part = Part(PackURI("/docProps/custom.xml"), _TYPE, prs.part.package, blob)
        prs.part.package.relate_to(part, CUSTOM_PROPERTIES_REL)


class DamagedRecord(Exception):
    """A deck whose record is there but cannot be read (cut short, or edited by hand)."""


def read_record(prs: Any) -> Record | None:
    """The record a deck carries, or ``None`` where it carries none; :class:`DamagedRecord` where
    it carries one that cannot be read."""
    part = _custom_part(prs)
    if part is None:
        return None
    root = etree.fromstring(part.blob)
    chunks = sorted(
        (str(p.get("name")), "".join(p.itertext())) for p in root if str(p.get("name", "")).startswith(PREFIX)
    )
    if not chunks:
        return None
    try:
        return Record.from_json("".join(text for _, text in chunks))
    except (ValueError, KeyError, TypeError) as e:
        raise DamagedRecord(f"{type(e).__name__}: {e}") from None
