"""The aggregates as an Excel workbook of 集計表: an overview sheet and one sheet per figure."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ..aggregate import ANSWER_LABELS, PERCENT, POINTS, UNIT_LABELS, Tables
from ..errors import ProjectError
from ..inputs.codebook import Survey, document_time
from .outputs import stable_ooxml, write_atomic


def workbook_bytes(tables: Tables, survey: Survey) -> bytes:
    """The workbook as bytes, identical for identical tables."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "調査概要"
    ws.append([f"{survey.fiscal_year} {survey.title}"])
    ws["A1"].font = bold
    if tables.sample_data:
        ws.append([survey.sample_note or "sample data"])
    ws.append([])
    ws.append(["区分", "調査対象", "有効回答数", "有効回答率（％）"])
    o = tables.survey
    ws.append(["全体", o.target, o.responses, o.response_rate])
    for kind, target in o.target_by_kind.items():
        ws.append([kind, target, o.responses_by_kind[kind], o.response_rate_by_kind[kind]])
    _number_formats(ws, first_row=5, decimal="0.0")
    ws.column_dimensions["A"].width = 14

    for figure in tables.figures:
        ws = wb.create_sheet(f"図{figure.number}")
        ws.append([f"【図{figure.number}】{figure.title}（{ANSWER_LABELS[figure.answer]}）"])
        ws["A1"].font = bold
        ws.append([f"n={figure.n:,}　（{UNIT_LABELS[figure.unit]}）　集計対象：{figure.base}"])
        ws.append([])
        header = ["選択肢"]
        for s in figure.series:
            prefix = f"{s.name} " if len(figure.series) > 1 else ""
            header += [f"{prefix}件数", f"{prefix}割合（％）"] if figure.unit == PERCENT else [s.name]
        ws.append(header)
        for cell in ws[4]:
            cell.font = bold
        for i, first in enumerate(figure.series[0].rows):
            row: list = [first.label]
            for s in figure.series:
                r = s.rows[i]
                row += [r.count, r.value] if figure.unit == PERCENT else [r.value]
            ws.append(row)
        _number_formats(ws, first_row=5, decimal="+0.0;-0.0;0.0" if figure.unit == POINTS else "0.0")
        ws.column_dimensions["A"].width = 44
        for letter in "BCDE":
            ws.column_dimensions[letter].width = 14
    for ws in wb.worksheets:  # print each sheet on one page wide
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = wb.properties.lastModifiedBy = "slidegen"
    wb.properties.title = f"{survey.fiscal_year} {survey.title} 集計表"
    out = io.BytesIO()
    wb.save(out)
    return stable_ooxml(out.getvalue(), document_time(survey.published_date))


def _number_formats(ws: Any, first_row: int, decimal: str) -> None:
    """Counts with thousands separators, values with one decimal (100.0, not 100)."""
    for row in ws.iter_rows(min_row=first_row, min_col=2):
        for cell in row:
            if isinstance(cell.value, int):
                cell.number_format = "#,##0"
            elif isinstance(cell.value, float):
                cell.number_format = decimal


def _made_by_slidegen(path: Path) -> bool:
    """Whether the workbook at ``path`` is one slidegen wrote (its creator says so)."""
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            core = ElementTree.fromstring(z.read("docProps/core.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return False
    return core.findtext("{http://purl.org/dc/elements/1.1/}creator") == "slidegen"


def write_xlsx(path: Path, tables: Tables, survey: Survey) -> None:
    """Write the workbook to ``path``, replacing only a workbook slidegen wrote before."""
    if path.is_dir() or path.suffix.lower() != ".xlsx":
        raise ProjectError(f"--xlsx {path}: expected the name of an Excel workbook to write, such as 集計表.xlsx.")
    if path.exists() and not _made_by_slidegen(path):
        raise ProjectError(
            f"--xlsx {path}: this file exists and slidegen did not write it; it would be replaced. "
            "Give a new file name, or move the file away first."
        )
    write_atomic(path, workbook_bytes(tables, survey))
