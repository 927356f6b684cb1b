"""Corrections: a log of changes to submitted answers, applied over the response table.

``data/<year>/corrections.csv`` (or ``.xlsx``) has one row per correction: 団体コード, the column
(``Q1``, ``Q5_03``…), the old value, the new value, the reason and the date. The submitted responses
stay as received; a build applies the log on top of them, in order, before checking the table,
so a corrected table is checked like any other. A correction whose old value does not match the
data (stale, or applied twice), or that names an unknown body or column, is an error naming its
line in the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ResponseError
from .codebook import Codebook
from .master import CODE, normalize_code
from .reading import RawTable, read_table

COLUMNS = ("団体コード", "設問", "旧値", "新値", "理由", "日付")


@dataclass(frozen=True)
class Correction:
    """One line of the corrections log."""

    line: int
    code: str
    column: str
    old: str
    new: str
    reason: str
    date: str


def load_corrections(path: Path) -> tuple[Correction, ...]:
    """The corrections at ``path``, or none if the file does not exist."""
    if not path.exists():
        return ()
    raw = read_table(path, key=COLUMNS[0])
    missing = [c for c in COLUMNS if c not in raw.header]
    if missing:
        raise ResponseError(
            [
                Problem(
                    str(path),
                    f"missing column(s) {', '.join(missing)}; a corrections log has the columns {', '.join(COLUMNS)}",
                    1,
                )
            ]
        )
    at = {c: raw.header.index(c) for c in COLUMNS}
    return tuple(
        Correction(
            line,
            normalize_code(cells[at["団体コード"]]),
            cells[at["設問"]].strip(),
            cells[at["旧値"]].strip(),
            cells[at["新値"]].strip(),
            cells[at["理由"]].strip(),
            cells[at["日付"]].strip(),
        )
        for line, cells in raw.rows
    )


#: which correction set a cell last: (the row's line in the response table, the column) → its line of the log
Applied = dict[tuple[int, str], Correction]


def apply_corrections(
    raw: RawTable, corrections: tuple[Correction, ...], codebook: Codebook, log: Path
) -> tuple[RawTable, Applied]:
    """The table with every correction applied in order, and which correction set each cell it
    changed (so a problem a correction causes is reported against the log's line); all
    mismatches reported at once."""
    if not corrections:
        return raw, {}
    file = str(log)
    header = list(raw.header)
    column_at = {c: i for i, c in enumerate(header)}
    code_at = column_at.get(CODE)
    rows = {normalize_code(cells[code_at]): (n, list(cells)) for n, cells in raw.rows} if code_at is not None else {}
    known = set(codebook.columns)
    problems = []
    applied: Applied = {}
    for c in corrections:
        if not c.reason:
            problems.append(Problem(file, "every correction needs a reason (理由)", c.line, c.code, "理由", ""))
        if c.code not in rows:
            problems.append(
                Problem(
                    file,
                    f"no body with this 団体コード answered in {raw.path.name}; check the code",
                    c.line,
                    c.code,
                    "団体コード",
                    c.code,
                )
            )
            continue
        if c.column not in known or c.column not in column_at:
            problems.append(
                Problem(
                    file,
                    f"no question column {c.column!r} in the codebook; use a column name such as Q1 or Q5_03",
                    c.line,
                    c.code,
                    "設問",
                    c.column,
                )
            )
            continue
        cells = rows[c.code][1]
        current = cells[column_at[c.column]].strip()
        if current != c.old:
            problems.append(
                Problem(
                    file,
                    f"the old value does not match the data, where {c.column} of this body is {current or 'blank'!r}; "
                    "is the correction stale, or applied twice?",
                    c.line,
                    c.code,
                    "旧値",
                    c.old or "blank",
                )
            )
            continue
        cells[column_at[c.column]] = c.new
        applied[(rows[c.code][0], c.column)] = c
    if problems:
        raise ResponseError(problems)
    assert code_at is not None  # every correction found its body, so the table has the column
    order = [normalize_code(cells[code_at]) for _, cells in raw.rows]
    return RawTable(raw.path, raw.header, tuple((rows[k][0], tuple(rows[k][1])) for k in order), raw.encoding), applied
