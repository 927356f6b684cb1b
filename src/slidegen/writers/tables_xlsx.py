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
from .outputs import stable_ooxml

#: the descriptions that mark a workbook as slidegen's (what it may replace): the 集計表, the 比較表
MARKER = "slidegen 集計表"
COMPARISON_MARKER = "slidegen 比較表"
HEADER_FILL = "DDEBF7"
HEADER_STYLE, CELL_STYLE = "slidegen 見出し", "slidegen 表"
BORDER = "808080"


def file_name(year: str) -> str:
    """The workbook's name in a build's folder: ``R6_集計表.xlsx``."""
    return f"{year}_集計表.xlsx"


def prepare() -> None:
    """What writing the workbook needs before there is a table: openpyxl imported (done while a
    build waits for its data)."""
    import openpyxl.styles  # noqa: F401
    import openpyxl.utils  # noqa: F401


class Sheet:
    """A worksheet written row by row in the deck's font, with a bordered, header-filled table."""

    def __init__(self, ws: Any, font: str, widths: Sequence[float]) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        self.ws = ws
        self.font = font
        self.widths = list(widths)
        for i, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        self.plain = Font(name=font, size=10)
        self.bold = Font(name=font, size=10, bold=True)
        self.title_font = Font(name=font, size=12, bold=True)
        self.note_font = Font(name=font, size=9)
        if HEADER_STYLE not in ws.parent.named_styles:  # the table's two looks, once per workbook
            from openpyxl.styles import NamedStyle

            side = Side(style="thin", color=BORDER)
            border = Border(left=side, right=side, top=side, bottom=side)
            ws.parent.add_named_style(
                NamedStyle(HEADER_STYLE, font=self.bold, border=border, fill=PatternFill("solid", fgColor=HEADER_FILL))
            )
            ws.parent.add_named_style(NamedStyle(CELL_STYLE, font=self.plain, border=border))

    def line(self, text: str, kind: str = "plain") -> None:
        """A line of text across the table's width, wrapped (and its row made tall enough) where
        it is longer, so nothing spills past the printed page."""
        import math

        from openpyxl.styles import Alignment

        self.ws.append([text])
        row = self.ws.max_row
        font = {"title": self.title_font, "note": self.note_font, "bold": self.bold}.get(kind, self.plain)
        cell = self.ws.cell(row=row, column=1)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(self.widths) > 1:
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(self.widths))
        size = font.sz or 10
        per_line = (
            sum(self.widths) * 7.0 / (size * 4 / 3 * 1.05)
        )  # column units are ~7 px; a full-width character ~size px·4/3
        lines = max(1, math.ceil(sum(1.0 if ord(ch) > 0x7F else 0.55 for ch in text) / max(per_line, 1)))
        self.ws.row_dimensions[row].height = lines * size * 1.45

    def blank(self) -> None:
        self.ws.append([])

    def table(self, header: list[str], rows: list[list[Any]], decimal: str) -> int:
        """A bordered table under a filled header; the header's row number. Cells take one of two
        named styles (set once per workbook: far quicker than a font, fill and border each)."""
        self.ws.append(header)
        first = self.ws.max_row
        for cell in self.ws[first]:
            cell.style = HEADER_STYLE
        for row in rows:
            self.ws.append(row)
            for cell in self.ws[self.ws.max_row]:
                cell.style = CELL_STYLE
                if isinstance(cell.value, bool):
                    continue
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, float):
                    cell.number_format = decimal
        return first

    def finish(self, title_rows: int) -> None:
        """Printed landscape, one page wide (the table's columns), the title rows on every page."""
        from openpyxl.utils import get_column_letter

        self.ws.print_area = f"A1:{get_column_letter(len(self.widths))}{self.ws.max_row}"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4
        self.ws.page_setup.fitToWidth = 1
        self.ws.page_setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.ws.print_title_rows = f"1:{title_rows}"
        self.ws.oddFooter.center.text = "&P / &N"  # the page and the sheet's pages
        self.ws.oddFooter.center.size = 9
        self.ws.oddFooter.center.font = self.font


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
    from openpyxl import Workbook

    survey = codebook.survey
    sample = tables.sample_data
    wb = Workbook()
    sheet = Sheet(wb.active, font, [16, 14, 14, 18])
    sheet.ws.title = "調査概要"
    sheet.line(f"{survey.fiscal_year} {survey.title}", "title")
    sheet.line(f"{survey.author}　{survey.published}")
    if sample:
        sheet.line(survey.sample_note or "sample data", "bold")
    sheet.blank()
    title_rows = sheet.ws.max_row
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
        sheet = Sheet(wb.create_sheet(f"図{figure.number}"), font, [44] + [14] * (len(header) - 1))
        base = codebook.bases[figure.base].label if figure.base in codebook.bases else figure.base
        sheet.line(f"【図{figure.number}】{figure.title}（{ANSWER_LABELS[figure.answer]}）", "title")
        sheet.line(f"設問：{_question_text(figure, codebook)}")
        sheet.line(f"集計対象：{base}（n={figure.n:,}）　単位：{UNIT_LABELS[figure.unit]}")
        if sample:
            sheet.line(survey.sample_note or "sample data", "bold")
        sheet.blank()
        title_rows = sheet.ws.max_row
        sheet.table(header, rows, "+0.0;-0.0;0.0" if figure.unit == POINTS else "0.0")
        sheet.blank()
        for note in _notes(figure, codebook):
            sheet.line(note, "note")
        sheet.line(citation(codebook), "note")
        sheet.finish(title_rows)

    # the data's provenance (the response file and its hash) in the properties
    return saved(wb, codebook, f"{survey.fiscal_year} {survey.title} 集計表", MARKER, source or None)


def saved(wb: Any, codebook: Codebook, title: str, marker: str, identifier: str | None = None) -> bytes:
    """A workbook of slidegen's as bytes, the same for the same content: its properties from the
    codebook (author, subject, language, the survey's date), ``title``, the ``marker`` that says
    slidegen wrote it, and ``identifier``; its fonts in Excel's order."""
    survey = codebook.survey
    props = wb.properties
    props.creator = props.lastModifiedBy = survey.author
    props.title = title
    props.subject = survey.title
    props.description = marker
    props.language = "ja-JP"
    props.identifier = identifier
    return stable_ooxml(fonts_in_excel_order(_in_memory(wb)), document_time(survey.published_date))


def _in_memory(wb: Any) -> bytes:
    """The workbook saved as openpyxl's ``save`` saves it, but each sheet written in memory:
    openpyxl writes each to a file in the system's temporary folder first — a write outside
    slidegen's folders, and a file made and removed per sheet (2 ms each to remove on a disk
    mounted to discard, 40 ms of a 集計表's 19 sheets)."""
    import datetime
    import zipfile

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class Writer(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:  # as ExcelWriter's, into memory
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws, io.BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
        Writer(wb, archive).write_data()
    return out.getvalue()


#: the order Excel writes a font's properties in (openpyxl writes the name first, which the Open
#: XML SDK's validator, and openxml-audit after it, reject)
FONT_ORDER = (
    "b",
    "i",
    "strike",
    "condense",
    "extend",
    "outline",
    "shadow",
    "u",
    "vertAlign",
    "sz",
    "color",
    "name",
    "family",
    "charset",
    "scheme",
)


def fonts_in_excel_order(data: bytes) -> bytes:
    """The workbook with each font's properties in Excel's order (``xl/styles.xml``), the rest as it was."""
    import zipfile

    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/styles.xml":
                root = etree.fromstring(content)
                for font in root.iter("{*}font"):
                    children = sorted(font, key=lambda e: FONT_ORDER.index(etree.QName(e).localname))
                    font[:] = children
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, content)
    return out.getvalue()


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
