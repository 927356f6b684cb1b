"""How the deck writes a number, said once for every output: a value on a figure (69.5, 2.3倍), a
value in alt text with its unit (69.5％, 24.3ポイント), a share in an annotation (91.3％), a paired
figure's gain (＋13.1pt) and a band's bracket (「深い連携関係を維持・構築→91.3％」).

The picture, the native chart (its cached texts and its workbook's formulas, which compute the
same words), the slide model, the PDF, the 集計表 and ``check`` all write them with these.
"""

from __future__ import annotations


def value_text(value: float, unit: str) -> str:
    """A value as printed on a figure: 69.5 (percent), 13.1 (points), 2.3倍 (times)."""
    if unit == "times":
        return f"{value:.1f}倍"
    return f"{value:.1f}"


def alt_value(value: float, unit: str) -> str:
    """A value as alt text says it, with its unit: 69.5％, 24.3ポイント, 2.3倍."""
    if unit == "points":
        return f"{value:.1f}ポイント"
    return value_text(value, unit) if unit == "times" else percent_text(value)


def gain_text(points: float) -> str:
    """A gain printed beside a pair of bars: ＋13.1pt (full-width sign, as the deck prints it)."""
    sign = "＋" if points >= 0 else "－"
    return f"{sign}{abs(points):.1f}pt"


def gain_alt(points: float) -> str:
    """A gain as alt text says it: ＋13.1ポイント."""
    return f"{'＋' if points >= 0 else '－'}{abs(points):.1f}ポイント"


def percent_text(value: float) -> str:
    """A share with its unit, as in annotations: 91.3％."""
    return f"{value:.1f}％"


def bracket_text(label: str, value: float) -> str:
    """A bracket's text: 「深い連携関係を維持・構築→91.3％」."""
    return f"{label}→{percent_text(value)}"
