"""The aggregates as plain-text tables for a terminal, aligned by display width.

Japanese characters take two terminal columns; alignment counts them so, using
``unicodedata.east_asian_width``.
"""

from __future__ import annotations

import unicodedata

from ..aggregate import (
    ANSWER_LABELS,
    PERCENT,
    POINTS,
    UNIT_LABELS,
    WITHHELD,
    FigureTable,
    Protected,
    Tables,
    table_grid,
    table_notes,
)
from ..inputs.codebook import Survey


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for wide (Japanese) characters."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int, right: bool = False) -> str:
    space = " " * max(0, columns - width(text))
    return space + text if right else text + space


def format_value(value: float, unit: str) -> str:
    """69.5, +13.1, 2.3 — as the figure's unit calls for."""
    return f"{value:+.1f}" if unit == POINTS else f"{value:.1f}"


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    cols = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [pad(r[0], cols[0])] + [pad(c, w, right=True) for c, w in zip(r[1:], cols[1:])]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def figure_lines(figure: FigureTable, sample: bool = False, shown: Protected | None = None) -> list[str]:
    """One figure's table as text: its heading, a grid of options (marked † where a sample deck
    invented them), and the notes it needs; for a segment (``shown``), its withheld cells as —
    and its 参考値 mark, each said in a note."""
    reference = "【参考値】" if shown is not None and shown.reference else ""
    head = f"{reference}図{figure.number} {figure.title}（{ANSWER_LABELS[figure.answer]}） n={figure.n:,}  （{UNIT_LABELS[figure.unit]}）"
    header, rows = table_grid(figure, sample)
    cells = [
        [f"{c:,}" if isinstance(c, int) else format_value(c, figure.unit) if isinstance(c, float) else c for c in r]
        for r in rows
    ]
    per = 2 if figure.unit == PERCENT else 1  # each series' columns: count and share, or its value
    for s, r in sorted(shown.hidden) if shown is not None else ():
        cells[r][1 + s * per : 1 + (s + 1) * per] = [WITHHELD] * per
    return [head, *_grid(header, cells), *table_notes(figure, sample), *(shown.notes() if shown is not None else [])]


def render_text(tables: Tables, survey: Survey, shown: dict[int, Protected] | None = None) -> str:
    """Every table of a survey year as text: the overview, then one block per figure (for a
    segment, as ``shown`` lets each be seen)."""
    o = tables.survey
    lines = [f"{survey.fiscal_year} {survey.title}（{tables.year}）"]
    if tables.sample_data:
        lines.append(f"※ {survey.sample_note or 'sample data'}")
    lines += ["", "調査概要"]
    rows = [["全体", f"{o.target:,}", f"{o.responses:,}", f"{o.response_rate:.1f}"]]
    rows += [
        [k, f"{o.target_by_kind[k]:,}", f"{o.responses_by_kind[k]:,}", f"{o.response_rate_by_kind[k]:.1f}"]
        for k in o.target_by_kind
    ]
    lines += _grid(["区分", "調査対象", "有効回答数", "有効回答率％"], rows)
    for figure in tables.figures:
        lines += ["", *figure_lines(figure, tables.sample_data, (shown or {}).get(figure.number))]
    return "\n".join(lines) + "\n"
