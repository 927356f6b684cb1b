"""The Japanese font: which file draws and measures text, and whether it has every glyph.

One font name is configured (:data:`slidegen.figures.style.FONT_NAME`, or the ``SLIDEGEN_FONT``
environment variable): by default 「BIZ UDPゴシック」, which Windows 10 and later ship and Debian
packages as fonts-morisawa-bizud-gothic. Where it is not installed, slidegen uses IPAexゴシック,
which the pip dependency matplotlib-fontja carries, so a fresh ``pip install`` always has a
Japanese font. :func:`resolve_font` says which file it chose.

A font is looked up as the system finds it: through fontconfig (``fc-list``) where the system has
it — matplotlib's font list is made from fontconfig's there — else in matplotlib's font list, as
written or rebuilt (a font installed after matplotlib wrote its cache). Text is measured from the
font file's own tables (:mod:`.fontfile`), so a build needs matplotlib only to draw a picture. The default font falls back with a warning; a font named in
``SLIDEGEN_FONT`` that cannot be found is an error, never written into the deck.

A build keeps notes of what it found in its cache folder (:func:`kept_notes`): where each font
was found, and each font file's metrics and the advances of the characters it measured. The next
build of that folder reads them and reads a font file only for a character, or a font, the
notes do not have; a font file that changed (its size or time) is read
again, and a font found where it is no longer is looked up again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import FontError
from .fontfile import FontFile

#: Office names of fonts whose file family name differs (the name matplotlib indexes)
FAMILIES = {
    "BIZ UDPゴシック": "BIZ UDPGothic",
    "BIZ UDゴシック": "BIZ UDGothic",
    "IPAexゴシック": "IPAexGothic",
    "游ゴシック": "Yu Gothic",
    "メイリオ": "Meiryo",
}
FALLBACK_NAME = "IPAexゴシック"


@dataclass(frozen=True)
class Font:
    """A font file and what it can draw; widths in points at a given size."""

    name: str  # as Office names it: the typeface written into the deck
    family: str  # as the font file names itself
    path: Path
    fallback_for: str | None = None  # the configured name, when this font stands in for it

    def summary(self) -> str:
        """The font in a few words: its name, or which font stands in for the configured one."""
        return f"{self.fallback_for} is not installed; using {self.name}" if self.fallback_for else self.name

    def describe(self) -> str:
        """The font and its file; where it stands in for the configured one, a warning in full."""
        if self.fallback_for:
            return (
                f"the font {self.fallback_for} is not installed here; figures are drawn and text is measured with "
                f"{self.name} ({self.path}), and the deck still names {self.fallback_for} for the computers that have it"
            )
        return f"{self.name} ({self.path})"

    def _load(self) -> dict[str, Any]:
        """The font file's metrics, shared by every :class:`Font` of that file in this process: from
        the notes, or the file read (:class:`~.fontfile.FontFile`), whose glyphs are looked up one
        by one as text is measured — far quicker than decoding a CJK font's whole character map."""
        return _metrics_of(self.path)

    def _advance(self, ch: str) -> int | None:
        m = self._load()
        cache = m["glyphs"]
        if ch not in cache:
            face = _face(m, self.path)
            glyph = face.glyph(ch)
            cache[ch] = face.advance(glyph) if glyph else None
            m["ems"][ch] = m["upem"] if cache[ch] is None else cache[ch]
        return cache[ch]

    def has(self, ch: str) -> bool:
        return ch.isspace() or self._advance(ch) is not None

    def prepare(self, chars: str) -> None:
        """Look each of ``chars`` up in the font now (a glyph is read once per process): done while
        a build waits for its data, so laying the text out later finds them read."""
        for ch in set(chars):
            self.has(ch)

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` this font has no glyph for, in order, once each."""
        return list(dict.fromkeys(ch for ch in text if not self.has(ch)))

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` points, in points."""
        return self.units(text) * size / self.upem

    def units(self, text: str) -> int:
        """Advance width of ``text`` in font units (:attr:`upem` to the em): a whole number, so the
        widths of the parts of a text add up to the text's exactly."""
        return self._units(self._load(), text)

    def each_units(self, texts: Iterable[str]) -> list[int]:
        """:meth:`units` of each of ``texts``."""
        m = self._load()
        return [self._units(m, text) for text in texts]

    def _units(self, m: dict[str, Any], text: str) -> int:
        units = m["texts"].get(text)
        if units is None:  # each text summed once: layout measures the same text at many sizes
            ems = m["ems"]  # each character's advance, an em where the font has no glyph for it
            try:
                units = sum(map(ems.__getitem__, text))
            except KeyError:  # a character not measured yet: measured once per character
                for ch in text:
                    self._advance(ch)
                units = sum(map(ems.__getitem__, text))
            m["texts"][text] = units
        return units

    @property
    def upem(self) -> int:
        """The font's units to the em."""
        return self._load()["upem"]

    def extent(self) -> tuple[float, float]:
        """The font's ascent and descent (both positive), in ems: where its lines' tops and bottoms fall."""
        m = self._load()
        return m["ascender"] / m["upem"], -m["descender"] / m["upem"]

    def check(self, text: str, where: str) -> None:
        """Fail, naming ``where`` and the characters, if the font cannot draw all of ``text``."""
        missing = self.missing(text)
        if missing:
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
            raise FontError(
                f"{where}: the font {self.name} ({self.path.name}) has no glyph for {chars}; "
                "change the text or configure a font that has it (SLIDEGEN_FONT)."
            )


#: font file → its metrics in this process (:meth:`Font._load`)
_METRICS: dict[Path, dict[str, Any]] = {}


def _metrics_of(path: Path) -> dict[str, Any]:
    m = _METRICS.get(path)
    if m is None:
        noted = _NOTES.faces.get(str(path))
        if noted is not None and noted.get("stamp") == _stamp(path):
            m = {"face": None, "upem": noted["upem"], "ascender": noted["ascender"], "descender": noted["descender"]}
            m["glyphs"] = dict(noted["glyphs"])
        else:
            face = _open(path)
            m = {"face": face, "upem": face.units_per_em, "ascender": face.ascender, "descender": face.descender}
            m["glyphs"] = {}  # character → advance in font units, None where it has no glyph
        m["ems"] = {ch: m["upem"] if advance is None else advance for ch, advance in m["glyphs"].items()}
        m["texts"] = {}  # text → advance in font units
        _METRICS[path] = m
    return m


@cache
def _open(path: Path) -> FontFile:
    """The font file at ``path``, read once per process."""
    return FontFile(path)


def _face(m: dict[str, Any], path: Path) -> FontFile:
    """The read font file of metrics ``m`` (read from notes: read now)."""
    if m["face"] is None:
        m["face"] = _open(path)
    face: FontFile = m["face"]
    return face


def _stamp(path: Path) -> list[int] | None:
    """What says a font file is the one noted: its size and modification time."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


@dataclass
class _Notes:
    """What this process found of the fonts, as kept in a build's cache folder (:func:`kept_notes`):
    ``found``, "family|bold" → the file and the family name it gives itself (a font not found is
    not noted: it is looked for again, as it may have been installed since); ``faces``, a file →
    its stamp, metrics and the advance of each character looked up."""

    found: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    faces: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)


_NOTES = _Notes()
#: the version of the notes' file: notes of another are not read
_NOTES_VERSION = 1


@contextmanager
def kept_notes(file: Path, write: Callable[[Path, bytes], None]) -> Iterator[None]:
    """Inside the ``with``, fonts are found and measured from the notes in ``file`` where they
    have them; on leaving without an error, what was found and measured is written back with
    ``write`` (the build's, which writes whole or not at all: builds sharing a cache folder each
    leave whole notes) — where it differs from what was read."""
    global _NOTES
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not (isinstance(data, dict) and data.get("version") == _NOTES_VERSION):
        data = None
    _NOTES = _Notes(dict(data["found"]), dict(data["faces"])) if data is not None else _Notes()
    _METRICS.clear()  # what was measured before is measured again, from the notes
    _found.cache_clear()
    yield
    faces = dict(_NOTES.faces)
    for path, m in _METRICS.items():
        stamp = _stamp(path)
        if stamp is not None:
            keep = {k: m[k] for k in ("upem", "ascender", "descender")}
            faces[str(path)] = {"stamp": stamp, **keep, "glyphs": dict(sorted(m["glyphs"].items()))}
    notes = {"version": _NOTES_VERSION, "found": dict(sorted(_NOTES.found.items())), "faces": faces}
    text = json.dumps(notes, ensure_ascii=False, sort_keys=True)
    if text != json.dumps(data, ensure_ascii=False, sort_keys=True):
        write(file, text.encode("utf-8"))


@cache
def bold_of(font: Font) -> Font:
    """The bold face of ``font``'s family where it is installed, for measuring bold text; else ``font``."""
    path = _find_installed(font.family, bold=True)
    return Font(font.name, font.family, path, font.fallback_for) if path is not None else font


def _bundled_fallback() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("matplotlib_fontja")  # found, not imported: importing it imports matplotlib
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a declared dependency
        raise FontError("No Japanese font: matplotlib-fontja is not installed; reinstall slidegen.") from None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
    if not path.is_file():  # pragma: no cover
        raise FontError(f"No Japanese font: {path} is missing; reinstall matplotlib-fontja.")
    return path


def _find_installed(family: str, bold: bool = False) -> Path | None:
    """The file of ``family`` (regular or bold, upright): from the notes where they name a file
    that is there, else from fontconfig where the system has it, else from matplotlib's font list,
    as written or rebuilt (a font installed after its cache was written)."""
    found = _found(family, bold)
    return found[0] if found is not None else None


@cache
def _found(family: str, bold: bool) -> tuple[Path, str] | None:
    """The file of ``family`` and the family name it gives itself (:func:`_find_installed`), noted."""
    key = f"{family}|{'bold' if bold else 'regular'}"
    noted = _NOTES.found.get(key)
    if noted and Path(noted[0]).is_file():
        return Path(noted[0]), noted[1]
    if shutil.which("fc-list") is not None:
        # matplotlib's list is made from fontconfig's here (and its own Latin fonts): asking it too
        # would only load matplotlib
        path = _in_fontconfig(family, bold)
    else:
        path = _in_matplotlib(family, bold) or _in_rebuilt_matplotlib(family, bold)
    if path is None:
        return None
    _NOTES.found[key] = [str(path), _open(path).family_name]
    return path, _NOTES.found[key][1]


def _in_matplotlib(family: str, bold: bool) -> Path | None:
    from matplotlib import font_manager

    weights = (700, "bold") if bold else (400, "normal", "regular")
    for entry in font_manager.fontManager.ttflist:
        if entry.name == family and entry.weight in weights and entry.style == "normal":
            return Path(entry.fname)
    return None


def _in_fontconfig(family: str, bold: bool) -> Path | None:
    """The file fontconfig lists for ``family`` (any of its names: 「BIZ UDPゴシック」 and
    「BIZ UDPGothic」 alike) at the regular (80) or bold (200) weight; None without fontconfig."""
    import subprocess

    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(
            [fc_list, "--format", "%{weight}|%{slant}|%{index}|%{file}\n", f":family={family}"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    want = 200 if bold else 80
    for line in sorted(listed.splitlines()):
        weight, slant, index, file = (line.split("|", 3) + ["", "", "", ""])[:4]
        if (
            weight == str(want)
            and slant == "0"
            and index == "0"
            and Path(file).suffix.lower() in (".ttf", ".ttc", ".otf")
        ):
            return Path(file)
    return None


def _in_rebuilt_matplotlib(family: str, bold: bool) -> Path | None:
    """``family`` in matplotlib's font list made anew (a font installed since it was written)."""
    from matplotlib import font_manager

    load = getattr(font_manager, "_load_fontmanager", None)
    if load is None:  # pragma: no cover - every supported matplotlib has it
        return None
    font_manager.fontManager = load(try_read_cache=False)
    return _in_matplotlib(family, bold)


@cache
def fallback_font() -> Font:
    """The bundled IPAexゴシック: what the deck is measured in besides the configured font, as a
    Japanese font of other widths than BIZ UDPゴシック (a Mac has neither)."""
    return Font(FALLBACK_NAME, "IPAexGothic", _bundled_fallback())


@cache
def resolve_font(name: str | None = None, fallback: bool = False) -> Font:
    """The font to draw and measure with: ``name`` (default: the configured one) where installed.

    The default font, where it is not installed, falls back to the IPAexゴシック that
    matplotlib-fontja carries (``fallback_for`` says so, and the build warns); so does ``name``
    with ``fallback``. A font named in ``SLIDEGEN_FONT``, or as ``name`` alone, that cannot be
    found is a :class:`FontError`.
    """
    from .style import FONT_NAME

    explicit = None if fallback else (name or os.environ.get("SLIDEGEN_FONT", "").strip() or None)
    name = name or explicit or FONT_NAME
    family = FAMILIES.get(name, name)
    found = _found(family, False)
    if found is not None:
        return Font(name, found[1], found[0])
    if explicit is not None:
        raise FontError(
            f"SLIDEGEN_FONT={explicit}: no font of that name is installed (neither matplotlib nor fontconfig lists it). "
            f"Install it, name an installed font (fc-list :lang=ja family lists them), or unset SLIDEGEN_FONT to use {FONT_NAME}."
        )
    return dataclasses.replace(fallback_font(), fallback_for=name)


@dataclass(frozen=True)
class DeckFonts:
    """The fonts a deck is laid out in, chosen from the template's theme and the configuration.

    ``body`` measures the text and draws the figures; ``heading``, where the theme's heading font
    differs and is installed, measures the headings too; ``theme`` is the East Asian font the PPTX
    writer puts into the theme (``None``: the template's theme fonts are kept as they are)."""

    body: Font
    heading: Font | None
    theme: str | None
    origin: str  # in words: where the body font comes from

    def measured(self) -> list[Font]:
        """Every face the text of a deck is measured in: the body and heading fonts, the bundled
        fallback (:func:`fallback_font`), and their bold faces."""
        faces = [self.body, *([self.heading] if self.heading is not None else []), fallback_font()]
        return list(dict.fromkeys([*faces, *(bold_of(f) for f in faces)]))

    def summary(self) -> str:
        """Which font the text is measured with, and why, in one line."""
        body = self.body
        named = body.fallback_for or body.name
        said = f"{named} ({self.origin})"
        if body.fallback_for:
            said += f", not installed here: {body.name} stands in for it"
        also = f" and {self.heading.name} (the theme's heading font)" if self.heading is not None else ""
        return f"{said}; text measured with {body.name}{also} and with {FALLBACK_NAME}, as on a computer without it"


def deck_fonts(major: str | None, minor: str | None) -> DeckFonts:
    """The deck's fonts for a template whose theme names ``major`` and ``minor`` as its East Asian
    fonts (``None`` where it names none).

    ``SLIDEGEN_FONT``, when set, is the deck's font and is written into the theme. Otherwise the
    theme's East Asian body font is kept, and measured with where it is installed (elsewhere the
    configured font stands in for it, and the deck still names the theme's). A theme without an
    East Asian font gets the configured one."""
    explicit = os.environ.get("SLIDEGEN_FONT", "").strip()
    if explicit:
        font = resolve_font()
        return DeckFonts(font, None, font.name, "set by SLIDEGEN_FONT")
    if minor is None:
        font = resolve_font()
        return DeckFonts(font, None, font.fallback_for or font.name, "the template's theme names no East Asian font")
    found = _installed(minor)
    body = found if found is not None else dataclasses.replace(resolve_font(), fallback_for=minor)
    heading = _installed(major) if major is not None and major != minor else None
    return DeckFonts(body, heading, None, "the template's theme font")


def deck_font_name(minor: str | None) -> str:
    """The name of the font the deck's text is set in, as Office names it — what
    :func:`deck_fonts` gives as its body font's, or the font it stands in for — found without
    looking for any font file: ``SLIDEGEN_FONT`` where set, else the theme's East Asian body font
    ``minor``, else the configured font."""
    from .style import FONT_NAME

    return os.environ.get("SLIDEGEN_FONT", "").strip() or minor or FONT_NAME


def _installed(name: str) -> Font | None:
    """The font Office calls ``name`` where it is installed — or bundled, as IPAexゴシック is."""
    family = FAMILIES.get(name, name)
    found = _found(family, False)
    if found is not None:
        return Font(name, found[1], found[0])
    bundled = fallback_font()
    return dataclasses.replace(bundled, name=name) if family == bundled.family else None
