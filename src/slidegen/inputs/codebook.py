"""The codebook: what a survey year asked, who answered it, and what the deck tabulates.

A codebook is a YAML file (``data/<year>/codebook.yaml``) that a non-programmer can read and
edit. :func:`load_codebook` reads it into frozen objects and checks that it is consistent
(unique ids and codes, known bases, figures that point at real questions), so later stages
never meet a half-valid codebook.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import CodebookError, ProjectError
from .kinds import DERIVED, ONE, PAIR, Kinds, accepting, default_kind
from .reading import NotYaml, load_yaml

ANSWERS = ("single", "multi")
_QUESTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
MEASURES = ("difference", "ratio")
#: the label of blank answers, where a question counts them
NO_ANSWER = "無回答"


@dataclass(frozen=True)
class Option:
    """One answer option of a question."""

    code: int
    label: str
    short_label: str | None = None
    footnote: str | None = None
    illustrative: bool = False  # not named in the published deck text
    other: bool = False  # a catch-all: drawn last, left out of gap rankings
    nonanswer: bool = False  # no answer in substance (特にない): grey, after the substantive answers


@dataclass(frozen=True)
class Base:
    """Who answers a question: every respondent, or those who gave one of ``codes`` to ``question``."""

    id: str
    label: str
    question: str | None = None
    codes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire and the response-table columns that hold its answers."""

    id: str
    text: str
    answer: str  # "single" or "multi"
    base: str
    options: tuple[Option, ...]
    no_answer: bool

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names in the response table: the id, or one ``<id>_<code>`` per option."""
        if self.answer == "single":
            return (self.id,)
        return tuple(option_column(self.id, o.code) for o in self.options)

    def option(self, code: int) -> Option:
        for o in self.options:
            if o.code == code:
                return o
        raise KeyError(code)


def option_column(question_id: str, code: int) -> str:
    """The 0/1 column of one option of a multiple-answer question, such as ``Q3_01``."""
    return f"{question_id}_{code:02d}"


@dataclass(frozen=True)
class SeriesSpec:
    """One series of a figure: its name (実績, 期待, ...), the question it tabulates, and the
    header a paired chart prints above it (default: the name)."""

    name: str
    question: str
    legend: str | None = None


@dataclass(frozen=True)
class GapSpec:
    """A figure derived from a paired figure: top ``top`` options by difference or ratio."""

    figure: int
    measure: str
    top: int


@dataclass(frozen=True)
class Bracket:
    """An annotation summing some options of a share chart: 「深い連携関係を維持・構築→91.3％」."""

    label: str
    codes: tuple[int, ...]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the deck: a question, two questions on one option list, or a gap.

    ``chart`` is the kind of chart (a name of :data:`slidegen.figures.kinds.KINDS`); where the
    codebook names none, the kind that is the default for the figure's shape and answer kind.
    ``caption`` is the published caption where it is not 【図N】title（択一回答|複数回答）.
    """

    number: int
    title: str
    series: tuple[SeriesSpec, ...] = ()
    gap: GapSpec | None = None
    subtitle: str | None = None
    chart: str = ""
    caption: str | None = None
    bracket: Bracket | None = None
    center: int | None = None  # doughnut: the option whose share is printed in the hole
    gain_min: float | None = None  # paired: print gains of at least this many points


@dataclass(frozen=True)
class Survey:
    """What the cover and overview say about the survey."""

    year: str
    fiscal_year: str
    title: str
    author: str
    published: str
    period: str
    target: str
    sample_data: bool
    sample_note: str | None
    published_date: date  # from ``published`` (令和７年１月 → 2025-01-01): the date of the documents
    sample_mark: str = "サンプル"  # the stamp on a sample deck's cover


@dataclass(frozen=True)
class Codebook:
    """A survey year's codebook, checked for consistency."""

    path: Path
    survey: Survey
    bases: dict[str, Base]
    questions: dict[str, Question]  # in questionnaire order
    figures: tuple[FigureSpec, ...]

    def figure(self, number: int) -> FigureSpec:
        for f in self.figures:
            if f.number == number:
                return f
        raise KeyError(number)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every answer column a response table must have, in questionnaire order."""
        return tuple(c for q in self.questions.values() for c in q.columns)


class _Reader:
    """Reads one YAML mapping with errors that name the codebook file and the key path; ``kinds``
    the chart kinds its figures are checked against."""

    def __init__(self, path: Path, kinds: Kinds):
        self.path = path
        self.kinds = kinds

    def fail(self, where: str, message: str) -> CodebookError:
        return CodebookError(f"{self.path}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping of keys to values, found {type(value).__name__}")
        return value

    def items(self, value: Any, where: str) -> list:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list")
        return value

    def get(self, data: dict, key: str, where: str, kind: type, default: Any = ...) -> Any:
        if key not in data:
            if default is ...:
                raise self.fail(where, f"missing key {key!r}")
            return default
        value = data[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok or (kind is str and not value.strip()):
            hint = (
                " (YAML reads yes/no/on/off as true/false: put the text in quotes)" if isinstance(value, bool) else ""
            )
            raise self.fail(f"{where}.{key}", f"expected {_KIND_NAMES[kind]}, found {value!r}{hint}")
        return value

    def known_keys(self, data: dict, allowed: set[str], where: str) -> None:
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


_KIND_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list"}


def load_codebook(path: Path, kinds: Kinds) -> Codebook:
    """Read and check the codebook at ``path``, its figures against the chart ``kinds``
    (:data:`slidegen.figures.kinds.KINDS`)."""
    r = _Reader(path, kinds)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(f"{path}: the codebook is missing.") from None
    try:
        data = load_yaml(text)
    except NotYaml as e:
        raise CodebookError(f"{path}: not valid YAML: {e}") from None
    data = r.mapping(data, "top level")
    r.known_keys(data, {"survey", "bases", "questions", "figures"}, "top level")
    survey = _survey(r, r.mapping(data.get("survey"), "survey"))
    bases = _bases(r, r.mapping(data.get("bases"), "bases"))
    questions = _questions(r, r.items(data.get("questions"), "questions"), bases)
    figures = _figures(r, r.items(data.get("figures"), "figures"), questions)
    return Codebook(path, survey, bases, questions, figures)


def _survey(r: _Reader, d: dict) -> Survey:
    keys = ["year", "fiscal_year", "title", "author", "published", "period", "target"]
    r.known_keys(d, set(keys) | {"sample_data", "sample_note", "sample_mark"}, "survey")
    values = {k: r.get(d, k, "survey", str) for k in keys}
    published = era_date(values["published"])
    if published is None:
        raise r.fail(
            "survey.published",
            f"{values['published']!r} is not a date; write it as the deck prints it, "
            "such as 令和７年１月 or 令和７年１月３１日 (or 2025年1月)",
        )
    return Survey(
        **values,
        sample_data=r.get(d, "sample_data", "survey", bool, False),
        sample_note=r.get(d, "sample_note", "survey", str, None),
        published_date=published,
        sample_mark=r.get(d, "sample_mark", "survey", str, "サンプル"),
    )


def document_time(published: date) -> datetime:
    """The date written into every document slidegen makes (the deck, the PDF, the workbook):
    ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention), else the survey's
    publication date, at midnight UTC. Never the clock, so a rebuild gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            when = datetime.fromtimestamp(int(epoch), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise ProjectError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a time: expected whole seconds since 1970-01-01, "
                "such as 1735689600, or unset it to date documents by the survey's publication."
            ) from None
        if not ZIP_YEARS[0] <= when.year <= ZIP_YEARS[1]:
            raise ProjectError(
                f"SOURCE_DATE_EPOCH={epoch} dates the documents {when:%Y-%m-%d}, which a .pptx or .xlsx (a zip "
                f"file) cannot hold: it keeps dates from {ZIP_YEARS[0]} to {ZIP_YEARS[1]}. Give a time in those "
                "years, such as 1735689600 (2025-01-01), or unset it."
            )
        return when
    return datetime(published.year, published.month, published.day, tzinfo=timezone.utc)


#: the years a zip file's entries can be dated in (DOS dates): every document slidegen writes is one
ZIP_YEARS = (1980, 2107)


_ERAS = {"令和": 2018, "平成": 1988}
_ERA_DATE = re.compile(
    r"^\s*(?:(?P<era>令和|平成)(?P<ey>\d+|元)|(?P<year>\d{4}))年\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?\s*$"
)


def era_date(text: str) -> date | None:
    """A date written the Japanese way: 令和７年１月 → 2025-01-01, 令和元年５月１日, 2025年1月; None if it is not one."""
    import unicodedata

    match = _ERA_DATE.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    if match["era"]:
        year = _ERAS[match["era"]] + (1 if match["ey"] == "元" else int(match["ey"]))
    else:
        year = int(match["year"])
    try:
        return date(year, int(match["month"]), int(match["day"] or 1))
    except ValueError:
        return None


def _bases(r: _Reader, d: dict) -> dict[str, Base]:
    bases = {}
    for base_id, spec in d.items():
        where = f"bases.{base_id}"
        spec = r.mapping(spec, where)
        r.known_keys(spec, {"label", "question", "codes"}, where)
        question = r.get(spec, "question", where, str, None)
        codes = tuple(spec.get("codes") or ())
        if (question is None) != (not codes):
            raise r.fail(where, "give both 'question' and 'codes', or neither (every respondent)")
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in codes):
            raise r.fail(f"{where}.codes", f"expected a list of whole numbers, found {spec.get('codes')!r}")
        bases[str(base_id)] = Base(str(base_id), r.get(spec, "label", where, str), question, codes)
    if "all" not in bases:
        raise r.fail("bases", "the base 'all' (every respondent) is missing")
    return bases


def _options(r: _Reader, items: list, where: str) -> tuple[Option, ...]:
    options, codes = [], set()
    for i, o in enumerate(items):
        w = f"{where}[{i}]"
        o = r.mapping(o, w)
        r.known_keys(o, {"code", "label", "short_label", "footnote", "illustrative", "other", "nonanswer"}, w)
        code = r.get(o, "code", w, int)
        if code < 1 or code > 99:
            raise r.fail(f"{w}.code", f"expected a code from 1 to 99, found {code}")
        if code in codes:
            raise r.fail(f"{w}.code", f"code {code} is used twice")
        codes.add(code)
        options.append(
            Option(
                code=code,
                label=r.get(o, "label", w, str),
                short_label=r.get(o, "short_label", w, str, None),
                footnote=r.get(o, "footnote", w, str, None),
                illustrative=r.get(o, "illustrative", w, bool, False),
                other=r.get(o, "other", w, bool, False),
                nonanswer=r.get(o, "nonanswer", w, bool, False),
            )
        )
    return tuple(options)


def _questions(r: _Reader, items: list, bases: dict[str, Base]) -> dict[str, Question]:
    questions: dict[str, Question] = {}
    allowed = {"id", "text", "answer", "base", "no_answer", "options", "options_from"}
    for i, q in enumerate(items):
        where = f"questions[{i}]"
        q = r.mapping(q, where)
        r.known_keys(q, allowed, where)
        qid = r.get(q, "id", where, str)
        where = f"questions[{i}] ({qid})"
        if not _QUESTION_ID.match(qid):
            raise r.fail(f"{where}.id", f"{qid!r}: use letters and digits only, such as Q3 or Q7A")
        if qid in questions:
            raise r.fail(f"{where}.id", f"question id {qid} is used twice")
        answer = r.get(q, "answer", where, str)
        if answer not in ANSWERS:
            raise r.fail(f"{where}.answer", f"expected single or multi, found {answer!r}")
        base = r.get(q, "base", where, str)
        if base not in bases:
            raise r.fail(f"{where}.base", f"unknown base {base!r}; bases: {', '.join(bases)}")
        if ("options" in q) == ("options_from" in q):
            raise r.fail(where, "give either 'options' or 'options_from'")
        if "options_from" in q:
            source = r.get(q, "options_from", where, str)
            if source not in questions:
                raise r.fail(f"{where}.options_from", f"no earlier question {source!r}")
            options = questions[source].options
        else:
            options = _options(r, r.items(q["options"], f"{where}.options"), f"{where}.options")
        no_answer = r.get(q, "no_answer", where, bool, answer == "multi")
        questions[qid] = Question(qid, r.get(q, "text", where, str), answer, base, options, no_answer)
    for base in bases.values():
        if base.question is None:
            continue
        where = f"bases.{base.id}"
        source = questions.get(base.question)
        if source is None or source.answer != "single":
            raise r.fail(f"{where}.question", f"{base.question!r} is not a single-answer question")
        unknown = [c for c in base.codes if c not in {o.code for o in source.options}]
        if unknown:
            raise r.fail(f"{where}.codes", f"{base.question} has no option code {unknown[0]}")
        if source.base != "all":
            raise r.fail(f"{where}.question", f"{base.question} must be asked of every respondent (base all)")
    return questions


def _chart(
    r: _Reader, f: dict, where: str, series: tuple[SeriesSpec, ...], gap: GapSpec | None, questions: dict[str, Question]
) -> dict:
    """The drawing options of a figure, checked against its chart kind's rules (:mod:`slidegen.inputs.kinds`)."""
    shape = DERIVED if gap is not None else PAIR if len(series) == 2 else ONE
    answer = questions[series[0].question].answer if series else "multi"
    kinds = r.kinds
    default = default_kind(kinds, shape, answer)
    chart = r.get(f, "chart", where, str, default)
    if chart not in kinds:
        raise r.fail(f"{where}.chart", f"expected one of {', '.join(kinds)}, found {chart!r}")
    kind = kinds[chart]
    if kind.shape != shape or answer not in kind.answers:
        fits = ", ".join(accepting(kinds, shape, answer))
        raise r.fail(f"{where}.chart", f"a {default} figure cannot be drawn as {chart}; it can be: {fits}")
    options = {o.code for o in questions[series[0].question].options} if series else set()

    def allows(annotation: str) -> str:
        return ", ".join(k.name for k in kinds.values() if annotation in k.annotations)

    bracket = None
    if "bracket" in f:
        b = r.mapping(f["bracket"], f"{where}.bracket")
        r.known_keys(b, {"label", "options"}, f"{where}.bracket")
        codes = tuple(b.get("options") or ())
        if "bracket" not in kind.annotations or not codes or not set(codes) <= options:
            raise r.fail(
                f"{where}.bracket", f"a bracket sums option codes of a {allows('bracket')} figure; check 'options'"
            )
        bracket = Bracket(r.get(b, "label", f"{where}.bracket", str), codes)
    center = r.get(f, "center", where, int, None)
    if center is not None and ("center" not in kind.annotations or center not in options):
        raise r.fail(f"{where}.center", f"center names an option code of a {allows('center')} figure")
    gain_min = None
    if "gains" in f:
        g = r.mapping(f["gains"], f"{where}.gains")
        r.known_keys(g, {"min"}, f"{where}.gains")
        if (
            "gains" not in kind.annotations
            or not isinstance(g.get("min"), (int, float))
            or isinstance(g.get("min"), bool)
        ):
            raise r.fail(f"{where}.gains", f"gains: {{min: POINTS}} prints gains on a {allows('gains')} figure")
        gain_min = float(g["min"])
    return dict(
        chart=chart, caption=r.get(f, "caption", where, str, None), bracket=bracket, center=center, gain_min=gain_min
    )


def _figures(r: _Reader, items: list, questions: dict[str, Question]) -> tuple[FigureSpec, ...]:
    figures: dict[int, FigureSpec] = {}
    for i, f in enumerate(items):
        where = f"figures[{i}]"
        f = r.mapping(f, where)
        r.known_keys(
            f,
            {
                "number",
                "title",
                "subtitle",
                "question",
                "series",
                "gap",
                "chart",
                "caption",
                "bracket",
                "center",
                "gains",
            },
            where,
        )
        number = r.get(f, "number", where, int)
        where = f"figures[{i}] (figure {number})"
        if number in figures:
            raise r.fail(f"{where}.number", f"figure {number} is defined twice")
        kinds = [k for k in ("question", "series", "gap") if k in f]
        if len(kinds) != 1:
            raise r.fail(where, "give exactly one of 'question', 'series' or 'gap'")
        series: tuple[SeriesSpec, ...] = ()
        gap = None
        if "question" in f:
            series = (SeriesSpec("全体", r.get(f, "question", where, str)),)
        elif "series" in f:
            specs = []
            for j, item in enumerate(r.items(f["series"], f"{where}.series")):
                at = f"{where}.series[{j}]"
                s = r.mapping(item, at)
                specs.append(
                    SeriesSpec(
                        r.get(s, "name", at, str), r.get(s, "question", at, str), r.get(s, "legend", at, str, None)
                    )
                )
            series = tuple(specs)
            if len(series) != 2:
                raise r.fail(f"{where}.series", "a paired figure has exactly two series (実績 first)")
        else:
            g = r.mapping(f["gap"], f"{where}.gap")
            r.known_keys(g, {"figure", "measure", "top"}, f"{where}.gap")
            gap = GapSpec(
                r.get(g, "figure", f"{where}.gap", int),
                r.get(g, "measure", f"{where}.gap", str),
                r.get(g, "top", f"{where}.gap", int),
            )
            if gap.measure not in MEASURES:
                raise r.fail(f"{where}.gap.measure", f"expected difference or ratio, found {gap.measure!r}")
            source = figures.get(gap.figure)
            if source is None or len(source.series) != 2:
                raise r.fail(f"{where}.gap.figure", f"figure {gap.figure} is not an earlier paired figure")
            if gap.top < 1:
                raise r.fail(f"{where}.gap.top", "expected 1 or more")
        for one in series:
            if one.question not in questions:
                raise r.fail(f"{where}", f"unknown question {one.question!r}")
        if len(series) == 2:
            a, b = (questions[one.question] for one in series)
            if a.options != b.options or a.base != b.base or a.answer != "multi" or b.answer != "multi":
                raise r.fail(
                    f"{where}.series",
                    f"{a.id} and {b.id} must be multiple-answer questions on one option list and base",
                )
        figures[number] = FigureSpec(
            number,
            r.get(f, "title", where, str),
            series,
            gap,
            r.get(f, "subtitle", where, str, None),
            **_chart(r, f, where, series, gap, questions),
        )
    return tuple(figures.values())
