"""The aggregates as an Excel workbook of 集計表, fit to send: an overview sheet and one sheet per
figure, each with its title, question, base and n, a bordered table of counts and shares under a
filled header — its rows in the order the slide shows them, labelled as the slide labels them (※1,
†), a 合計 row where a single answer's shares add up — the notes the deck prints (※1, †, gains,
brackets, how derived figures are computed), the 出典 in the deck's words and — in a sample
workbook — the sample notice, in the deck's font, printed one page wide with its title rows
repeated and page numbers in the footer. Its document properties come from the codebook (title,
author, date) and hold the data's provenance (the deck's full source line: the response file and
its hash); a marker in its description says slidegen wrote it, so slidegen replaces only a
workbook of its own.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..aggregate import (
    ANSWER_LABELS,
    NOTES,
    PERCENT,
    POINTS,
    SINGLE,
    UNIT_LABELS,
    FigureTable,
    Tables,
    printed_total,
    share,
    shown_gains,
    table_grid,
)
from ..inputs.codebook import Codebook, document_time
from .outputs import stable_zip

#: the descriptions that mark a workbook as slidegen's (what it may replace): the 集計表, the 比較表
MARKER = "slidegen 集計表"
COMPARISON_MARKER = "slidegen 比較表"
HEADER_FILL = "DDEBF7"
BORDER = "808080"


def file_name(year: str) -> str:
    """The workbook's name in a build's folder: ``R6_集計表.xlsx``."""
    return f"{year}_集計表.xlsx"


def prepare() -> None:
    """What writing the workbook needs before there is a table: XlsxWriter imported (done while
    a build waits for its data)."""
    import xlsxwriter  # noqa: F401


#: the formats of a line of text, by its kind: (size, bold)
LINE_FORMATS = {"title": (12, True), "note": (9, False), "bold": (10, True), "plain": (10, False)}


class Book:
    """A workbook of slidegen's being written, in memory (XlsxWriter's, with no temporary file),
    in the deck's font: its sheets and the cell formats they share."""

    def __init__(self, font: str) -> None:
        import xlsxwriter

        self.out = io.BytesIO()
        # a text is text: never a formula (「=…」) or a link, whatever a label or note begins with
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        self.wb = xlsxwriter.Workbook(self.out, options)
        self.font = font
        self._formats: dict[tuple[Any, ...], Any] = {}

    def format(self, *key: Any) -> Any:
        """The format of a line (``("line", kind)``) or of a table's cell (``("header",)``,
        ``("cell", number_format)``), made once per workbook."""
        if key not in self._formats:
            props: dict[str, Any] = {"font_name": self.font, "font_size": 10}
            if key[0] == "line":
                size, bold = LINE_FORMATS.get(key[1], LINE_FORMATS["plain"])
                props.update(font_size=size, bold=bold, text_wrap=True, valign="top")
            else:
                props.update(border=1, border_color=f"#{BORDER}")
                if key[0] == "header":
                    props.update(bold=True, pattern=1, bg_color=f"#{HEADER_FILL}")
                elif key[1]:
                    props.update(num_format=key[1])
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, name: str, widths: Sequence[float]) -> Sheet:
        """A new sheet named ``name`` whose table's columns are ``widths`` wide (Excel's units)."""
        return Sheet(self, self.wb.add_worksheet(name), widths)


class Sheet:
    """A worksheet written row by row in the deck's font, with a bordered, header-filled table."""

    def __init__(self, book: Book, ws: Any, widths: Sequence[float]) -> None:
        self.book = book
        self.ws = ws
        self.widths = list(widths)
        self.rows = 0  # the rows written so far
        for i, width in enumerate(self.widths):
            ws.set_column(i, i, width)

    def line(self, text: str, kind: str = "plain") -> None:
        """A line of text across the table's width, wrapped (and its row made tall enough) where
        it is longer, so nothing spills past the printed page."""
        import math

        row, style = self.rows, self.book.format("line", kind)
        if len(self.widths) > 1:
            self.ws.merge_range(row, 0, row, len(self.widths) - 1, text, style)
        else:
            self.ws.write_string(row, 0, text, style)
        size = LINE_FORMATS.get(kind, LINE_FORMATS["plain"])[0]
        per_line = (
            sum(self.widths) * 7.0 / (size * 4 / 3 * 1.05)
        )  # column units are ~7 px; a full-width character ~size px·4/3
        lines = max(1, math.ceil(sum(1.0 if ord(ch) > 0x7F else 0.55 for ch in text) / max(per_line, 1)))
        self.ws.set_row(row, lines * size * 1.45)
        self.rows += 1

    def blank(self) -> None:
        self.rows += 1

    def table(self, header: list[str], rows: list[list[Any]], decimal: str) -> int:
        """A bordered table under a filled header; the header's row number (1-based)."""
        first = self.rows
        head = self.book.format("header")
        for col, value in enumerate(header):
            self.ws.write(first, col, value, head)
        for r, row in enumerate(rows, start=first + 1):
            for col, value in enumerate(row):
                if isinstance(value, bool):
                    number = ""
                elif isinstance(value, int):
                    number = "#,##0"
                elif isinstance(value, float):
                    number = decimal
                else:
                    number = ""
                self.ws.write(r, col, value, self.book.format("cell", number))
        self.rows = first + 1 + len(rows)
        return first + 1

    def finish(self, title_rows: int) -> None:
        """Printed landscape, one page wide (the table's columns), the title rows on every page."""
        self.ws.print_area(0, 0, max(self.rows - 1, 0), len(self.widths) - 1)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)
        if title_rows:
            self.ws.repeat_rows(0, title_rows - 1)
        self.ws.set_footer(f'&C&"{self.book.font},Regular"&9&P / &N')  # the page and the sheet's pages


def as_shown(figure: FigureTable, codebook: Codebook) -> FigureTable:
    """The figure's table as its slide shows it: each label marked (※1 after an option with a
    footnote, † after one a sample invented) and the rows in the figure's order — ranked, in
    questionnaire order, or a paired figure's both in its first series' ranking."""
    import dataclasses

    from ..figures import marked
    from ..figures.kinds import KINDS

    spec = codebook.figure(figure.number)
    table = marked(figure, spec, codebook)
    _, rows = KINDS[spec.chart].panels(spec, table)
    order = {(r.code, r.label): i for i, r in enumerate(rows)}
    first = [(r.code, r.label) for r in table.series[0].rows]
    place = [order.get(key, len(order) + k) for k, key in enumerate(first)]
    series = tuple(
        dataclasses.replace(s, rows=tuple(r for _, r in sorted(zip(place, s.rows), key=lambda pair: pair[0])))
        for s in table.series
    )
    return dataclasses.replace(table, series=series)


def _total(figure: FigureTable) -> list[Any] | None:
    """A single answer's 合計 row: every body once, the shares as printed added up (:func:`printed_total`)."""
    if figure.answer != SINGLE or figure.unit != PERCENT or len(figure.series) != 1:
        return None
    return ["合計", sum(r.count or 0 for r in figure.series[0].rows), printed_total(figure)]


def citation(codebook: Codebook) -> str:
    """The 出典 as the deck words it: 出典：author「title」（fiscal year）."""
    survey = codebook.survey
    return f"出典：{survey.author}「{survey.title}」（{survey.fiscal_year}）"


def _question_text(figure: FigureTable, codebook: Codebook) -> str:
    spec = codebook.figure(figure.number)
    if spec.gap is not None:
        source = codebook.figure(spec.gap.figure)
        what = "差" if figure.unit == POINTS else "倍率"
        return f"図{source.number}（{source.title}）の2系列の{what}の上位{spec.gap.top}項目"
    return "／".join(f"{s.question}：{codebook.questions[s.question].text}" for s in spec.series)


def _notes(figure: FigureTable, codebook: Codebook) -> list[str]:
    """What the deck prints under the figure and in its notes: ※ and † notes, the bracket's sum,
    the point gains, how a derived figure is computed."""
    from ..figures import describe

    spec = codebook.figure(figure.number)
    notes = list(describe(spec, figure, codebook, "full").footnotes)
    if spec.bracket is not None:
        notes.append(
            f"{spec.bracket.label}（{'・'.join(str(c) for c in spec.bracket.codes)}の計）：{share(figure, spec.bracket.codes):.1f}％"
        )
    if spec.gain_min is not None:
        gains = [f"{r.label} {g:+.1f}pt" for r, g in shown_gains(figure, spec.gain_min)]
        if gains:
            notes.append(
                f"{figure.series[1].name}が{figure.series[0].name}を{spec.gain_min:g}ポイント以上上回る項目："
                + "、".join(gains)
            )
    if figure.unit == POINTS:  # how a difference is computed (a ratio's note is the deck's own)
        notes.append(NOTES["difference"])
    return list(dict.fromkeys(notes))


def workbook_bytes(tables: Tables, codebook: Codebook, source: str = "", font: str = "BIZ UDPゴシック") -> bytes:
    """The workbook as bytes, identical for identical tables."""
    survey = codebook.survey
    sample = tables.sample_data
    book = Book(font)
    sheet = book.sheet("調査概要", [16, 14, 14, 18])
    sheet.line(f"{survey.fiscal_year} {survey.title}", "title")
    sheet.line(f"{survey.author}　{survey.published}")
    if sample:
        sheet.line(survey.sample_note or "sample data", "bold")
    sheet.blank()
    title_rows = sheet.rows
    o = tables.survey
    overview: list[list[Any]] = [["全体", o.target, o.responses, o.response_rate]]
    overview += [[k, t, o.responses_by_kind[k], o.response_rate_by_kind[k]] for k, t in o.target_by_kind.items()]
    sheet.table(["区分", "調査対象", "有効回答数", "有効回答率（％）"], overview, "0.0")
    sheet.blank()
    sheet.line(f"調査対象：{survey.target}", "note")
    sheet.line(f"調査期間：{survey.period}", "note")
    sheet.line(citation(codebook), "note")
    sheet.finish(title_rows)

    for figure in tables.figures:
        header, rows = table_grid(as_shown(figure, codebook), False, "割合（％）")  # (as_shown marks †)
        total = _total(figure)
        if total is not None:
            rows.append(total)
        sheet = book.sheet(f"図{figure.number}", [44] + [14] * (len(header) - 1))
        base = codebook.bases[figure.base].label if figure.base in codebook.bases else figure.base
        sheet.line(f"【図{figure.number}】{figure.title}（{ANSWER_LABELS[figure.answer]}）", "title")
        sheet.line(f"設問：{_question_text(figure, codebook)}")
        sheet.line(f"集計対象：{base}（n={figure.n:,}）　単位：{UNIT_LABELS[figure.unit]}")
        if sample:
            sheet.line(survey.sample_note or "sample data", "bold")
        sheet.blank()
        title_rows = sheet.rows
        sheet.table(header, rows, "+0.0;-0.0;0.0" if figure.unit == POINTS else "0.0")
        sheet.blank()
        for note in _notes(figure, codebook):
            sheet.line(note, "note")
        sheet.line(citation(codebook), "note")
        sheet.finish(title_rows)

    # the data's provenance (the response file and its hash) in the properties
    return saved(book, codebook, f"{survey.fiscal_year} {survey.title} 集計表", MARKER, source or None)


def saved(book: Book, codebook: Codebook, title: str, marker: str, identifier: str | None = None) -> bytes:
    """A workbook of slidegen's as bytes, the same for the same content: its properties from the
    codebook (author, subject, language, the survey's date), ``title``, the ``marker`` that says
    slidegen wrote it (its description), and ``identifier``."""
    survey = codebook.survey
    when = document_time(survey.published_date)
    book.wb.set_properties(
        {"title": title, "subject": survey.title, "author": survey.author, "comments": marker, "created": when}
    )
    book.wb.close()
    return _stable_with_more_properties(book.out.getvalue(), identifier, when)


def _stable_with_more_properties(data: bytes, identifier: str | None, when: Any) -> bytes:
    """The workbook made reproducible (:func:`~.outputs.stable_zip`, dated ``when``) with its
    language (ja-JP) and ``identifier`` among its core properties, which XlsxWriter does not
    write — in the one pass that makes it reproducible."""
    import zipfile

    more = "<dc:language>ja-JP</dc:language>"
    if identifier:  # escaped as XML text (not with xml.sax.saxutils: it imports urllib, http, ssl, e-mail)
        text = identifier.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        more += f"<dc:identifier>{text}</dc:identifier>"

    def entries(source: zipfile.ZipFile) -> Any:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = content.replace(b"</cp:coreProperties>", more.encode("utf-8") + b"</cp:coreProperties>")
            yield info.filename, content

    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return stable_zip(entries(source), when)


def made_by_slidegen(path: Path) -> bool:
    """Whether the workbook at ``path`` is one slidegen wrote (its description says so; one of an
    earlier slidegen said so as its creator)."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            core = ElementTree.fromstring(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    description = core.findtext("{http://purl.org/dc/elements/1.1/}description") or ""
    return (
        description in (MARKER, COMPARISON_MARKER)
        or core.findtext("{http://purl.org/dc/elements/1.1/}creator") == "slidegen"
    )
