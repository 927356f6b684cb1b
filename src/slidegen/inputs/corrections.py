"""Corrections: a log of changes to submitted answers, applied over the response table.

``data/<year>/corrections.csv`` (or ``.xlsx``) has one row per correction: 団体コード, the column
(``Q1``, ``Q5_03``…), the old value, the new value, the reason and the date. A line whose column
is ``*`` (and whose new value is empty) withdraws the body's whole answer: its row is removed.
The submitted responses stay as received; a build applies the log on top of them (after any
resubmitted sheets, :mod:`slidegen.inputs.resubmissions`), in order, before checking the table, so
a corrected table is checked like any other. A correction whose old value does not match the data
(stale), or that names an unknown body or column, is an error naming its line in the log; a table
that already holds every correction of the log (a corrected table given with ``--data``) is refused
as a whole, so no correction is ever applied twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, ResponseError
from .codebook import Codebook
from .master import CODE, normalize_code
from .reading import RawTable, read_table

COLUMNS = ("団体コード", "設問", "旧値", "新値", "理由", "日付")
#: the 設問 of a line that withdraws a body's whole answer
WITHDRAW = "*"


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

    @property
    def withdraws(self) -> bool:
        return self.column == WITHDRAW


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


#: which correction set a cell last: (団体コード, column) → its line of the log
Applied = dict[tuple[str, str], Correction]


@dataclass(frozen=True)
class Corrected:
    """The table with the log applied, and what the log did: which correction set each cell it
    changed (so a problem a correction causes is reported against the log's line), the bodies
    with a corrected cell and the bodies withdrawn, in the log's order."""

    table: RawTable
    applied: Applied
    corrected: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()


def apply_corrections(raw: RawTable, corrections: tuple[Correction, ...], codebook: Codebook, log: Path) -> Corrected:
    """The table with every correction applied in order; all mismatches reported at once."""
    if not corrections:
        return Corrected(raw, {})
    file = str(log)
    header = list(raw.header)
    column_at = {c: i for i, c in enumerate(header)}
    code_at = column_at.get(CODE)
    rows = (
        {normalize_code(cells[code_at]): (n, list(cells), raw.source(i)) for i, (n, cells) in enumerate(raw.rows)}
        if code_at is not None
        else {}
    )
    _refuse_a_table_already_corrected(raw, rows, column_at, corrections, log)
    known = set(codebook.columns)
    problems = []
    applied: Applied = {}
    withdrawn: dict[str, Correction] = {}
    corrected: dict[str, None] = {}
    for c in corrections:
        if not c.reason:
            problems.append(Problem(file, "every correction needs a reason (理由)", c.line, c.code, "理由", ""))
        if c.code in withdrawn:
            problems.append(
                Problem(
                    file,
                    f"this body's answer was withdrawn at line {withdrawn[c.code].line} of the log; a later line cannot change it",
                    c.line,
                    c.code,
                    "団体コード",
                    c.code,
                )
            )
            continue
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
        if c.withdraws:
            if c.new:
                problems.append(
                    Problem(
                        file,
                        f"a withdrawal (設問 {WITHDRAW}) removes the body's whole answer and takes no new value; leave 新値 empty",
                        c.line,
                        c.code,
                        "新値",
                        c.new,
                    )
                )
                continue
            withdrawn[c.code] = c
            del rows[c.code]
            continue
        if c.column not in known or c.column not in column_at:
            problems.append(
                Problem(
                    file,
                    f"no question column {c.column!r} in the codebook; use a column name such as Q1 or Q5_03, "
                    f"or {WITHDRAW} to withdraw the body's answer",
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
            said = (
                ", the correction's new value: was it applied already, or is it stale?"
                if current == c.new
                else "; is the correction stale, or applied twice?"
            )
            problems.append(
                Problem(
                    file,
                    f"the old value does not match the data, where {c.column} of this body is {current or 'blank'!r}{said}",
                    c.line,
                    c.code,
                    "旧値",
                    c.old or "blank",
                )
            )
            continue
        cells[column_at[c.column]] = c.new
        applied[(c.code, c.column)] = c
        corrected[c.code] = None
    if problems:
        raise ResponseError(problems)
    assert code_at is not None  # every correction found its body, so the table has the column
    order = [k for k in (normalize_code(cells[code_at]) for _, cells in raw.rows) if k in rows]
    table = RawTable(
        raw.path,
        raw.header,
        tuple((rows[k][0], tuple(rows[k][1])) for k in order),
        raw.encoding,
        tuple(rows[k][2] for k in order) if raw.sources else (),
    )
    return Corrected(table, applied, tuple(corrected), tuple(withdrawn))


def _refuse_a_table_already_corrected(
    raw: RawTable, rows: dict, column_at: dict[str, int], corrections: tuple[Correction, ...], log: Path
) -> None:
    """A table that already holds every change of the log — each cell at its new value, each
    withdrawn body gone — was corrected before: applying the log again would fail line by line at
    best; say so once, and how to build it."""
    changes = [c for c in corrections if c.withdraws or c.old != c.new]
    if len(changes) < 2:  # one line already there is said by that line's own problem
        return
    for c in changes:
        if c.withdraws:
            if c.code in rows:
                return
        elif c.code not in rows or c.column not in column_at or rows[c.code][1][column_at[c.column]].strip() != c.new:
            return
    raise ResponseError(
        [
            Problem(
                str(raw.path),
                f"this table already holds every correction of {log} (each line's 新値 is there, each withdrawn body is gone): "
                "it was corrected already, and slidegen never applies a correction twice. Build it as it is with "
                "--corrections none, or give the submitted table instead",
            )
        ]
    )
