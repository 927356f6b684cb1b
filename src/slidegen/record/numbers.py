"""The numbers a person reads in a text, as ``check`` compares them.

A text is read as the deck prints it — full-width digits and signs (６９．５％, ＋13.1pt) as their
ASCII forms (NFKC) — and each number taken with the unit after it. Two numbers agree when their
values agree and, for 割 (約7割), their units: 69.5, 69.5％ and 69.5 % are one number; 7割 is not 7.
A figure's or a note's own number (図7, ※1) is a name, not a number: it is left out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

#: the units a number of the data is written with: a number with one of them, or after n=, is data
DATA_UNITS = ("%", "割", "pt", "ポイント", "倍", "団体", "件")
_NUMBER = re.compile(
    r"(?<![\d.,])([+\-])?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(\s*(?:%|割|pt|ポイント|倍|団体|件))?",
)
_NAMES = ("図", "※", "†", "表", "問", "Q", "スライド")

#: what two numbers must agree on: the value, and the unit where it changes the meaning
Key = tuple[Decimal, str]


@dataclass(frozen=True)
class Number:
    """One number in a text: as written, its value, its unit, and where it stands."""

    written: str
    value: Decimal
    unit: str
    start: int
    end: int
    after_n: bool = False  # written as n=1,403

    @property
    def key(self) -> Key:
        """What it must agree on: the value, and the unit where the unit changes the meaning (割, 倍)."""
        return (self.value, self.unit if self.unit in ("割", "倍") else "")

    @property
    def is_data(self) -> bool:
        """Written as a number of the data (with a unit, or as n=…), not a count or a date in passing."""
        return bool(self.unit) or self.after_n


def normal(text: str) -> str:
    """``text`` as numbers are read from it: NFKC (full-width digits, ％ and ＋ made ASCII)."""
    return unicodedata.normalize("NFKC", text)


def numbers(text: str) -> list[Number]:
    """The numbers in ``text`` (already :func:`normal`), in order; names such as 図7 and ※1 left out."""
    found = []
    for m in _NUMBER.finditer(text):
        before = text[: m.start()].rstrip()
        if before.endswith(_NAMES):
            continue
        sign, whole, frac, unit = m.group(1), m.group(2), m.group(3) or "", (m.group(4) or "").strip()
        value = Decimal(whole.replace(",", "") + frac)
        if sign == "-":
            value = -value
        start = m.start() if sign else m.start(2)
        after_n = re.search(r"n\s*=\s*$", text[:start]) is not None
        found.append(Number(text[start : m.end()], value, unit, start, m.end(), after_n))
    return found


def masked(text: str) -> str:
    """``text`` with every number made ``#``: two versions of a sentence that differ only in their
    numbers mask alike."""
    return _NUMBER.sub("#", text)


def keys(text: str) -> set[Key]:
    return {n.key for n in numbers(normal(text))}


def value_key(value: float, unit: str = "") -> Key:
    """The key of a value the data gives, at the one decimal the deck prints."""
    return (Decimal(f"{value:.1f}"), unit)
