"""A paired figure: two multiple-answer questions on one option list (実績 and 今後, say) as two
panels of bars on one scale, both in the first series' ranking order, the second panel's gains
over the first printed beside its bars where they reach the figure's least (「＋13.1pt」)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...aggregate import FigureTable, Row, ranked, shown_gains
from ...inputs.codebook import Codebook, FigureSpec
from ...inputs.kinds import PAIR
from .. import style, wording
from ..layout import bar_color, pair_frame
from ..native import Bar, ChartSpec, Panel
from .base import ChartKind

if TYPE_CHECKING:  # the template's reader imports lxml: reading a codebook needs neither
    from ...inputs.template import Box
    from ..charts import Canvas


def _orders(table: FigureTable) -> tuple[list[Row], list[Row]]:
    """Both series' rows in the first series' ranking order."""
    first = ranked(table.series[0].rows)
    position = {r.label: i for i, r in enumerate(first)}
    return first, sorted(table.series[1].rows, key=lambda r: position[r.label])


def picture(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """Two panels on one scale, both in the first series' ranking order, with the gains marked."""
    first, second = _orders(table)
    (one, two), (legend_one, legend_two) = table.series, spec.series
    names = (one.name, two.name)
    headers = (legend_one.legend or legend_one.name, legend_two.legend or legend_two.name)
    gains = None
    if spec.gain_min is not None:
        gains = {r.code: g for r, g in shown_gains(table, spec.gain_min) if r.code is not None}
    _draw(c, first, second, names, headers, slot, gains)


def _draw(
    c: Canvas,
    first: list[Row],
    second: list[Row],
    names: tuple[str, str],
    headers: tuple[str, str],
    slot: str,
    gains: dict[int, float] | None,
) -> None:
    """Two panels side by side on one option list: the first series (実績) left, the second right;
    ``gains`` (option code → points) are printed beside the second series' bars."""
    from ..charts import axis, rows_layout

    frame = pair_frame(c.width, c.height, slot, len(first), headers, gains is not None)
    label_width, panel = frame.label, frame.panel
    header_text = [c.wrap(h, panel - 10, style.HEADER_PT, 2) for h in headers]
    top, bottom = frame.top, frame.bottom
    wrapped, pitch = rows_layout(c, [r.label for r in first], top, bottom, label_width)
    scale = frame.span / max(max(r.value for r in first + second), 1e-9)
    for p, (rows, name, header, color) in enumerate(
        zip((first, second), names, header_text, (style.SECONDARY, style.PRIMARY))
    ):
        x0 = frame.lefts[p]
        c.text(x0, c.height - 2, header, style.HEADER_PT, f"header:{name}", va="top", color=color if p else style.INK)
        axis(c, x0, top, bottom)
        for i, row in enumerate(rows):
            y = top - (i + 0.5) * pitch
            h = frame.thickness
            c.bar(x0, y - h / 2, row.value * scale, h, bar_color(row, color), f"bar:{name}:{row.label}")
            c.text(
                x0 + row.value * scale + 4,
                y,
                wording.value_text(row.value, "percent"),
                style.VALUE_PT,
                f"value:{name}:{row.label}",
                va="center",
            )
            if p == 1 and gains and row.code in gains:
                x = (
                    x0
                    + row.value * scale
                    + 4
                    + c.font.width(wording.value_text(row.value, "percent"), style.VALUE_PT)
                    + 6
                )
                c.text(
                    x,
                    y,
                    wording.gain_text(gains[row.code]),
                    style.VALUE_PT,
                    f"gain:{row.label}",
                    va="center",
                    color=style.ACCENT_TEXT,
                )
    for i, (row, label) in enumerate(zip(first, wrapped)):
        c.text(
            label_width, top - (i + 0.5) * pitch, label, style.LABEL_PT, f"label:{row.label}", ha="right", va="center"
        )


def panels(spec: FigureSpec, table: FigureTable) -> tuple[tuple[Panel, ...], list[Row]]:
    """Two panels in the first series' ranking order, the second carrying its gains (as text
    now, and as the least its workbook's formulas print)."""
    first, second = _orders(table)
    gains = {r.code: g for r, g in shown_gains(table, spec.gain_min)}
    notes = {i: wording.gain_text(gains[r.code]) for i, r in enumerate(second) if r.code in gains}
    made = tuple(
        Panel(s.name, legend.legend or s.name, tuple(Bar(r.label, r.value, bar_color(r, color)) for r in rows), n, m)
        for s, legend, rows, color, n, m in zip(
            table.series,
            spec.series,
            (first, second),
            (style.SECONDARY, style.PRIMARY),
            ({}, notes),
            (None, spec.gain_min),
        )
    )
    return made, first


def workbook(spec: ChartSpec, panel: Panel) -> Any:
    """This panel's values, the other panel's (the unfilled series that keeps both on one scale)
    and, on a panel that prints gains, each gain as a formula of the two."""
    from ..pptx_chart import Cell, chart_data

    data, cells = chart_data(spec.number_format)
    data.categories = [b.label for b in panel.bars]
    data.add_series(panel.name, [b.value for b in panel.bars])
    other = next(p for p in spec.panels if p is not panel)
    by_label = {b.label: b.value for b in other.bars}
    data.add_series(f"{other.name}（目盛りをそろえるための系列）", [by_label.get(b.label) for b in panel.bars])
    if panel.gain_min is not None:
        cells.append(Cell("D1", f"増加幅（{panel.gain_min:g}ポイント以上を表示）"))
        for i in range(2, len(panel.bars) + 2):
            gain = f"ROUND(B{i}-C{i},1)"
            cells.append(
                Cell(
                    f"D{i}",
                    panel.notes.get(i - 2, ""),
                    f'=IF({gain}>={panel.gain_min:g},IF({gain}>=0,"＋","－")&TEXT(ABS({gain}),"0.0")&"pt","")',
                )
            )
    return data


def native(shapes: Any, spec: ChartSpec, box: Box) -> list[Any]:
    """Two bar charts side by side on one scale (:func:`~slidegen.figures.pptx_chart.draw_bars`)."""
    from ..pptx_chart import draw_bars

    return draw_bars(shapes, spec, box, workbook)


KIND = ChartKind(
    "paired",
    PAIR,
    ("single", "multi"),
    ranked=True,
    picture=picture,
    panels=panels,
    workbook=workbook,
    native=native,
    annotations=frozenset({"gains"}),
    default_for=frozenset({"single", "multi"}),
)
