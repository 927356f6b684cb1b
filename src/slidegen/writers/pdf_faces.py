"""The PDF's fonts as reportlab reads them, kept between builds.

reportlab parses a whole TrueType file before it can set a line in it: its character map, every
glyph's width and place (BIZ UDPゴシック: some 12,000 characters and 14,000 glyphs, a few
hundredths of a second a face, in Python). A rebuild uses the same font files, so a build keeps
what the parse found — the face's fields, less the file's bytes, which are read again to subset
the font — in its cache folder (:func:`kept_faces`), under the file's path, size and time and
the versions of reportlab and Python, and the next build puts a face together from them. The
face is the one a parse gives, field for field (a test compares them), so the PDF is the same.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
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
        font = TTFont(name, str(path))
        try:
            parsed = marshal.dumps(_fields(font.face)) if kept is not None else None
        except ValueError:  # a field marshal cannot write (another reportlab's): parsed each time
            parsed = None
        if kept is not None and parsed is not None:
            _KEPT[-1][1](kept, parsed)
        return font
    return _font(name, path, fields)


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


def _font(name: str, path: Path, fields: dict[str, Any]) -> Any:
    """The ``TTFont`` reportlab makes of ``path``, its face's fields ``fields`` rather than parsed:
    what ``TTFont.__init__`` sets, with a face whose ``TTFontFace.__init__`` is skipped."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob

    face = TTFontFace.__new__(TTFontFace)
    pdfmetrics.TypeFace.__init__(face, None)
    face.__dict__.update(fields)
    for k in _NAMES:
        if k in fields:
            setattr(face, k, TTFNameBytes(fields[k]))
    face._ttf_data = path.read_bytes()
    face._pdfScale = _scale(fields["unitsPerEm"])
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
