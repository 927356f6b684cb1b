"""The response table: one row per responding body, checked against the codebook.

:func:`load_responses` reads a CSV or ``.xlsx`` file (see :mod:`slidegen.inputs.reading`), checks
every cell against the codebook and the master list, and returns :class:`Responses`: a
pandas frame indexed by 団体コード with the body's kind and one column per answer column.
Every mistake found is reported at once, each with its file, line, 団体コード, column, value
and what was expected (:class:`~slidegen.errors.ResponseError`).
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, ResponseError
from .codebook import Codebook, Question
from .corrections import Corrected, apply_corrections, load_corrections
from .master import CODE, Body, normalize_code
from .reading import RawTable, read_table
from .resubmissions import apply_resubmissions, load_resubmissions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

NAME = "団体名"
KIND = "区分"


@dataclass(frozen=True)
class Revisions:
    """What was done to the submitted table, body by body: the resubmitted sheets applied (and for
    each body they replaced, the cells that changed: column → (old, new)), the late answers they
    added, the bodies with a cell corrected by the log, and the bodies whose answer it withdrew."""

    sheets: tuple[str, ...] = ()
    replaced: dict[str, dict[str, tuple[str, str]]] = dataclasses.field(default_factory=dict)
    added: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "sheets": list(self.sheets),
            "replaced": {code: {c: list(v) for c, v in cells.items()} for code, cells in self.replaced.items()},
            "added": list(self.added),
            "corrected": list(self.corrected),
            "withdrawn": list(self.withdrawn),
        }


@dataclass(frozen=True)
class Responses:
    """A checked response table.

    ``frame`` (read it as :attr:`table`) is indexed by 団体コード and has the column ``区分`` (the
    body's kind from the master list) and every answer column of the codebook: single-answer
    columns hold the option code or ``<NA>`` for a blank; multiple-answer columns hold 0 or 1, a
    blank within the question's base counting as 0. Once the answers are counted, a process that
    did not read the table is given the responses without it (:meth:`counted`, ``frame`` None):
    only counting needs it.
    """

    path: Path
    encoding: str
    frame: pd.DataFrame | None
    corrections: int = 0  # how many corrections of the log were applied
    revisions: Revisions = dataclasses.field(default_factory=Revisions)

    @property
    def table(self) -> pd.DataFrame:
        """The answers, one row per body (see the class)."""
        if self.frame is None:
            raise RuntimeError("these responses were counted in another process, which kept the table")
        return self.frame

    def counted(self) -> Responses:
        """The same responses without the table itself: what a build needs once its aggregates
        are made, sent from the process that read the table to one that never imports pandas."""
        return dataclasses.replace(self, frame=None)

    def in_base(self, codebook: Codebook, base_id: str) -> pd.Series:
        """A boolean mask of the bodies that belong to the base ``base_id``."""
        import pandas as pd

        base = codebook.bases[base_id]
        if base.question is None:
            return pd.Series(True, index=self.table.index)
        return self.table[base.question].isin(base.codes).fillna(False).astype(bool)


def ready() -> None:
    """What reading a response table needs, imported now (pandas): a process that will read one
    calls it while it waits for the table's name."""
    import pandas  # noqa: F401


def load_responses(
    path: Path,
    codebook: Codebook,
    master: dict[str, Body],
    corrections: Path | None = None,
    resubmissions: tuple[Path, ...] = (),
    raw: RawTable | None = None,
) -> Responses:
    """Read the response table at ``path`` (``raw``: it as read already), put in the resubmitted and
    late sheets (if any), apply the corrections log (if any) and check the result; raise
    ResponseError listing every problem."""
    raw = raw if raw is not None else read_table(path, key=CODE)
    sheets = apply_resubmissions(raw, load_resubmissions(resubmissions, raw.header), resubmissions)
    log = load_corrections(corrections) if corrections is not None else ()
    fixed = (
        apply_corrections(sheets.table, log, codebook, corrections)
        if corrections is not None
        else Corrected(sheets.table, {})
    )
    responses = check_responses(fixed.table, codebook, master, fixed.applied, corrections)
    revisions = Revisions(
        tuple(p.name for p in resubmissions), sheets.replaced, sheets.added, fixed.corrected, fixed.withdrawn
    )
    return dataclasses.replace(responses, corrections=len(log), revisions=revisions)


def _clean(cell: str) -> str:
    """A cell as compared: trimmed, and full-width digits (１) folded to ASCII (NFKC)."""
    cell = cell.strip()
    return cell if cell.isascii() else unicodedata.normalize("NFKC", cell)


def check_responses(
    raw: RawTable, codebook: Codebook, master: dict[str, Body], applied: dict | None = None, log: Path | None = None
) -> Responses:
    """Check a table already read (see :func:`load_responses`). ``applied`` says which line of the
    corrections ``log`` set which cell: a problem in such a cell is reported against that line."""
    import numpy as np
    import pandas as pd

    file = str(raw.path)
    _check_header(raw, codebook)
    if not raw.rows:
        raise ResponseError(
            [Problem(file, "the table has its header but no rows; expected one row of answers per responding body", 1)]
        )
    lines = [n for n, _ in raw.rows]
    position = {c: i for i, c in enumerate(raw.header)}
    read: list[list[str]] = [list(row) for _, row in raw.rows]
    # a table holds few distinct cells ("", "1", "2" …): each is cleaned once, and only the rows
    # holding one that cleaning changes are rewritten
    cleaned = {c: _clean(c) for c in set(itertools.chain.from_iterable(read))}
    changed = {c: clean for c, clean in cleaned.items() if clean != c}
    if changed:
        read = [[changed.get(c, c) for c in row] if not changed.keys().isdisjoint(row) else row for row in read]
    cells = np.array(read, dtype=object).reshape(len(lines), len(raw.header))
    problems: list[Problem] = []

    codes = [normalize_code(c) for c in cells[:, position[CODE]]]
    names = cells[:, position[NAME]] if NAME in position else [""] * len(lines)
    first_line: dict[str, int] = {}
    files = [str(raw.source(i)) for i in range(len(lines))]
    for line, code, name, file in zip(lines, codes, names, files):
        if not code:
            problems.append(Problem(file, "a 団体コード is required on every row", line, None, CODE, code))
        elif code not in master:
            problems.append(
                Problem(
                    file,
                    "this 団体コード is not in the master list (data/municipalities.csv); expected a six-digit 全国地方公共団体コード such as 011002",
                    line,
                    code,
                    CODE,
                    code,
                )
            )
        elif code in first_line:
            problems.append(
                Problem(
                    file,
                    f"duplicate 団体コード: this body already has a row at line {first_line[code]}; keep one row per body",
                    line,
                    code,
                    CODE,
                    code,
                )
            )
        else:
            first_line[code] = line
            if name and name != master[code].name:
                problems.append(
                    Problem(
                        file,
                        f"the name does not match 団体コード {code}, which is {master[code].name} in the master list; is the row shifted?",
                        line,
                        code,
                        NAME,
                        name,
                    )
                )

    rows = _Rows(files, lines, codes, problems, applied or {}, str(log) if log else "")
    blocks = {q.id: cells[:, [position[c] for c in q.columns]] for q in codebook.questions.values()}
    answers: dict[str, np.ndarray] = {}
    for question in codebook.questions.values():
        answers.update(_check_question(blocks[question.id], question, rows))
    for question in codebook.questions.values():
        _check_base(blocks, answers, codebook, question, rows)
    if problems:
        raise ResponseError(problems)

    frame = pd.DataFrame(answers, index=pd.Index(codes, name=CODE))
    frame.insert(0, KIND, [master[c].kind for c in codes])
    return Responses(raw.path, raw.encoding, frame)


@dataclass
class _Rows:
    """Where each row of the table came from, for the problems found in it."""

    files: list[str]  # each row's file: the response table, or the resubmitted sheet it came from
    lines: list[int]
    codes: list[str]
    problems: list[Problem]
    applied: dict  # (団体コード, column) → the correction that set that cell
    log: str  # the corrections log's path

    def report(self, i: int, column: str, value: str, expected: str, cause: str | None = None) -> None:
        """A problem in row ``i``'s ``column``; blamed on a correction where one set that cell, or
        the ``cause`` column the rule depends on (a base question)."""
        line, code = self.lines[i], self.codes[i]
        fix = self.applied.get((code, column)) or (self.applied.get((code, cause)) if cause else None)
        if fix is None:
            self.problems.append(Problem(self.files[i], expected, line, code or None, column, value))
            return
        self.problems.append(
            Problem(
                self.log,
                f"this correction sets {fix.column} to {fix.new or 'blank'!r}, and then the body's answers (line {line} of "
                f"{Path(self.files[i]).name}) break a rule: {column} = {value or 'blank'!r}: {expected}",
                fix.line,
                fix.code,
                "新値",
                fix.new or "blank",
            )
        )


def _check_header(raw: RawTable, codebook: Codebook) -> None:
    file = str(raw.path)
    problems = []
    expected = set(codebook.columns) | {CODE, NAME}
    seen = set()
    for column in raw.header:
        if column in seen:
            problems.append(Problem(file, "this column name appears twice in the header; keep one", 1, None, column))
        seen.add(column)
        if column not in expected:
            close = difflib.get_close_matches(column, sorted(expected), n=1)
            hint = (
                f"; did you mean {close[0]}?"
                if close
                else "; expected only 団体コード, 団体名 and the codebook's columns"
            )
            problems.append(
                Problem(
                    file,
                    f"unknown column: the codebook {codebook.path.name} has no such question column{hint}",
                    1,
                    None,
                    column,
                )
            )
    if CODE not in seen:
        problems.append(
            Problem(
                file,
                f"the column {CODE} is missing from the header (line 1); every row needs its body's 団体コード. Is this a response table?",
                1,
                None,
                CODE,
            )
        )
    missing = [c for c in codebook.columns if c not in seen]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        problems.append(
            Problem(
                file,
                f"missing column(s) {shown}: the codebook {codebook.path.name} asks for them; add them, blank where no body answered",
                1,
            )
        )
    if problems:
        raise ResponseError(problems)


def _expected_codes(question: Question) -> str:
    listed = ", ".join(f"{o.code} ({o.label})" for o in question.options)
    blank = " or blank (無回答)" if question.no_answer else "; this question must be answered"
    return f"expected one of {listed}{blank}"


def _check_question(block: np.ndarray, question: Question, rows: _Rows) -> dict[str, np.ndarray]:
    """Check one question's cells; its answers as numbers (single: code or <NA>; multi: 0/1)."""
    import numpy as np
    import pandas as pd

    answers = {}
    if question.answer == "single":
        numbers = {str(o.code): o.code for o in question.options}
        column = block[:, 0]
        for i in np.flatnonzero([c not in numbers and c != "" for c in column]):
            rows.report(int(i), question.id, column[i], _expected_codes(question))
        answers[question.id] = pd.array([numbers.get(c) for c in column], dtype="Int64")
        return answers
    chosen = block == "1"
    invalid = ~(chosen | (block == "0") | (block == ""))
    expected = f"expected 1 (chosen), 0 or blank (not chosen): {question.id} is a multiple-answer question"
    for i, j in zip(*np.nonzero(invalid)):
        rows.report(int(i), question.columns[j], block[i, j], expected)
    for j, name in enumerate(question.columns):
        answers[name] = chosen[:, j].astype("int8")
    return answers


def _check_base(
    blocks: dict[str, np.ndarray], answers: dict, codebook: Codebook, question: Question, rows: _Rows
) -> None:
    """Bodies outside the question's base must leave it blank; required questions must be answered inside it.

    A row whose base answer is itself invalid was reported already and is not judged here.
    """
    import numpy as np
    import pandas as pd

    block = blocks[question.id]
    base = codebook.bases[question.base]
    answered = (block != "").any(axis=1)
    if base.question is None:
        inside = np.ones(len(block), dtype=bool)
    else:
        given = answers[base.question]
        inside = np.asarray(given.isin(base.codes).fillna(False), dtype=bool)
        invalid = np.asarray(given.isna(), dtype=bool) & (blocks[base.question][:, 0] != "")
        condition = " or ".join(f"{base.question} = {c}" for c in base.codes)
        for i in np.flatnonzero(answered & ~inside & ~invalid):
            j = int(np.flatnonzero(block[i] != "")[0])
            value = "blank" if given[i] is pd.NA else str(given[i])
            rows.report(
                int(i),
                question.columns[j],
                block[i, j],
                f"{question.id} is asked only of {base.label} ({condition}), and this body answered "
                f"{base.question} = {value}; leave {question.id} blank or correct {base.question}",
                cause=base.question,
            )
    if question.answer == "single" and not question.no_answer:
        for i in np.flatnonzero(inside & ~answered):
            rows.report(int(i), question.id, "", _expected_codes(question), cause=base.question)
