"""The response table: one row per responding body, checked against the codebook.

:func:`load_responses` reads a CSV or ``.xlsx`` file (see :mod:`slidegen.reading`), checks
every cell against the codebook and the master list, and returns :class:`Responses`: a
pandas frame indexed by 団体コード with the body's kind and one column per answer column.
Every mistake found is reported at once, each with its file, line, 団体コード, column, value
and what was expected (:class:`~slidegen.errors.ResponseError`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook, Question
from .errors import Problem, ResponseError
from .master import Body, normalize_code
from .reading import RawTable, read_table

CODE = "団体コード"
NAME = "団体名"
KIND = "区分"


@dataclass(frozen=True)
class Responses:
    """A checked response table.

    ``frame`` is indexed by 団体コード and has the column ``区分`` (the body's kind from the
    master list) and every answer column of the codebook: single-answer columns hold the
    option code or ``<NA>`` for a blank; multiple-answer columns hold 0 or 1, a blank within
    the question's base counting as 0.
    """

    path: Path
    encoding: str
    frame: pd.DataFrame

    def in_base(self, codebook: Codebook, base_id: str) -> pd.Series:
        """A boolean mask of the bodies that belong to the base ``base_id``."""
        base = codebook.bases[base_id]
        if base.question is None:
            return pd.Series(True, index=self.frame.index)
        return self.frame[base.question].isin(base.codes).fillna(False).astype(bool)


def load_responses(path: Path, codebook: Codebook, master: dict[str, Body]) -> Responses:
    """Read the response table at ``path`` and check it; raise ResponseError listing every problem."""
    raw = read_table(path)
    return check_responses(raw, codebook, master)


def check_responses(raw: RawTable, codebook: Codebook, master: dict[str, Body]) -> Responses:
    """Check a table already read (see :func:`load_responses`)."""
    file = str(raw.path)
    _check_header(raw, codebook)
    lines = [n for n, _ in raw.rows]
    table = pd.DataFrame([cells for _, cells in raw.rows], columns=list(raw.header), dtype=str)
    table = table.apply(lambda col: col.str.strip().str.normalize("NFKC"))
    table["_line"] = lines
    problems: list[Problem] = []

    codes = table[CODE].map(normalize_code)
    table[CODE] = codes
    first_line: dict[str, int] = {}
    for line, code, name in zip(lines, codes, table[NAME] if NAME in table else [None] * len(lines)):
        if not code:
            problems.append(Problem(file, "a 団体コード is required on every row", line, None, CODE, code))
        elif code not in master:
            problems.append(Problem(file, "this 団体コード is not in the master list (data/municipalities.csv); expected a six-digit 全国地方公共団体コード such as 011002", line, code, CODE, code))
        elif code in first_line:
            problems.append(Problem(file, f"duplicate 団体コード: this body already has a row at line {first_line[code]}; keep one row per body", line, code, CODE, code))
        else:
            first_line[code] = line
            if name and name != master[code].name:
                problems.append(Problem(file, f"the name does not match 団体コード {code}, which is {master[code].name} in the master list; is the row shifted?", line, code, NAME, name))

    answers = {}
    for question in codebook.questions.values():
        answers.update(_check_question(table, question, file, problems))
    frame = pd.DataFrame(answers)
    frame.index = pd.Index(codes, name=CODE)

    for question in codebook.questions.values():
        _check_base(table, frame, codebook, question, file, problems)
    if problems:
        raise ResponseError(problems)

    frame.insert(0, KIND, [master[c].kind for c in codes])
    for question in codebook.questions.values():
        if question.answer == "multi":
            for column in question.columns:
                frame[column] = frame[column].fillna(0).astype("int8")
    return Responses(raw.path, raw.encoding, frame)


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
            hint = f"; did you mean {close[0]}?" if close else "; expected only 団体コード, 団体名 and the codebook's columns"
            problems.append(Problem(file, f"unknown column: the codebook {codebook.path.name} has no such question column{hint}", 1, None, column))
    if CODE not in seen:
        problems.append(Problem(file, f"the column {CODE} is missing from the header (line 1); every row needs its body's 団体コード. Is this a response table?", 1, None, CODE))
    missing = [c for c in codebook.columns if c not in seen]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        problems.append(Problem(file, f"missing column(s) {shown}: the codebook {codebook.path.name} asks for them; add them, blank where no body answered", 1))
    if problems:
        raise ResponseError(problems)


def _expected_codes(question: Question) -> str:
    listed = ", ".join(f"{o.code} ({o.label})" for o in question.options)
    blank = " or blank (無回答)" if question.no_answer else "; this question must be answered"
    return f"expected one of {listed}{blank}"


def _check_question(table: pd.DataFrame, question: Question, file: str, problems: list[Problem]) -> dict[str, pd.Series]:
    answers = {}
    for column in question.columns:
        cells = table[column]
        if question.answer == "single":
            allowed = {str(o.code) for o in question.options} | {""}
            valid = cells.isin(allowed)
            expected = _expected_codes(question)  # a required blank is judged in _check_base
            numbers = pd.to_numeric(cells.where(valid & (cells != "")), errors="coerce").astype("Int64")
        else:
            valid = cells.isin({"0", "1", ""})
            expected = f"expected 1 (chosen), 0 or blank (not chosen): {question.id} is a multiple-answer question"
            numbers = pd.to_numeric(cells.where(valid & (cells != "")), errors="coerce").astype("Int8")
        for i in valid.index[~valid]:
            problems.append(Problem(file, expected, int(table.at[i, "_line"]), table.at[i, CODE] or None, column, cells[i]))
        answers[column] = numbers.reset_index(drop=True)
    return answers


def _check_base(table: pd.DataFrame, frame: pd.DataFrame, codebook: Codebook, question: Question, file: str, problems: list[Problem]) -> None:
    base = codebook.bases[question.base]
    answered = table[list(question.columns)].ne("").any(axis=1).to_numpy()
    if base.question is None:
        inside = np.ones(len(table), dtype=bool)
    else:
        inside = frame[base.question].isin(base.codes).fillna(False).to_numpy(dtype=bool)
        condition = " or ".join(f"{base.question} = {c}" for c in base.codes)
        for i in (answered & ~inside).nonzero()[0]:
            column = next(c for c in question.columns if table.at[i, c] != "")
            given = table.at[i, base.question] or "blank"
            problems.append(Problem(
                file,
                f"{question.id} is asked only of {base.label} ({condition}), and this body answered {base.question} = {given}; "
                f"leave {question.id} blank or correct {base.question}",
                int(table.at[i, "_line"]), table.at[i, CODE] or None, column, table.at[i, column],
            ))
    if question.answer == "single" and not question.no_answer:
        for i in (inside & ~answered).nonzero()[0]:
            problems.append(Problem(file, _expected_codes(question), int(table.at[i, "_line"]), table.at[i, CODE] or None, question.id, ""))
