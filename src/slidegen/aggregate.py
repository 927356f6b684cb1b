"""Aggregation: from checked responses to the tables every later stage draws from.

:func:`aggregate` turns :class:`~slidegen.inputs.responses.Responses` into :class:`Tables`: the survey
overview (responses and response rates, overall and per kind) and, for each figure of the
codebook, its base n and each option's count and percent. Percentages are rounded half up at
one decimal, as published tables are (69.45 → 69.5, never banker's 69.4), with exact integer
arithmetic. ``Tables.to_dict()`` is the machine-readable form printed by ``slidegen tables
--json``: a stable public contract.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import EmptyBaseError
from .inputs.codebook import NO_ANSWER, Codebook, FigureSpec, Question, option_column
from .inputs.master import BODY_KINDS, Body
from .inputs.responses import KIND, Responses
from .inputs.segments import SmallCells

if TYPE_CHECKING:
    import numpy as np

#: the unit of a figure's values
PERCENT, POINTS, TIMES = "percent", "points", "times"
#: each unit as a table's heading names it
UNIT_LABELS = {PERCENT: "回答比率：％", POINTS: "回答比率：％P", TIMES: "回答倍率：倍"}
#: how a question is answered (codebook ``answer``), and how a caption names it
SINGLE, MULTI = "single", "multi"
ANSWER_LABELS = {SINGLE: "択一回答", MULTI: "複数回答"}
#: the mark after an option a sample deck invented (codebook ``illustrative``), and the notes a
#: figure prints where they apply: invented options, ratios computed from counts, shares whose
#: rounding does not add up to 100
ILLUSTRATIVE_MARK = "†"
NOTES = {
    "illustrative": "†は例示の選択肢（サンプルデータのために補ったもので、公表資料にはない）",
    "ratio": "※倍率は回答数から算出（表示の比率どうしの比とは端数処理により異なることがある）",
    "rounding": "※比率は小数第2位を四捨五入しているため、合計が100％にならないことがある",
    # the 集計表 says how a difference is computed too (the deck's chart shows it adds up)
    "difference": "※差（ポイント）は、表示の比率（小数第1位）どうしの差として算出",
}


def half_up(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` rounded half up to one decimal, exactly (no float error)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    sign = -1 if numerator < 0 else 1
    tenths = (20 * abs(numerator) + denominator) // (2 * denominator)
    return sign * tenths / 10


def percent(count: int, n: int) -> float:
    """``count`` of ``n`` as a percentage rounded half up at one decimal (0.0 when n is 0)."""
    return half_up(100 * count, n) if n else 0.0


@dataclass(frozen=True)
class Row:
    """One bar or slice: an option (``code``), or 無回答 (``code`` None).

    ``count`` is the number of bodies (None for a derived gap), ``value`` the percent, points
    or times as the figure's unit says.
    """

    label: str
    count: int | None
    value: float
    code: int | None = None
    other: bool = False
    nonanswer: bool = False  # 特にない: no answer in substance
    illustrative: bool = False  # an option a sample deck invented: marked † there

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "count": self.count, "value": self.value}


@dataclass(frozen=True)
class Series:
    """The rows of one question (or one gap) in a figure."""

    name: str
    rows: tuple[Row, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "rows": [r.to_dict() for r in self.rows]}

    def row(self, label: str) -> Row:
        for r in self.rows:
            if r.label == label:
                return r
        raise KeyError(label)


@dataclass(frozen=True)
class FigureTable:
    """What one figure shows: its base ``n`` and one or two series of rows."""

    number: int
    title: str
    answer: str
    n: int
    unit: str
    series: tuple[Series, ...]
    base: str
    subtitle: str | None = None
    #: a segment's figure (:meth:`Protected.shown_table`): the options it withholds, by label, and
    #: whether its base is small enough to be a 参考値 (a national figure withholds nothing)
    withheld: tuple[str, ...] = ()
    reference: bool = False
    #: the most bodies any one withheld option may have been chosen by, as far as the table shows:
    #: a ranking of the options shown holds down to the first option chosen by more
    withheld_most: int = 0
    #: what a segment's figure says of what it withholds and of a 参考値 (:func:`table_notes`)
    notes: tuple[str, ...] = ()
    #: where the figure shows a value other than the published deck's, and why
    #: (:func:`slidegen.compare.verify.departures`): said under the figure, in its alt text and its 集計表
    departures: tuple[str, ...] = ()

    def shows(self, codes: Collection[int]) -> bool:
        """Whether every one of the option ``codes`` is among the rows shown (a segment's figure
        leaves out what it withholds: a bracket or a centre over a missing option is not drawn)."""
        return set(codes) <= {row.code for row in self.series[0].rows}

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "answer": self.answer,
            "n": self.n,
            "unit": self.unit,
            "series": [s.to_dict() for s in self.series],
        }


@dataclass(frozen=True)
class Overview:
    """Who was asked and who answered, overall and per kind of body."""

    target: int
    target_by_kind: dict[str, int]
    responses: int
    responses_by_kind: dict[str, int]

    @property
    def response_rate(self) -> float:
        return percent(self.responses, self.target)

    @property
    def response_rate_by_kind(self) -> dict[str, float]:
        return {k: percent(self.responses_by_kind[k], t) for k, t in self.target_by_kind.items()}

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "target_by_kind": dict(self.target_by_kind),
            "responses": self.responses,
            "response_rate": self.response_rate,
            "responses_by_kind": dict(self.responses_by_kind),
            "response_rate_by_kind": self.response_rate_by_kind,
        }


@dataclass(frozen=True)
class Tables:
    """Every aggregate of one survey year: the overview and one table per figure."""

    year: str
    sample_data: bool
    survey: Overview
    figures: tuple[FigureTable, ...]
    #: a segment's tables (build --by): its axis and value; None for the whole survey
    segment: tuple[str, str] | None = None

    def figure(self, number: int) -> FigureTable:
        for f in self.figures:
            if f.number == number:
                return f
        raise KeyError(number)

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "sample_data": self.sample_data,
            "survey": self.survey.to_dict(),
            "figures": [f.to_dict() for f in self.figures],
        }


def ranked(rows: tuple[Row, ...] | list[Row], sort: bool = True) -> list[Row]:
    """Rows in ranking order, the one rule every chart, sentence and table follows: the options by
    how many bodies chose them, most first (ties in codebook order; a derived gap, which has no
    count, by its value), then the catch-alls (その他), then the non-answers (特にない), then 無回答.
    With ``sort`` false, the options keep codebook order (a 100 % band reads in the
    questionnaire's order)."""
    ranking = substantive(rows)
    if sort:
        ranking = sorted(ranking, key=lambda r: -(r.count if r.count is not None else r.value))
    others = [r for r in rows if r.code is not None and r.other]
    none = [r for r in rows if r.code is not None and r.nonanswer and not r.other]
    blank = [r for r in rows if r.code is None]
    return ranking + others + none + blank


def shown_label(row: Row, sample: bool) -> str:
    """An option's label as a deck or table prints it: with † where a sample deck invented it."""
    return row.label + ILLUSTRATIVE_MARK if sample and row.illustrative else row.label


def table_grid(figure: FigureTable, sample: bool, share: str = "％") -> tuple[list[str], list[list[str | int | float]]]:
    """A figure's table as its header and rows, what the text tables and the 集計表 print: each
    option's label (with † where a sample deck invented it), then for each series its count and
    share (headed ``share``) — or, for a derived figure, its value."""
    header = ["選択肢"]
    for s in figure.series:
        prefix = f"{s.name} " if len(figure.series) > 1 else ""
        header += [f"{prefix}件数", f"{prefix}{share}"] if figure.unit == PERCENT else [s.name]
    rows: list[list[Any]] = []
    for i, first in enumerate(figure.series[0].rows):
        row: list[Any] = [shown_label(first, sample)]
        for s in figure.series:
            r = s.rows[i]
            row += [r.count, r.value] if figure.unit == PERCENT else [r.value]
        rows.append(row)
    return header, rows


def printed_total(table: FigureTable) -> float:
    """A single answer's shares as printed (one decimal each), added up: 100.0, or what rounding
    leaves (the rounding note says why)."""
    return round(sum(round(r.value, 1) for r in table.series[0].rows), 1)


def table_notes(table: FigureTable, sample: bool) -> list[str]:
    """The notes a figure's table needs: its invented options (a sample deck), ratios computed
    from counts, single-answer shares that do not add up to 100 as displayed."""
    notes = []
    if sample and any(r.illustrative for s in table.series for r in s.rows):
        notes.append(NOTES["illustrative"])
    if table.unit == TIMES:
        notes.append(NOTES["ratio"])
    if table.answer == SINGLE and table.unit == PERCENT:
        if abs(printed_total(table) - 100.0) > 0.05:
            notes.append(NOTES["rounding"])
    return notes + list(table.departures) + list(table.notes)


def substantive(rows: tuple[Row, ...] | list[Row]) -> list[Row]:
    """The options that rank: not a catch-all, not a non-answer (特にない), not 無回答."""
    return [r for r in rows if r.code is not None and not r.other and not r.nonanswer]


def share(table: FigureTable, codes: Collection[int]) -> float:
    """The percent of the figure's base that gave any of the option ``codes`` (a bracket: 91.3 %)."""
    return percent(sum(r.count or 0 for r in table.series[0].rows if r.code in codes), table.n)


def point_gains(table: FigureTable) -> list[tuple[Row, float]]:
    """Each option of a paired figure with its gain, second series − first in displayed points
    (catch-alls and 無回答 left out), in codebook order."""
    first, second = table.series
    return [
        (a, round(b.value - a.value, 1)) for a, b in zip(first.rows, second.rows) if a.code is not None and not a.other
    ]


def shown_gains(table: FigureTable, least: float | None) -> list[tuple[Row, float]]:
    """The gains a paired figure prints: those of at least ``least`` points, in codebook order
    (none where the figure prints none)."""
    if least is None:
        return []
    return [(r, g) for r, g in point_gains(table) if g >= least]


def overview(responses: Responses, master: dict[str, Body]) -> Overview:
    """Targets from the master list, responses from the table, per kind in BODY_KINDS order."""
    import pandas as pd

    targets = pd.Series([b.kind for b in master.values()]).value_counts()
    answered = responses.table[KIND].value_counts()
    return Overview(
        target=len(master),
        target_by_kind={k: int(targets.get(k, 0)) for k in BODY_KINDS},
        responses=len(responses.table),
        responses_by_kind={k: int(answered.get(k, 0)) for k in BODY_KINDS},
    )


def question_rows(answers: Mapping[str, np.ndarray], question: Question, n: int) -> tuple[Row, ...]:
    """Each option's count and percent among the ``n`` bodies of the question's base, then 無回答:
    ``answers`` holds each of the question's columns as those bodies answered it (an option's code,
    NaN for a blank; or 0/1 for each option of a multiple answer)."""
    import numpy as np

    if n == 0:  # a segment with no body in the base: nothing to count
        return tuple(
            [Row(o.label, 0, 0.0, o.code, o.other, o.nonanswer, o.illustrative) for o in question.options]
            + ([Row(NO_ANSWER, 0, 0.0)] if question.no_answer else [])
        )
    if question.answer == "single":
        values = answers[question.id]
        chosen = {o.code: int(np.count_nonzero(values == o.code)) for o in question.options}
        blank = int(np.count_nonzero(np.isnan(values)))
    else:
        columns = [answers[option_column(question.id, o.code)] for o in question.options]
        chosen = {o.code: int(c.sum()) for o, c in zip(question.options, columns)}
        blank = int(np.count_nonzero(np.sum(columns, axis=0) == 0))
    rows = [
        Row(o.label, chosen[o.code], percent(chosen[o.code], n), o.code, o.other, o.nonanswer, o.illustrative)
        for o in question.options
    ]
    if question.no_answer:
        rows.append(Row(NO_ANSWER, blank, percent(blank, n)))
    return tuple(rows)


def _gap(spec: FigureSpec, source: FigureTable) -> FigureTable:
    """Top options of a paired figure by second-vs-first difference (points) or ratio (times)."""
    gap = spec.gap
    assert gap is not None
    first, second = source.series
    candidates = []
    for order, (a, b) in enumerate(zip(first.rows, second.rows)):
        if a.code is None or a.other or a.nonanswer:
            continue
        chosen_a, chosen_b = a.count or 0, b.count or 0  # a paired figure's rows are counted
        if gap.measure == "difference":
            value = round(b.value - a.value, 1)
            exact = (chosen_b - chosen_a) / source.n if source.n else 0.0
        else:
            if not chosen_a:
                continue  # chosen by no body in the first series: no ratio
            value = half_up(chosen_b, chosen_a)
            exact = chosen_b / chosen_a
        candidates.append((-value, -exact, order, Row(a.label, None, value, a.code, illustrative=a.illustrative)))
    rows = tuple(c[-1] for c in sorted(candidates, key=lambda c: c[:3])[: gap.top])
    symbol = "−" if gap.measure == "difference" else "/"
    name = f"{second.name}{symbol}{first.name}"
    unit = POINTS if gap.measure == "difference" else TIMES
    return FigureTable(
        spec.number, spec.title, source.answer, source.n, unit, (Series(name, rows),), source.base, spec.subtitle
    )


def _empty_base(spec: FigureSpec, codebook: Codebook, base_id: str) -> str:
    base = codebook.bases[base_id]
    who = (
        base.label
        if base.question is None
        else f"{base.label}: {' or '.join(f'{base.question} = {c}' for c in base.codes)}"
    )
    return f"図{spec.number} ({spec.title}) has no body in its base ({who})"


def aggregate(codebook: Codebook, responses: Responses, master: dict[str, Body], empty_ok: bool = False) -> Tables:
    """All aggregates of a survey year, figures in codebook order. A figure whose base holds no body
    stops it — unless ``empty_ok`` (a segment may have none: its table then has n = 0)."""
    import numpy as np

    frame = responses.table
    # the answer columns and each base's mask taken from the table once, as numpy arrays (an
    # option's code, NaN for a blank; 0/1): counted there, a figure costs a few operations on
    # them, not a copy of its bodies' every answer
    counted = list(
        dict.fromkeys(
            c
            for spec in codebook.figures
            if spec.gap is None
            for s in spec.series
            for c in codebook.questions[s.question].columns
        )
    )
    table = frame[counted].to_numpy(dtype="float64", na_value=np.nan)
    columns = {c: table[:, j] for j, c in enumerate(counted)}
    bases: dict[str, np.ndarray] = {}
    figures: dict[int, FigureTable] = {}
    empty: list[str] = []
    for spec in codebook.figures:
        if spec.gap is not None:
            if spec.gap.figure in figures:
                figures[spec.number] = _gap(spec, figures[spec.gap.figure])
            continue
        questions = [codebook.questions[s.question] for s in spec.series]
        base_id = questions[0].base
        if base_id not in bases:
            bases[base_id] = responses.in_base(codebook, base_id).to_numpy(dtype=bool)
        mask = bases[base_id]
        n = int(np.count_nonzero(mask))
        if n == 0 and not empty_ok:
            empty.append(_empty_base(spec, codebook, base_id))
            continue
        answers = {c: columns[c][mask] for q in questions for c in q.columns}
        series = tuple(Series(s.name, question_rows(answers, q, n)) for s, q in zip(spec.series, questions))
        figures[spec.number] = FigureTable(
            spec.number,
            spec.title,
            questions[0].answer,
            n,
            PERCENT,
            series,
            codebook.bases[base_id].label,
            spec.subtitle,
        )
    if empty:
        raise EmptyBaseError(
            f"{responses.path}: " + "; ".join(empty) + ". With n = 0 a figure has no percentages to show, so slidegen "
            "stops rather than print empty charts; check the answers these bases are drawn from, or the file."
        )
    return Tables(
        codebook.survey.year,
        codebook.survey.sample_data,
        overview(responses, master),
        tuple(figures.values()),
    )


# -- segments: small cells ---------------------------------------------------------------------

#: what a table prints in place of a withheld count or share
WITHHELD = "—"
#: the row a segment's single-answer figure shows for its withheld options together
HIDDEN_ROW = "非表示"


@dataclass(frozen=True)
class Protected:
    """A figure's table as a segment may show it (issue 22): the rows whose share and count are
    withheld — (series, row) — and whether its base is small enough to be marked 参考値."""

    table: FigureTable
    hidden: frozenset[tuple[int, int]]
    reference: bool
    small: SmallCells

    def shown(self, series: int, row: int) -> bool:
        return (series, row) not in self.hidden

    def notes(self) -> list[str]:
        """What a table or a deck says of what it withholds and of a 参考値."""
        return small_cell_notes(self.small, withheld=bool(self.hidden), reference=self.reference)

    def shown_table(self) -> FigureTable:
        """The table a segment's deck draws: no withheld row in it, so no chart, label or sentence
        can print a withheld number. A single answer's withheld rows become one grey row,
        「非表示」, with their share together (100 less the others, which the others give away
        anyway; complementary withholding keeps any one of them from being worked out), so its
        doughnut or band still adds up to 100; a multiple answer's are left out, of every series
        (a pair's row goes from both); a single answer's option no body chose is left out too (a
        part of no width). The labels withheld are the table's ``withheld``; its notes say what
        was left out and why, and what 参考値 means."""
        table = self.table
        if table.n <= self.small.hidden_at_most:  # nothing of it may be shown: no row at all
            labels = tuple(row.label for row in table.series[0].rows)
            empties = tuple(dataclasses.replace(s, rows=()) for s in table.series)
            return dataclasses.replace(
                table, series=empties, withheld=labels, reference=self.reference, withheld_most=table.n
            )
        single = table.answer == "single"
        gone = sorted({r for _, r in self.hidden})
        # a part of a band or a doughnut that no body chose has no width to draw or label: left out
        empty = [r for r, row in enumerate(table.series[0].rows) if single and row.count == 0 and r not in gone]
        notes = []
        if gone:
            notes.append(f"選んだ団体が{self.small.hidden_at_most}以下の選択肢等は団体特定を避けるため非表示")
            if single:
                notes.append(f"「{HIDDEN_ROW}」はその合計")
        if empty:
            notes.append("選んだ団体のない選択肢は省略")
        notes += small_cell_notes(self.small, withheld=False, reference=self.reference)
        series: list[Series] = []
        most = self.small.hidden_at_most if gone else 0
        for s in table.series:
            kept = tuple(row for r, row in enumerate(s.rows) if r not in gone and r not in empty)
            if single and gone:
                count = sum(s.rows[r].count or 0 for r in gone)
                kept += (Row(HIDDEN_ROW, count, percent(count, table.n)),)
                most = max(most, count)
            series.append(dataclasses.replace(s, rows=kept))
        labels = tuple(table.series[0].rows[r].label for r in gone)
        return dataclasses.replace(
            table,
            series=tuple(series),
            withheld=labels,
            reference=self.reference,
            withheld_most=most,
            notes=tuple(notes),
        )

    def to_dict(self) -> dict[str, Any]:
        """The table as ``to_dict`` gives it, a withheld row's count and value null, and the marks."""
        d = self.table.to_dict()
        for s, r in self.hidden:
            d["series"][s]["rows"][r]["count"] = None
            d["series"][s]["rows"][r]["value"] = None
        d["withheld"] = len(self.hidden)
        d["reference"] = self.reference
        return d


def small_cell_notes(small: SmallCells, withheld: bool = True, reference: bool = True) -> list[str]:
    """The notes that say what a segment's table withholds (「—」) and what 参考値 means."""
    said = []
    if withheld:
        said.append(
            f"{WITHHELD}：選んだ団体が{small.hidden_at_most}団体以下の選択肢は、団体が特定されないよう"
            "件数・比率を表示していない（ほかの数値から逆算できる選択肢を含む）"
        )
    if reference:
        said.append(f"参考値：回答数（n）が{small.reference_below}未満")
    return said


def protect(table: FigureTable, small: SmallCells, source: Protected | None = None) -> Protected:
    """What of ``table`` a segment may show (thresholds ``small``, from data/segments.yaml):

    - a row chosen by 1 to ``hidden_at_most`` bodies is withheld — its share would be those named
      bodies' answers — and every row of a base that small;
    - where a single answer's shares add up to 100, the withheld rows' sum comes back as 100 less
      the others: the smallest other rows chosen by some body are withheld with them until there
      are two or more and their sum is more than ``hidden_at_most`` bodies;
    - a gap figure (``source``: the paired figure it is computed from) withholds each row whose
      option is withheld there;
    - a base under ``reference_below`` marks the figure 参考値.
    """
    hidden: set[tuple[int, int]] = set()
    if source is not None:
        gone = {source.table.series[s].rows[r].code for s, r in source.hidden}
        hidden = {(0, r) for r, row in enumerate(table.series[0].rows) if row.code in gone}
        return Protected(table, frozenset(hidden), source.reference, small)
    for s, series in enumerate(table.series):
        rows = series.rows
        if table.n <= small.hidden_at_most:  # (no body at all: nothing to show either)
            hidden |= {(s, r) for r in range(len(rows))}
            continue
        primary = {r for r, row in enumerate(rows) if row.count is not None and 0 < row.count <= small.hidden_at_most}
        if primary and table.answer == "single":
            # 100 less the others gives the withheld rows' sum: it must be a single row's share no
            # more than they are (one withheld row), nor a count so small it names its bodies
            others = sorted(
                (row.count or 0, r) for r, row in enumerate(rows) if r not in primary and (row.count or 0) > 0
            )
            while others and (len(primary) == 1 or sum(rows[r].count or 0 for r in primary) <= small.hidden_at_most):
                primary.add(others.pop(0)[1])
            if len(primary) == 1:
                primary = set(range(len(rows)))
        hidden |= {(s, r) for r in primary}
    return Protected(table, frozenset(hidden), table.n < small.reference_below, small)
