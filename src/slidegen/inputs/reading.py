"""Reading a table file as Japanese offices save it: CSV or Excel.

CSV may be UTF-8, UTF-8 with a byte-order mark (Excel's 「CSV UTF-8」) or Shift_JIS/cp932
(Excel's plain 「CSV」 on Japanese Windows). ``.xlsx`` is read from its first sheet. Either way
the result is a :class:`RawTable` of text cells with the line each row came from, so that
validation can name the line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import TableFileError

ENCODINGS = ("utf-8-sig", "cp932")
#: the first bytes of an OLE2 compound file: an .xls workbook, or an encrypted .xlsx
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: table files people save that slidegen refuses, by name, with what they are
REFUSED = {
    ".xls": "an old Excel .xls workbook",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
    ".numbers": "a Numbers spreadsheet",
    ".xltx": "an Excel template (.xltx)",
}
#: the names of text tables: CSV, and CSV saved under another name
TEXT_SUFFIXES = (".csv", ".txt", "")
#: a cell longer than this is no answer (a quote gone astray, or a pasted document)
LONGEST_CELL = 10_000


class NotYaml(ValueError):
    """A text that is not YAML: PyYAML's error, its message kept, for the caller to name its file."""


def load_yaml(text: str) -> Any:
    """The data of a YAML text, read safely (no Python objects), as every data file of a project
    is read — with libyaml's C parser where PyYAML was built with it (ten times faster), else the
    pure-Python one: :class:`NotYaml` where it is not YAML, for the caller to name its file.
    PyYAML is imported here, when a file is read (12 ms: a rebuild that takes every input as the
    last build kept it imports none of it)."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise NotYaml(str(e)) from None


@dataclass(frozen=True)
class RawTable:
    """A table as text: header cells, and each data row with its 1-based line in the file."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    encoding: str  # "xlsx" for Excel workbooks
    #: per row, the file it came from where that is not ``path`` (a resubmitted sheet); empty: all from ``path``
    sources: tuple[Path, ...] = ()

    def source(self, i: int) -> Path:
        """The file row ``i`` came from."""
        return self.sources[i] if self.sources else self.path


def read_table(path: Path, key: str | None = None) -> RawTable:
    """Read the CSV or ``.xlsx`` file at ``path`` into a :class:`RawTable`.

    ``key`` is a column the header must hold (団体コード): where the first row lacks it and a
    later row has it (a title row above the column names), the error says on which line they are.
    Each row's line is where it starts in the file (a quoted cell may hold line breaks).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableFileError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise TableFileError(f"{path}: is a folder, not a table file.") from None
    if not data.strip():
        raise TableFileError(f"{path}: the file is empty; expected a header row of column names and one row per body.")
    found: list[tuple[int, list[str], int]]
    suffix = path.suffix.lower()
    if data[:8] == OLE2:  # an encrypted workbook is an OLE2 container, whatever its name says
        what = "an old Excel .xls workbook" if suffix == ".xls" else "a password-protected (encrypted) workbook"
        raise TableFileError(
            f"{path}: {what}, which slidegen cannot read; open it in Excel and save it as .xlsx without a password "
            "(ファイル › 情報 › ブックの保護 › パスワードを使用して暗号化: 空にする), or as 「CSV UTF-8」."
        )
    if suffix in REFUSED:
        raise TableFileError(f"{path}: {REFUSED[suffix]} is not read; save it as .xlsx or 「CSV UTF-8」.")
    if suffix not in (".xlsx", ".xlsm", *TEXT_SUFFIXES):
        raise TableFileError(
            f"{path}: a {suffix} file is not a table slidegen reads; expected CSV (.csv) or Excel (.xlsx)."
        )
    if suffix in (".xlsx", ".xlsm") or data[:2] == b"PK":  # (a workbook saved under a .csv name too)
        found = _xlsx_lines(path, data)
        encoding = "xlsx"
    else:
        text, encoding = _decode(path, data)
        found = _csv_lines(path, text)
    spans = {start: end for start, _, end in found}
    lines = [(n, cells) for n, cells, _ in found if any(c.strip() for c in cells)]
    if not lines:
        raise TableFileError(f"{path}: the file has no rows; expected a header row of column names.")
    if key is not None:
        _check_header_row(path, lines, key, encoding == "xlsx")
    (_, first), *rows = lines
    names = tuple(c.strip() for c in first)
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    header = names[:width]
    fixed: list[tuple[int, tuple[str, ...]]] = []
    for n, cells in rows:
        extra = [c for c in cells[width:] if c.strip()]
        if extra:
            end = spans.get(n, n)
            why = (
                f'a quoted cell runs on from line {n} to line {end}: is a closing quote (") missing on line {n}?'
                if end > n
                else "Is a comma missing from the header, or one too many in the row?"
            )
            raise TableFileError(
                f"{path}: line {n} has {len(cells)} cells but the header has {width} columns; "
                f"the extra value {extra[0][:40]!r} has no column. {why}"
            )
        fixed.append((n, tuple(cells[:width]) + ("",) * (width - len(cells))))
    return RawTable(path, header, tuple(fixed), encoding)


def _check_header_row(path: Path, lines: list[tuple[int, list[str]]], key: str, xlsx: bool) -> None:
    """The column names must be the first row: say where they are when rows sit above them."""
    if key in (c.strip() for c in lines[0][1]):
        return
    for n, cells in lines[1:10]:
        if key in (c.strip() for c in cells):
            above = "、".join(c.strip() for c in lines[0][1] if c.strip())[:40]
            where = f"row {n} of the sheet" if xlsx else f"line {n}"
            raise TableFileError(
                f"{path}: the column names ({key}, …) are on {where}, not the first; the rows above them "
                f"(「{above}」) are not a header. Delete the rows above the column names and save again."
            )


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TableFileError(
            f"{path}: this file is UTF-16 (Excel's 「Unicode テキスト」); save it as 「CSV UTF-8」 or .xlsx."
        )
    if b"\x00" in data[:4096]:
        raise TableFileError(f"{path}: this is not a text table (it holds binary data); expected CSV or .xlsx.")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableFileError(
        f"{path}: the text is neither UTF-8 nor Shift_JIS (cp932); save it as 「CSV UTF-8」 from Excel."
    )


def _csv_lines(path: Path, text: str) -> list[tuple[int, list[str], int]]:
    """Each row with the line it starts on and the line it ends on."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long cell is named below, not a csv error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines = []
    start = 1
    try:
        for cells in reader:
            lines.append((start, cells, reader.line_num))
            start = reader.line_num + 1
    except csv.Error as e:
        if "unexpected end of data" in str(e) or "EOF" in str(e):
            raise TableFileError(
                f'{path}: line {start}: a quoted cell opens on this line and never closes (a " without its pair), '
                f"so the rest of the file, to line {reader.line_num}, would be one cell. Close or remove the quote."
            ) from None
        spans = (
            f'; the row runs from line {start} to line {reader.line_num}: is a quote (") missing or extra on line {start}?'
            if reader.line_num > start
            else ""
        )
        raise TableFileError(f"{path}: line {start}: not valid CSV ({e}){spans}.") from None
    _no_long_cells(path, lines, "line")
    return lines


def _no_long_cells(path: Path, lines: list[tuple[int, list[str], int]], row: str) -> None:
    """A cell longer than :data:`LONGEST_CELL` is named: no answer is that long."""
    for n, cells, _ in lines:
        if max(map(len, cells), default=0) <= LONGEST_CELL:  # (the usual row, looked at in one go)
            continue
        for k, cell in enumerate(cells, start=1):
            if len(cell) > LONGEST_CELL:
                raise TableFileError(
                    f"{path}: {row} {n}, column {k}: a cell of {len(cell):,} characters (「{cell[:20]}…」); no answer is "
                    f"longer than {LONGEST_CELL:,}. Was a document pasted into it, or a quote left open?"
                )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _xlsx_lines(path: Path, data: bytes) -> list[tuple[int, list[str], int]]:
    """The rows of the sheet a person sees when they open the workbook: its active sheet, where
    that is visible, else its first visible one. A workbook with data on several visible sheets is
    refused, naming them (which one is the table?); a formula whose result the workbook does not
    hold (a workbook a script wrote, never opened in Excel) is refused, naming its cell."""
    import openpyxl  # imported here: only Excel input needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise TableFileError(f"{path}: not a readable .xlsx workbook ({e}).") from None
    try:
        visible = [ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        if not visible:
            raise TableFileError(f"{path}: every sheet of the workbook is hidden; show the sheet with the table.")
        active = workbook.active if workbook.active in visible else visible[0]
        with_data = [ws.title for ws in visible if ws is not active and _has_data(ws)]
        if with_data:
            raise TableFileError(
                f"{path}: the workbook shows data on several sheets ({', '.join([active.title, *with_data])}); "
                "keep the table on one sheet (delete or hide the others) and save again."
            )
        rows = [(n, list(row)) for n, row in enumerate(active.iter_rows(values_only=True), start=1)]
        title = active.title
    finally:
        workbook.close()
    if any(b"<f>" in part or b"<f " in part for part in _sheet_parts(data)):
        _no_uncached_formulas(path, data, title, rows)
    lines = [(n, [_cell_text(v) for v in row], n) for n, row in rows]
    _no_long_cells(path, lines, "row")
    return lines


def _has_data(sheet: object) -> bool:
    return any(v is not None and str(v).strip() for row in sheet.iter_rows(values_only=True) for v in row)  # type: ignore[attr-defined]


def _sheet_parts(data: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _no_uncached_formulas(path: Path, data: bytes, title: str, rows: list[tuple[int, list[object]]]) -> None:
    """Refuse a formula whose result the workbook does not hold: read as blank, it would count as 0."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        formulas = workbook[title].iter_rows(values_only=True)
        for (n, values), written in zip(rows, formulas):
            for k, (value, formula) in enumerate(zip(values, written), start=1):
                if value is None and isinstance(formula, str) and formula.startswith("="):
                    raise TableFileError(
                        f"{path}: sheet {title}, cell {get_column_letter(k)}{n}: a formula ({formula[:40]}) whose result "
                        "the workbook does not hold (it was written by a program and never opened in Excel); open it "
                        "in Excel and save it, or write the values instead of formulas."
                    )
    finally:
        workbook.close()
