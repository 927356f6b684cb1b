"""A figure's data as a table, as its slide shows it: what the web page prints beside each figure
and the tagged PDF carries after it, so a reader who cannot see the chart gets its numbers, not only
its summary. One place decides the rows, the columns, the caption and how a value is written.

The table has one row per option, in the order the figure draws them (its label the row's header,
※ and † marks kept), and one column per series — read from the figure's native chart spec, the
numbers the chart itself holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..slides import Picture, Slide, TextBlock

#: the header of the column of options
OPTION_HEADER = "選択肢"


@dataclass(frozen=True)
class DataTable:
    """A figure's data: its caption, the column headers (options first, then each series) and per
    option its label and its values as printed (empty where a series has no such option)."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]


def block(slide: Slide, role: str) -> TextBlock | None:
    """The slide's text block of ``role``, if it has one."""
    return next((b for b in slide.blocks if b.role == role), None)


def paragraphs(text_block: TextBlock) -> list[str]:
    """A block's paragraphs as written (not as wrapped into lines)."""
    return [p.source or "".join(p.lines) for p in text_block.paragraphs]


def figure_name(picture: Picture) -> str:
    """The figure's number and title (図８ …), as its alt text begins."""
    return picture.alt_text.split("（n=", 1)[0]


def unit_line(slide: Slide, k: int) -> str:
    """The unit line printed under the ``k``-th figure's caption (「n=975、単位：％」), or empty."""
    b = block(slide, f"unit{k}")
    return " ".join(paragraphs(b)) if b else ""


def data_table(slide: Slide, k: int, picture: Picture) -> DataTable | None:
    """The ``k``-th figure of ``slide`` as a table; None for a figure without a chart spec."""
    chart = picture.chart
    if chart is None:
        return None
    times = "倍" in chart.number_format
    unit = unit_line(slide, k)
    values: list[dict[str, float]] = [{b.label: b.value for b in p.bars} for p in chart.panels]
    rows = tuple((bar.label, tuple(_value(v.get(bar.label), times) for v in values)) for bar in chart.panels[0].bars)
    caption = f"{figure_name(picture)}のデータ" + (f"　{unit}" if unit else "")
    return DataTable(caption, (OPTION_HEADER, *(p.name for p in chart.panels)), rows)


def _value(value: Any, times: bool) -> str:
    if value is None:
        return ""
    return f"{value:.1f}倍" if times else f"{value:.1f}"
