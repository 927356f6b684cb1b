"""The 比較表 workbook (issue 22): every figure's shares by segment, side by side.

One sheet of the segments themselves (bodies asked, answers, response rate), then one sheet per
figure: a row per option, a column for 全体 (the whole year) then one per segment, with the n of
each column above its shares; below it, each segment's difference from 全体 in points (for a
figure of shares). What a segment may not show is withheld as in ``tables --by`` (「—」: a share of
1–2 bodies, or the one 100 less the others would give back), and a segment whose base is small is
marked 参考値 over its column — each with its note. The numbers are the very ones ``slidegen tables
--by AXIS --json`` gives.
"""

from __future__ import annotations

from typing import Any

from ..aggregate import (
    ANSWER_LABELS,
    PERCENT,
    UNIT_LABELS,
    WITHHELD,
    FigureTable,
    Protected,
    Row,
    Tables,
    small_cell_notes,
)
from ..inputs.codebook import Codebook
from ..inputs.segments import SmallCells
from .tables_xlsx import COMPARISON_MARKER, Book, citation, saved


def file_name(year: str, axis: str) -> str:
    """The workbook's name: ``R6_財務局_比較表.xlsx``."""
    return f"{year}_{axis}_比較表.xlsx"


def comparison_bytes(
    national: Tables,
    axis: str,
    segments: list[tuple[str, Tables, dict[int, Protected]]],
    small: SmallCells,
    codebook: Codebook,
    font: str = "BIZ UDPゴシック",
) -> bytes:
    """The workbook as bytes, the same for the same tables: ``national`` the whole year's,
    ``segments`` each segment's value, tables and figures as it may show them."""
    survey = codebook.survey
    book = Book(font)
    sheet = book.sheet("区分別の回答", [16] + [12] * 3)
    sheet.line(f"{survey.fiscal_year} {survey.title}　{axis}別の比較表", "title")
    if national.sample_data:
        sheet.line(survey.sample_note or "sample data", "bold")
    sheet.blank()
    title_rows = sheet.rows
    o = national.survey
    rows: list[list[Any]] = [["全体", o.target, o.responses, o.response_rate]]
    rows += [[value, t.survey.target, t.survey.responses, t.survey.response_rate] for value, t, _ in segments]
    sheet.table([axis, "調査対象", "有効回答数", "有効回答率（％）"], rows, "0.0")
    sheet.blank()
    sheet.line(citation(codebook), "note")
    sheet.finish(title_rows)

    for figure in national.figures:
        shown = [(value, tables.figure(figure.number), figures[figure.number]) for value, tables, figures in segments]
        _figure_sheet(book, figure, shown, small, codebook)

    return saved(book, codebook, f"{survey.fiscal_year} {survey.title} {axis}別の比較表", COMPARISON_MARKER)


def _figure_sheet(
    book: Book,
    figure: FigureTable,
    shown: list[tuple[str, FigureTable, Protected]],
    small: SmallCells,
    codebook: Codebook,
) -> None:
    """One figure: per series, its shares by segment under each column's n, then the differences."""
    columns = ["全体", *(value for value, _, _ in shown)]
    sheet = book.sheet(f"図{figure.number}", [40] + [10] * len(columns))
    sheet.line(
        f"【図{figure.number}】{figure.title}（{ANSWER_LABELS[figure.answer]}）　単位：{UNIT_LABELS[figure.unit]}",
        "title",
    )
    if figure.unit == PERCENT:
        sheet.line("上段：回答比率（％）。下段：全体との差（ポイント）。")
    sheet.blank()
    title_rows = sheet.rows
    decimal = "0.0"
    for s, series in enumerate(figure.series):
        name = f"（{series.name}）" if len(figure.series) > 1 else ""
        head = [f"選択肢{name}", *columns]
        n_row: list[Any] = ["n", figure.n, *(t.n for _, t, _ in shown)]
        marks: list[Any] = ["", "", *("参考値" if p.reference else "" for _, _, p in shown)]
        rows: list[list[Any]] = [n_row, marks]
        for row in series.rows:
            rows.append([row.label, row.value, *(_cell(t, p, s, row) for _, t, p in shown)])
        sheet.table(head, rows, decimal)
        sheet.blank()
        if figure.unit != PERCENT:
            continue
        differences: list[list[Any]] = []
        for row in series.rows:
            cells = [_cell(t, p, s, row) for _, t, p in shown]
            differences.append([row.label, *(round(c - row.value, 1) if isinstance(c, float) else c for c in cells)])
        sheet.table([f"全体との差（ポイント）{name}", *columns[1:]], differences, "+0.0;-0.0;0.0")
        sheet.blank()
    for note in small_cell_notes(small):
        sheet.line(note, "note")
    sheet.line(citation(codebook), "note")
    sheet.finish(title_rows)


def _cell(table: FigureTable, shown: Protected, series: int, option: Row) -> float | str:
    """A segment's value for the national row ``option`` (found by its option, not its place: a gap
    figure ranks each segment's own rows), as the 比較表 prints it: the value; 「—」 where it is
    withheld, or the segment has no body in the figure's base; empty where the segment's figure
    does not list the option (a gap figure's top rows are its own)."""
    rows = table.series[series].rows
    at = next((r for r, row in enumerate(rows) if (row.code, row.label) == (option.code, option.label)), None)
    if at is None:
        return ""
    if table.n == 0 or not shown.shown(series, at):
        return WITHHELD
    return rows[at].value
