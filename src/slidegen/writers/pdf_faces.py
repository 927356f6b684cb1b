"""The PDF's fonts as reportlab reads them, kept between builds.

reportlab parses a whole TrueType file before it can set a line in it: its character map, every
glyph's width and place (BIZ UDPゴシック: some 12,000 characters and 14,000 glyphs, a few
hundredths of a second a face, in Python). A rebuild uses the same font files, so a build keeps
what the parse found — the face's fields, less the file's bytes, which are read again to subset
the font — in its cache folder (:func:`kept_faces`), under the file's path, size and time and
the versions of reportlab and Python, and the next build puts a face together from them. The
face is the one a parse gives, field for field (a test compares them), so the PDF is the same.

A first build parses too, but not all in reportlab's Python: the character map, the widths and
the glyphs' places — some 40,000 numbers it reads one call at a time, three quarters of its 0.03 s
a face — are read here in bulk (:func:`_parse`), into the same fields in the same order, and
reportlab reads the rest (names, header, metrics). A font this reading does not know (a
character map other than formats 4 and 12, a collection, a damaged file) is parsed by reportlab
whole, which says what is wrong.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: the kept files' layout: files of another are not read
FORMAT = 1
#: the face's fields that are reportlab's named strings (bytes that also carry their text)
_NAMES = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
#: the face's fields not kept: the file's bytes (read again) and the scale made from unitsPerEm
_NOT_KEPT = ("_ttf_data", "_pdfScale")

_KEPT: list[tuple[Path, Callable[[Path, bytes], None]]] = []


@contextmanager
def kept_faces(folder: Path, write: Callable[[Path, bytes], None]) -> Iterator[None]:
    """Inside the ``with``, the faces :func:`ttfont` parses are kept in ``folder`` with ``write``
    (the build's, which writes whole or not at all), and read from it where kept."""
    _KEPT.append((folder, write))
    try:
        yield
    finally:
        _KEPT.remove((folder, write))


def ttfont(name: str, path: Path) -> Any:
    """reportlab's ``TTFont`` of the TrueType file at ``path``, registered under ``name`` by the
    caller: its face put together from what a build kept (:func:`kept_faces`), else parsed —
    and kept, where a build keeps faces."""
    from reportlab.pdfbase.ttfonts import TTFont

    kept = _kept_file(path)
    fields = _read(kept) if kept is not None else None
    if fields is None:
        face = _parse(path)
        font = TTFont(name, str(path)) if face is None else _font(name, face)
        try:
            parsed = marshal.dumps(_fields(font.face)) if kept is not None else None
        except ValueError:  # a field marshal cannot write (another reportlab's): parsed each time
            parsed = None
        if kept is not None and parsed is not None:
            _KEPT[-1][1](kept, parsed)
        return font
    return _font(name, _face(path, fields))


def _kept_file(path: Path) -> Path | None:
    """Where the face of ``path`` is kept, if a build keeps faces and the file is there."""
    if not _KEPT:
        return None
    from ..inputs.versions import version

    try:
        stat = path.stat()
    except OSError:
        return None
    key = f"{FORMAT}\0{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\0{version('reportlab')}\0{sys.version}"
    return _KEPT[-1][0] / f"{hashlib.sha256(key.encode()).hexdigest()}.marshal"


def _read(kept: Path) -> dict[str, Any] | None:
    try:
        fields = marshal.loads(kept.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return fields if isinstance(fields, dict) and "unitsPerEm" in fields else None


def _fields(face: Any) -> dict[str, Any]:
    """A parsed face's fields as marshal writes them: its named strings as plain bytes."""
    fields = {k: v for k, v in vars(face).items() if k not in _NOT_KEPT}
    for k in _NAMES:
        if k in fields:
            fields[k] = bytes(fields[k])
    return fields


def _face(path: Path, fields: dict[str, Any]) -> Any:
    """The face reportlab parses of ``path``, its fields ``fields`` rather than parsed: a face
    whose ``TTFontFace.__init__`` is skipped."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    face.__dict__.update(fields)
    for k in _NAMES:
        if k in fields:
            setattr(face, k, TTFNameBytes(fields[k]))
    face._ttf_data = path.read_bytes()
    face._pdfScale = _scale(fields["unitsPerEm"])
    return face


def _font(name: str, face: Any) -> Any:
    """The ``TTFont`` reportlab makes of ``face``'s file: what ``TTFont.__init__`` sets."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, unShapedFontGlob

    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


def _scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to thousandths of an em, as the parse makes its ``_pdfScale``."""
    if units_per_em == 1000:
        return lambda x: x
    per_unit = 1000 / units_per_em
    return lambda x: x * per_unit


def _parse(path: Path) -> Any:
    """The face reportlab's ``TTFontFace`` parses of ``path``, field for field and in the same
    order — its character map, widths and glyph places read in bulk — or None where this reading
    does not know the font (reportlab then parses it whole, and says what is wrong)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFontFace, TTFontFile

    face = TTFontFace.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    try:
        TTFontFile.__init__(face, str(path), charInfo=0)  # the names, header and metrics only
        if face._full_font or "subfontNameX" not in vars(face) or face.subfontNameX:
            return None  # a font that may not be subset (reportlab's error), or a collection
        data = face._ttf_data
        head, hhea = face.table["head"]["offset"], face.table["hhea"]["offset"]
        index_to_loc, glyph_format = struct.unpack_from(">hh", data, head + 50)
        (hmetric_count,) = struct.unpack_from(">H", data, hhea + 34)
        char_to_glyph = _character_map(face, data)
        if glyph_format != 0 or char_to_glyph is None or index_to_loc not in (0, 1):
            return None
        _metrics(face, data, char_to_glyph, hmetric_count, index_to_loc)
    except (TTFError, struct.error, KeyError, IndexError, ValueError, OverflowError):
        return None
    return face


def _words(data: bytes, offset: int, count: int, code: str = "H") -> array:
    """``count`` big-endian numbers of type ``code`` from ``offset`` (a 32-bit ``code``: ``L``
    where it is 4 bytes, else ``I``)."""
    if code in "Ll" and array(code).itemsize != 4:
        code = code.replace("L", "I").replace("l", "i")
    numbers = array(code)
    end = offset + count * numbers.itemsize
    if end > len(data):
        raise IndexError("past the end of the font")
    numbers.frombytes(data[offset:end])
    if sys.byteorder == "little":
        numbers.byteswap()
    return numbers


def _character_map(face: Any, data: bytes) -> dict[int, int] | None:
    """The character map reportlab chooses (its last Unicode subtable), read as it reads it: each
    character's glyph, in reportlab's order; ``glyphToChar`` set too. None for a format other
    than 4 and 12."""
    cmap = face.table["cmap"]["offset"]
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    chosen, enc = None, 0
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
        if platform == 3:
            enc, chosen = 1, offset
        elif platform == 1 and encoding == 0 and enc != 1:
            enc, chosen = 2, offset
        elif platform == 1 and encoding == 1:
            enc, chosen = 1, offset
        elif platform == 0 and encoding != 5:
            enc, chosen = 1, offset
    if chosen is None:
        return None
    at = cmap + chosen
    (fmt,) = struct.unpack_from(">H", data, at)
    chars: list[int] = []  # each character mapped, in reportlab's order, and its glyph
    glyphs: list[int] = []
    if fmt == 4:
        (length,) = struct.unpack_from(">H", data, at + 2)
        limit = at + length
        segments = struct.unpack_from(">H", data, at + 6)[0] // 2
        ends = _words(data, at + 14, segments)
        starts = _words(data, at + 16 + 2 * segments, segments)
        deltas = _words(data, at + 16 + 4 * segments, segments, "h")
        range_start = at + 16 + 6 * segments
        ranges = _words(data, range_start, segments)
        for n in range(segments):
            start, end, delta, rng = starts[n], ends[n], deltas[n], ranges[n]
            run = range(start, end + 1)
            chars += run
            if rng == 0:
                glyphs += [(char + delta) & 0xFFFF for char in run]
                continue
            for char in run:
                offset = range_start + 2 * n + (char - start) * 2 + rng
                if offset >= limit:
                    glyph = 0  # as reportlab reads a broken font
                else:
                    (glyph,) = struct.unpack_from(">H", data, offset)
                    if glyph != 0:
                        glyph = (glyph + delta) & 0xFFFF
                glyphs.append(glyph)
    elif fmt == 12:
        (groups,) = struct.unpack_from(">L", data, at + 12)
        numbers = _words(data, at + 16, 3 * groups, "L")
        for n in range(0, 3 * groups, 3):
            start, end, first = numbers[n], numbers[n + 1], numbers[n + 2]
            chars += range(start, end + 1)
            glyphs += range(first, first + end + 1 - start)
    else:
        return None
    char_to_glyph, glyph_to_char = _maps(chars, glyphs)
    face.charToGlyph, face.glyphToChar = char_to_glyph, glyph_to_char
    return char_to_glyph


def _maps(chars: list[int], glyphs: list[int]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """``charToGlyph`` and ``glyphToChar`` as reportlab's loop makes them a character at a time
    (``charToGlyph[char] = glyph; glyphToChar.setdefault(glyph, []).append(char)``), made whole:
    the same keys in the same order, a glyph several characters map to listing them in order."""
    char_to_glyph = dict(zip(chars, glyphs))
    glyph_to_char = dict(zip(glyphs, map(list, zip(chars))))
    if len(glyph_to_char) < len(chars):  # a glyph mapped more than once: its characters, in order
        shared = {glyph for glyph, count in Counter(glyphs).items() if count > 1}
        for glyph in shared:
            glyph_to_char[glyph] = []
        for char, glyph in zip(chars, glyphs):
            if glyph in shared:
                glyph_to_char[glyph].append(char)
    return char_to_glyph, glyph_to_char


def _metrics(face: Any, data: bytes, char_to_glyph: dict[int, int], hmetric_count: int, index_to_loc: int) -> None:
    """The widths (``charWidths``, ``hmetrics``, ``defaultWidth``) and the glyphs' places
    (``glyphPos``), set as reportlab's parse sets them."""
    glyphs = face.numGlyphs
    if hmetric_count == 0:
        raise ValueError("no horizontal metrics")
    hmtx = face.table["hmtx"]["offset"]
    pairs = _words(data, hmtx, 2 * hmetric_count)
    bearings = _words(data, hmtx + 4 * hmetric_count, max(glyphs - hmetric_count, 0))
    advances = list(pairs[0::2])
    scale = _scale(face.unitsPerEm)
    last = scale(advances[-1])
    # the glyphs past the metrics take the last advance — as reportlab keeps it, already scaled
    face.hmetrics = list(zip(advances, pairs[1::2])) + [(last, bearing) for bearing in bearings]
    # each glyph's width (as ``scale`` gives it: the same numbers), each character's in glyph order
    per_unit = 1000 / face.unitsPerEm
    each = list(advances) if face.unitsPerEm == 1000 else [advance * per_unit for advance in advances]
    each += [last] * (glyphs - hmetric_count)
    glyph_to_char = face.glyphToChar
    widths = {
        char: each[glyph] for glyph in sorted(glyph_to_char) if glyph < len(each) for char in glyph_to_char[glyph]
    }
    if "loca" not in face.table:
        raise ValueError("no location table")
    loca = face.table["loca"]["offset"]
    if index_to_loc == 0:
        face.glyphPos = [place << 1 for place in _words(data, loca, glyphs + 1)]
        face._pos = loca + 2 * (glyphs + 1)
    else:
        face.glyphPos = list(_words(data, loca, glyphs + 1, "L"))
        face._pos = loca + 4 * (glyphs + 1)
    if 0x20 in char_to_glyph:
        char_to_glyph[0xA0] = char_to_glyph[0x20]
        widths[0xA0] = widths[0x20]
    elif 0xA0 in char_to_glyph:
        char_to_glyph[0x20] = char_to_glyph[0xA0]
        widths[0x20] = widths[0xA0]
    fields = vars(face)
    for name, value in (  # in the order reportlab's parse sets them
        ("charToGlyph", char_to_glyph),
        ("glyphToChar", glyph_to_char),
        ("charWidths", widths),
        ("hmetrics", fields["hmetrics"]),
        ("defaultWidth", each[0]),
        ("glyphPos", fields["glyphPos"]),
    ):
        fields.pop(name, None)
        fields[name] = value
