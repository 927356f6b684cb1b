"""A TrueType or OpenType font file read for measuring: which characters it has, how far each one
advances, its ascent and descent and the family name it gives itself — the numbers FreeType gives
unscaled (``FT_LOAD_NO_SCALE``), read straight from the file's ``cmap``, ``hmtx``, ``hhea``,
``head`` and ``name`` tables, so text is measured without loading matplotlib.

A collection (``.ttc``) is read at its first font, as fontconfig's index 0. The character map is
the Windows Unicode one (full repertoire, format 12, where the file has it; else BMP, format 4),
as FreeType chooses; a character it does not map has no glyph here.
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from ..errors import FontError


class FontFile:
    """One font file's metrics, read from its tables as they are asked for."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.data = path.read_bytes()
            self.tables = _tables(self.data)
            head, hhea = self.tables["head"], self.tables["hhea"]
        except (OSError, KeyError, struct.error) as e:
            raise FontError(f"{path}: not a font file slidegen can read ({type(e).__name__}: {e}).") from None
        self.units_per_em = struct.unpack_from(">H", self.data, head + 18)[0]
        self.ascender, self.descender = struct.unpack_from(">hh", self.data, hhea + 4)
        self._metrics = struct.unpack_from(">H", self.data, hhea + 34)[0]

    def glyph(self, char: str) -> int:
        """The glyph ``char`` maps to; 0 where the font has none."""
        return self._cmap(ord(char))

    def advance(self, glyph: int) -> int:
        """How far ``glyph`` advances, in font units (the last metric repeats for the glyphs after it)."""
        index = min(glyph, self._metrics - 1)
        return int(struct.unpack_from(">H", self.data, self.tables["hmtx"] + 4 * index)[0])

    @cached_property
    def family_name(self) -> str:
        """The family the font calls itself, as FreeType reads it: its typographic family (name 16)
        where it gives one, else its family (name 1) — in English where it has it."""
        names = _names(self.data, self.tables["name"])
        for name_id in (16, 1):
            if name_id in names:
                return names[name_id]
        return self.path.stem

    @cached_property
    def _cmap(self) -> Callable[[int], int]:
        """The lookup of the character map chosen (:func:`_cmap_lookup`)."""
        return _cmap_lookup(self.data, self.tables["cmap"])


def _tables(data: bytes) -> dict[str, int]:
    """Each table's offset in the file (a collection's first font's)."""
    base = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0
    count = struct.unpack_from(">H", data, base + 4)[0]
    tables = {}
    for k in range(count):
        tag, _, offset, _ = struct.unpack_from(">4sIII", data, base + 12 + 16 * k)
        tables[tag.decode("latin-1")] = offset
    return tables


def _names(data: bytes, table: int) -> dict[int, str]:
    """The family names (1, 16) of the ``name`` table, Windows Unicode English first, then any
    Windows Unicode, then Macintosh Roman English."""
    count, strings = struct.unpack_from(">HH", data, table + 2)
    found: dict[int, tuple[int, str]] = {}
    for k in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">HHHHHH", data, table + 6 + 12 * k)
        if name_id not in (1, 16):
            continue
        raw = data[table + strings + offset : table + strings + offset + length]
        if platform == 3 and encoding in (0, 1, 10):
            rank, text = (0 if language == 0x409 else 1), raw.decode("utf-16-be", "replace")
        elif platform == 1 and encoding == 0 and language == 0:
            rank, text = 2, raw.decode("mac-roman", "replace")
        else:
            continue
        if name_id not in found or rank < found[name_id][0]:
            found[name_id] = (rank, text)
    return {name_id: text for name_id, (_, text) in found.items()}


def _cmap_lookup(data: bytes, table: int) -> Callable[[int], int]:
    """A function from a code point to its glyph, from the Unicode subtable FreeType would choose:
    Windows full repertoire (3, 10) or Unicode full (0, 4/6) in format 12, else Windows BMP (3, 1)
    or Unicode BMP (0, 3 and below) in format 4."""
    count = struct.unpack_from(">H", data, table + 2)[0]
    subtables: dict[tuple[int, int, int], int] = {}
    for k in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, table + 4 + 8 * k)
        fmt = struct.unpack_from(">H", data, table + offset)[0]
        subtables.setdefault((platform, encoding, fmt), table + offset)
    for key in ((3, 10, 12), (0, 4, 12), (0, 6, 12)):
        if key in subtables:
            return _format12(data, subtables[key])
    for key in ((3, 1, 4), (0, 3, 4), (0, 2, 4), (0, 1, 4), (0, 0, 4)):
        if key in subtables:
            return _format4(data, subtables[key])
    raise FontError("the font has no Unicode character map (cmap format 4 or 12) slidegen can read")


def _format12(data: bytes, at: int) -> Callable[[int], int]:
    groups = struct.unpack_from(">I", data, at + 12)[0]
    starts, ends, glyphs = [], [], []
    for k in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * k)
        starts.append(start)
        ends.append(end)
        glyphs.append(glyph)

    def lookup(code: int) -> int:
        k = bisect_right(starts, code) - 1
        return glyphs[k] + code - starts[k] if k >= 0 and code <= ends[k] else 0

    return lookup


def _format4(data: bytes, at: int) -> Callable[[int], int]:
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends_at = at + 14
    starts_at = ends_at + 2 * segments + 2
    deltas_at = starts_at + 2 * segments
    ranges_at = deltas_at + 2 * segments
    ends = struct.unpack_from(f">{segments}H", data, ends_at)
    starts = struct.unpack_from(f">{segments}H", data, starts_at)
    deltas = struct.unpack_from(f">{segments}h", data, deltas_at)
    ranges = struct.unpack_from(f">{segments}H", data, ranges_at)

    def lookup(code: int) -> int:
        if code > 0xFFFF:
            return 0
        k = bisect_right(ends, code - 1)  # the first segment ending at or after code
        if k >= segments or starts[k] > code:
            return 0
        if ranges[k] == 0:
            return (code + deltas[k]) & 0xFFFF
        where = ranges_at + 2 * k + ranges[k] + 2 * (code - starts[k])
        glyph = struct.unpack_from(">H", data, where)[0]
        return (glyph + deltas[k]) & 0xFFFF if glyph else 0

    return lookup
