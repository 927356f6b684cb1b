"""Resubmitted and late answer sheets: whole rows that replace or add a body's answer.

An office that corrects its answer often sends the whole sheet again; a late answer arrives after
the tally. Each such file goes into ``data/<year>/resubmissions/`` (CSV or ``.xlsx``, the response
table's columns in any order, one or more rows, as an office exports them). Every row replaces
the row of the body with its 団体コード — the body's whole answer, so a base answer that changes
(Q1 2 → 1) needs no other line — or, where the body had not answered, adds it. Files are applied
in the order of their names, before the corrections log; a body in two files takes the later one.
The rows are then checked like every other row, and a problem in one is reported against its file
and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ResponseError
from .master import CODE, normalize_code
from .reading import RawTable, read_table

#: the files of a resubmissions folder slidegen reads


@dataclass(frozen=True)
class Resubmission:
    """One body's resubmitted (or late) row: where it came from and its cells in the response
    table's column order."""

    path: Path
    line: int
    code: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Resubmitted:
    """The table with the resubmitted rows in place, and what they did: for each body replaced, the
    cells its new sheet changed (column → (old, new)); the bodies added (late answers)."""

    table: RawTable
    replaced: dict[str, dict[str, tuple[str, str]]]
    added: tuple[str, ...]
    files: tuple[Path, ...]


def resubmission_files(folder: Path) -> tuple[Path, ...]:
    """The sheets in ``folder`` (none where it does not exist), in the order they are applied."""
    if not folder.is_dir():
        return ()
    # every file: one slidegen cannot read is refused by name (read_table), never skipped unsaid;
    # Excel's lock files (~$…) and hidden files are not sheets
    return tuple(sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("~$", "."))))


def load_resubmissions(files: tuple[Path, ...], header: tuple[str, ...]) -> tuple[Resubmission, ...]:
    """Every row of the sheets ``files``, each checked to have the response table's ``header``
    (in any order) and one row per body."""
    problems: list[Problem] = []
    rows: list[Resubmission] = []
    for path in files:
        raw = read_table(path, key=CODE)
        missing = [c for c in header if c not in raw.header]
        extra = [c for c in raw.header if c not in header]
        if missing or extra:
            said = "; ".join(
                part
                for part in (
                    f"missing column(s) {', '.join(missing)}" if missing else "",
                    f"column(s) the response table lacks: {', '.join(extra)}" if extra else "",
                )
                if part
            )
            problems.append(
                Problem(str(path), f"{said}; a resubmitted sheet has the response table's columns (in any order)", 1)
            )
            continue
        at = [raw.header.index(c) for c in header]
        seen: dict[str, int] = {}
        for line, cells in raw.rows:
            code = normalize_code(cells[raw.header.index(CODE)])
            if not code:
                problems.append(Problem(str(path), "a 団体コード is required on every row", line, None, CODE, ""))
                continue
            if code in seen:
                problems.append(
                    Problem(
                        str(path),
                        f"this body already has a row at line {seen[code]} of this sheet; keep one row per body",
                        line,
                        code,
                        CODE,
                        code,
                    )
                )
                continue
            seen[code] = line
            rows.append(Resubmission(path, line, code, tuple(cells[i] for i in at)))
    if problems:
        raise ResponseError(problems)
    return tuple(rows)


def apply_resubmissions(raw: RawTable, resubmissions: tuple[Resubmission, ...], files: tuple[Path, ...]) -> Resubmitted:
    """The table with each resubmitted row in place of the body's row, or added after the others."""
    if not resubmissions:
        return Resubmitted(raw, {}, (), files)
    code_at = raw.header.index(CODE)
    order: list[str] = []
    rows: dict[str, tuple[int, tuple[str, ...], Path]] = {}
    for i, (line, cells) in enumerate(raw.rows):
        code = normalize_code(cells[code_at])
        order.append(code)
        rows[code] = (line, cells, raw.source(i))
    submitted = {code: cells for code, (_, cells, _) in rows.items()}
    added: dict[str, None] = {}
    replaced: dict[str, dict[str, tuple[str, str]]] = {}
    for r in resubmissions:  # in the sheets' order: a body in two sheets takes the later one
        if r.code in submitted:
            replaced[r.code] = {
                column: (old.strip(), new.strip())
                for column, old, new in zip(raw.header, submitted[r.code], r.cells)
                if old.strip() != new.strip()
            }
        elif r.code not in added:
            order.append(r.code)
            added[r.code] = None
        rows[r.code] = (r.line, r.cells, r.path)
    table = RawTable(
        raw.path,
        raw.header,
        tuple((rows[c][0], rows[c][1]) for c in order),
        raw.encoding,
        tuple(rows[c][2] for c in order),
    )
    return Resubmitted(table, replaced, tuple(added), files)
