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

from ..errors import TableFileError

ENCODINGS = ("utf-8-sig", "cp932")


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
    if path.suffix.lower() in (".xlsx", ".xlsm") or data[:2] == b"PK":
        found = _xlsx_lines(path, data)
        encoding = "xlsx"
    elif path.suffix.lower() == ".xls":
        raise TableFileError(f"{path}: old Excel .xls files are not read; save it as .xlsx or CSV.")
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
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines = []
    start = 1
    try:
        for cells in reader:
            lines.append((start, cells, reader.line_num))
            start = reader.line_num + 1
    except csv.Error as e:
        if "unexpected end of data" in str(e) or "EOF" in str(e) or "field limit" in str(e):
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
    return lines


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
    import openpyxl  # imported here: only Excel input needs it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise TableFileError(f"{path}: not a readable .xlsx workbook ({e}).") from None
    try:
        sheet = workbook.worksheets[0]
        return [
            (n, [_cell_text(v) for v in row], n) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
