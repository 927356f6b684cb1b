"""Japanese line breaking with kinsoku (禁則処理).

Text is split into units that must not be broken: a CJK character, or a run of Latin letters
and digits (a word or a number such as ``1,403`` or ``69.5％``). A line may break between two
units unless kinsoku forbids it: no line starts with closing brackets and punctuation
(、。）」』】…), small kana or the prolonged sound mark, and no line ends with an opening bracket
(（「『【…).

Two ways to break:

- :func:`wrap` fills each line as far as it goes (paragraphs on slides and pages);
- :func:`wrap_balanced` uses as few lines as fit and, among those, prefers natural break points
  (after punctuation, at a hiragana→kanji phrase boundary) and even line lengths (chart labels).

Both take ``measure(text) -> width`` so the caller's font metrics decide what fits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

Measure = Callable[[str], float]

#: characters that may not start a line (行頭禁則)
NO_START = set(
    "、。，．,.・：；:;？！?!）］｝〕〉》」』】〙〗〟’”｠»"
    "ヽヾーゝゞ々〻‐゠–〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ")]}%％‰℃"
)
#: characters that may not end a line (行末禁則)
NO_END = set("（［｛〔〈《「『【〘〖〝‘“｟«([{")
#: units that must stay whole: Latin words and numbers with their inner punctuation
_UNIT = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+(?:[.,．，:/=\-][A-Za-z0-9０-９]+)*[%％]?|\s+|.", re.S)
_GOOD_AFTER = set("、，,）」』】〕/／")
_FAIR_AFTER = set("・")  # between the parts of a compound: as natural as a phrase boundary, no more
_GOOD_BEFORE = set("（「『【〔")


def units(text: str) -> list[str]:
    """``text`` cut into the pieces a line may break between."""
    return _UNIT.findall(text)


def _can_break(before: str, after: str) -> bool:
    """May a line end with ``before`` and the next begin with ``after``?"""
    if before[-1] in NO_END or after[0] in NO_START:
        return False
    if after.isspace():
        return False
    return True


def _kind(ch: str) -> str:
    if "\u3041" <= ch <= "\u309f":
        return "hira"
    if "\u30a0" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or ch in "々〆ヶ":
        return "kanji"
    return "other"


def _penalty(before: str, after: str) -> int:
    """How unnatural a break between two units is: 0 at punctuation, 1 at a phrase boundary, 3 elsewhere."""
    if before[-1] in _GOOD_AFTER or after[0] in _GOOD_BEFORE or before.isspace():
        return 0
    if before[-1] in _FAIR_AFTER or (_kind(before[-1]) == "hira" and _kind(after[0]) in ("kanji", "other")):
        return 1
    return 3


def _lines(parts: Sequence[str], cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(parts)]
    return ["".join(parts[a:b]).strip() for a, b in zip(bounds, bounds[1:])]


def _joined(parts: Sequence[str], measure: Measure) -> Callable[[int, int], float]:
    """The width ``measure`` gives the line of ``parts[s:e]``, its ends' whitespace stripped."""
    return lambda s, e: measure("".join(parts[s:e]).strip())


def wrap(text: str, width: float, measure: Measure) -> list[str]:
    """Fill lines up to ``width``, breaking only where kinsoku allows.

    Explicit newlines are kept. A unit wider than ``width`` on its own stays whole on its
    line (the caller's fitting check sees the overflow); nothing is ever cut.
    """
    out: list[str] = []
    spans = getattr(measure, "spans", None)  # a measure that sums a line from its pieces (slides.LineMeasure)
    for paragraph in text.split("\n"):
        parts = units(paragraph)
        line = spans(parts) if spans is not None else _joined(parts, measure)
        line_start, last_ok, cuts = 0, None, []
        i = 0
        while i < len(parts):
            if i > line_start and _can_break(parts[i - 1], parts[i]):
                last_ok = i
            if line(line_start, i + 1) > width and i > line_start:
                cut = last_ok if last_ok is not None and last_ok > line_start else None
                if cut is not None:
                    cuts.append(cut)
                    line_start, last_ok = cut, None
                    i = cut
                    continue
            i += 1
        out.extend(_lines(parts, cuts) if parts else [""])
    return out


#: the fewest characters a paragraph's last line may hold: fewer reads as a stray fragment (「た。」)
MIN_LAST_LINE = 4


def wrap_even(text: str, width: float, measure: Measure, min_last: int = MIN_LAST_LINE) -> list[str]:
    """:func:`wrap`, but a paragraph whose last line would hold fewer than ``min_last`` characters
    is rewrapped a little narrower — as few points narrower as needed, in the same number of lines —
    so the last line takes a few more; where no such width exists, :func:`wrap`'s lines stand."""
    lines = wrap(text, width, measure)
    if len(lines) < 2 or len(lines[-1].strip()) >= min_last or "\n" in text:
        return lines
    for step in range(1, 31):  # up to 30 % narrower
        narrower = wrap(text, width * (1 - step / 100), measure)
        if len(narrower) != len(lines):
            break
        if len(narrower[-1].strip()) >= min_last:
            return narrower
    return lines


def wrap_balanced(text: str, width: float, measure: Measure, max_lines: int = 4) -> list[str]:
    """The fewest lines no wider than ``width``, with the most natural breaks among those.

    Falls back to :func:`wrap` when no break into ``max_lines`` lines fits.
    """
    parts = units(text)
    if measure(text) <= width or len(parts) < 2:
        return [text]
    allowed = [i for i in range(1, len(parts)) if _can_break(parts[i - 1], parts[i])]
    pen = {i: _penalty(parts[i - 1], parts[i]) for i in allowed}
    best = None
    for count in range(2, max_lines + 1):
        best = _best_cuts(parts, allowed, pen, count - 1, width, measure)
        if best is not None:
            return _lines(parts, best)
    return wrap(text, width, measure)


def _best_cuts(
    parts: list[str], allowed: list[int], pen: dict[int, int], k: int, width: float, measure: Callable[[str], float]
) -> Any:
    """The ``k`` cuts whose lines all fit, least penalty first, then the most even lengths."""
    memo: dict[tuple[int, int], tuple | None] = {}

    def solve(start: int, left: int) -> Any:
        key = (start, left)
        if key in memo:
            return memo[key]
        result = None
        if left == 0:
            w = measure("".join(parts[start:]).strip())
            result = (0, w, ()) if w <= width else None
        else:
            for cut in allowed:
                if cut <= start:
                    continue
                w = measure("".join(parts[start:cut]).strip())
                if w > width:
                    break
                rest = solve(cut, left - 1)
                if rest is None:
                    continue
                candidate = (pen[cut] + rest[0], max(w, rest[1]), (cut, *rest[2]))
                if result is None or candidate[:2] < result[:2]:
                    result = candidate
        memo[key] = result
        return result

    found = solve(0, k)
    return None if found is None else list(found[2])


def violations(lines: Sequence[str]) -> list[str]:
    """Kinsoku breaches in wrapped ``lines``: a line starting or ending with a forbidden character."""
    found = []
    for n, line in enumerate(lines):
        if n > 0 and line and line[0] in NO_START:
            found.append(f"line {n + 1} starts with {line[0]!r}: {line}")
        if n < len(lines) - 1 and line and line[-1] in NO_END:
            found.append(f"line {n + 1} ends with {line[-1]!r}: {line}")
    return found


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def full_width_digits(text: str) -> str:
    """The text with its digits full-width, as Japanese documents set single figures: 5 → ５."""
    return text.translate(_FULL_WIDTH)


#: punctuation PowerPoint and LibreOffice let hang past the right margin (ぶら下げ, which the PPTX
#: turns on for every paragraph): a line is full without it
HANGING = "。、，．"


def filled(text: str, width: float, measure: Measure) -> list[str]:
    """The lines a renderer fills ``text`` into at ``width``: as far as each goes, breaking where
    kinsoku allows, a closing 。 or 、 hanging past the margin — what PowerPoint and LibreOffice do
    with the East Asian rules slidegen sets (:func:`wrap` keeps every character inside). Compared
    with LibreOffice's renders of the R6 deck in BIZ UDPゴシック and IPAexゴシック: 40 of 42
    paragraphs broken alike, the other two a character or two apart."""
    return fill(Fillable.of(text, measure), width)


@dataclass(frozen=True)
class Fillable:
    """A text cut into the pieces a line may break between, each piece's width, and whether a line
    may break before each piece: what :func:`fill` needs, worked out once for many widths."""

    parts: tuple[str, ...]
    sizes: tuple[float, ...]
    breaks: tuple[bool, ...]  # breaks[i]: a line may end before parts[i]
    hanging: tuple[float, ...]  # the width of a piece that may hang past the margin, else 0

    @classmethod
    def of(cls, text: str, measure: Measure) -> Fillable:
        parts = units(text)
        # the widths of the parts, added up: a line's width is its parts' (no kerning across them)
        sizes = tuple(0.0 if part.isspace() else measure(part) for part in parts)
        breaks = tuple(i > 0 and _can_break(parts[i - 1], parts[i]) for i in range(len(parts)))
        hanging = tuple(size if part in HANGING else 0.0 for part, size in zip(parts, sizes))
        return cls(tuple(parts), sizes, breaks, hanging)

    def spaced(self, spacing: float) -> Fillable:
        """The same text set ``spacing`` points looser (tighter, where negative) a character."""
        sizes = tuple(size + spacing * len(part) if size else 0.0 for part, size in zip(self.parts, self.sizes))
        hanging = tuple(size if h else 0.0 for size, h in zip(sizes, self.hanging))
        return Fillable(self.parts, sizes, self.breaks, hanging)


def fill(text: Fillable, width: float) -> list[str]:
    """:func:`filled`, for a text prepared once (:class:`Fillable`)."""
    parts, sizes, breaks, hanging = text.parts, text.sizes, text.breaks, text.hanging
    start, cuts, used = 0, [], 0.0
    last_ok: int | None = None
    i = 0
    while i < len(parts):
        if i > start and breaks[i]:
            last_ok = i
        used += sizes[i]
        if i > start and used - hanging[i] > width and last_ok is not None and last_ok > start:
            cuts.append(last_ok)
            start, i, used = last_ok, last_ok, 0.0
            last_ok = None
            continue
        i += 1
    return _lines(parts, cuts) if parts else [""]


def _katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch == "ー"


def _kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "々〆"


@cache
def phrase_ends(text: str) -> frozenset[int]:
    """The offsets in ``text`` where a Japanese phrase ends, as BudouX (Google's phrase segmenter)
    finds them: 「地方/自治体側が/費用を/…」. A line may break between two kanji only there."""
    offsets, at = set(), 0
    for phrase in _phrases().parse(text):
        at += len(phrase)
        offsets.add(at)
    return frozenset(offsets)


@cache
def _phrases() -> Any:
    import budoux

    return budoux.load_default_japanese_parser()


def break_faults(text: str, lines: Sequence[str], min_last: int = MIN_LAST_LINE) -> list[str]:
    """What a reader would send back about how the paragraph ``text`` breaks into ``lines`` (issue
    23): a last line of fewer than ``min_last`` characters (「た。」), a katakana word split
    (コン/サルティング), a kanji compound split (上/位, 情報提/供) — a break between two kanji where
    BudouX finds no phrase boundary (:func:`phrase_ends`). Empty where the breaks read well."""
    faults = []
    if len(lines) > 1 and len(lines[-1].strip()) < min_last:
        faults.append(f"last line {lines[-1].strip()!r}")
    ends = None
    at = 0
    for a, b in zip(lines, lines[1:]):
        at = text.find(b.strip(), at + len(a.strip()) - 1) if b.strip() else at
        a, b = a.rstrip(), b.lstrip()
        if not a or not b:
            continue
        if _katakana(a[-1]) and _katakana(b[0]):
            faults.append(f"katakana split {a[-3:]}/{b[:3]}")
        elif _kanji(a[-1]) and _kanji(b[0]):
            ends = phrase_ends(text) if ends is None else ends
            if at not in ends:
                faults.append(f"compound split {a[-2:]}/{b[:2]}")
    return faults
