"""A survey year cut by segment (issue 22): one set of aggregates per segment of an axis of
``data/segments.yaml`` — each segment's bodies of the master list and their answers — every figure
protected from small cells (:func:`~slidegen.aggregate.protect`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..aggregate import HIDDEN_ROW, FigureTable, Protected, Tables, aggregate, protect
from ..errors import NotShown, SegmentsError
from ..inputs.codebook import Codebook
from ..inputs.deck import Bullet, DeckSpec
from ..inputs.segments import SmallCells, load_segments
from ..slides.sentences import Context, evaluate, render
from .loading import Inputs


@dataclass(frozen=True)
class Segment:
    """One segment's aggregates (its bodies, its answers) and each figure as it may be shown."""

    value: str
    tables: Tables
    figures: dict[int, Protected]
    axis: str = ""

    def shown(self) -> Tables:
        """The segment's tables as its deck shows them: each figure without its withheld rows
        (:meth:`~slidegen.aggregate.Protected.shown_table`)."""
        figures = tuple(self.figures[f.number].shown_table() for f in self.tables.figures)
        return dataclasses.replace(self.tables, figures=figures, segment=(self.axis, self.value))

    def to_dict(self) -> dict[str, Any]:
        d = self.tables.to_dict()
        d["figures"] = [self.figures[f.number].to_dict() for f in self.tables.figures]
        return {"segment": self.value, **d}


@dataclass(frozen=True)
class Cut:
    """A survey year cut along one axis: its segments in the axis's order."""

    year: str
    axis: str
    small_cells: SmallCells
    segments: tuple[Segment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "axis": self.axis,
            "small_cells": dataclasses.asdict(self.small_cells),
            "segments": [s.to_dict() for s in self.segments],
        }


def cut(inputs: Inputs, axis_name: str, only: str | None = None) -> Cut:
    """The year's aggregates per segment of the axis ``axis_name``, small cells withheld (``only``:
    of that one segment, where the axis has it — a deck's ``check`` needs no other)."""
    segments = load_segments(inputs.year.segments, inputs.master)
    axis = segments.axis(axis_name)
    specs = {spec.number: spec for spec in inputs.codebook.figures}
    frame = inputs.responses.table
    out = []
    for value in axis.values if only is None or only not in axis.values else (only,):
        codes = axis.codes(value)
        master = {code: body for code, body in inputs.master.items() if code in codes}
        responses = dataclasses.replace(inputs.responses, frame=frame[frame.index.isin(codes)])
        tables = aggregate(inputs.codebook, responses, master, empty_ok=True)
        shown: dict[int, Protected] = {}
        for table in tables.figures:
            gap = specs[table.number].gap
            shown[table.number] = protect(table, segments.small_cells, shown[gap.figure] if gap else None)
        out.append(Segment(value, tables, shown, axis.name))
    return Cut(inputs.year.name, axis.name, segments.small_cells, tuple(out))


#: what a segment's slide says in place of a figure of too few bodies to show (issue 22), and of
#: a figure the segment has no body for
_EMPTY_FIGURE = "この区分では、図{figure}の対象となる団体が{n}団体のため、団体が特定されないよう図を表示していない。"
_NO_FIGURE = "この区分には図{figure}の対象となる団体がないため、図はない。"
#: and of a figure whose every option is withheld (it would show one grey 「非表示」 part of 100 %)
_ALL_WITHHELD = "この区分では、図{figure}のどの選択肢も選んだ団体が少なく、団体が特定されないよう図を表示していない。"


def _shows_nothing(table: FigureTable) -> bool:
    """Whether a segment's figure has nothing to show: no row, or only its withheld options' sum."""
    return all(row.label == HIDDEN_ROW and row.code is None for row in table.series[0].rows)


def segment_codebook(codebook: Codebook, tables: Tables) -> Codebook:
    """The codebook as a segment's deck draws with it: a figure whose shown table withholds an
    option of its bracket, or its doughnut's centre option, prints neither (their share would
    count the withheld bodies, or lack them)."""
    figures = []
    for spec in codebook.figures:
        table = tables.figure(spec.number)
        if spec.bracket is not None and not table.shows(spec.bracket.codes):
            spec = dataclasses.replace(spec, bracket=None)
        if spec.center is not None and not table.shows([spec.center]):
            spec = dataclasses.replace(spec, center=None)
        figures.append(spec)
    return dataclasses.replace(codebook, figures=tuple(figures))


def segment_view(
    inputs: Inputs, spec: DeckSpec, segment: Segment
) -> tuple[Inputs, DeckSpec, Tables, tuple[FellBack, ...]]:
    """What a segment's deck is made of: the inputs with the codebook it draws with
    (:func:`segment_codebook`) and its deck spec (:func:`segment_deck`), its shown tables, and
    what fell back — one decision for ``build --by`` and for ``check``/``update`` of its decks."""
    shown = segment.shown()
    codebook = segment_codebook(inputs.codebook, shown)
    deck_spec, fell = segment_deck(spec, shown, codebook)
    return dataclasses.replace(inputs, codebook=codebook, deck=deck_spec), deck_spec, shown, fell


def one_segment(inputs: Inputs, axis: str, value: str) -> Segment:
    """The segment ``value`` of ``axis`` (a :class:`~slidegen.errors.SegmentsError` naming the
    values where the axis has no such segment)."""
    segments = cut(inputs, axis, only=value).segments
    if len(segments) == 1 and segments[0].value == value:
        return segments[0]
    raise SegmentsError(
        f"{inputs.year.segments}: the axis {axis!r} has no segment {value!r} now; "
        f"its segments are {', '.join(s.value for s in segments)}."
    )


@dataclass(frozen=True)
class FellBack:
    """A text of the national deck that a segment's deck does not print as it stands: where it
    is (スライド3), the template, why it does not hold there, and what stands in its place (the
    fallback template deck.yaml gives; None: the text is left out)."""

    where: str
    template: str
    why: str
    instead: str | None
    instead_text: str | None = None  # the fallback as the segment's data renders it

    def said(self) -> str:
        """The line a build prints for it, in Japanese."""
        what = f"代わりに「{self.instead_text}」" if self.instead_text is not None else "この区分では省略"
        return f"{self.where}：「{self.template[:30]}…」は{self.why}ため、{what}"


def _fails(template: str, claims: tuple[str, ...], context: Context) -> str | None:
    """Why ``template`` (with its ``claims``) does not hold on a segment's data, or None if it
    does. Only what the segment causes falls back — a figure it withholds, a claim its data
    breaks; any other mistake in a template is an error, as in the national deck."""
    try:
        render(template, context)
        for claim in claims:
            if not evaluate(claim, context):
                return f"この区分のデータでは前提（{claim}）が成り立たない"
    except NotShown as e:
        return e.reason
    return None


def segment_deck(spec: DeckSpec, tables: Tables, codebook: Codebook) -> tuple[DeckSpec, tuple[FellBack, ...]]:
    """The deck spec as a segment's deck says it (issue 22): every sentence that holds on the
    segment's ``tables`` (as :meth:`Segment.shown` gives them) kept word for word; one that does
    not — its claims broken there, or resting on a figure the segment withholds options of —
    replaced by its ``fallback`` where deck.yaml gives one that holds, else left out; the cover's
    ``segment_overview`` lines in place of its ``overview`` (where given), any that does not hold
    left out. Never the national wording where it does not hold. Also what fell back, slide by
    slide."""
    context = Context(tables, codebook)
    fell: list[FellBack] = []
    slides = []
    for number, s in enumerate(spec.slides, start=1):
        where = f"スライド{number}（{s.heading or s.layout}）"
        bullets: list[Bullet] = []
        empty = [n for n in s.figures if _shows_nothing(tables.figure(n))]
        if empty:  # a figure of too few bodies to show anything: the slide says so in its place
            s = dataclasses.replace(s, figures=tuple(n for n in s.figures if n not in empty))
            for n in empty:
                reason = (
                    "どの選択肢も非表示の"
                    if tables.figure(n).series[0].rows
                    else f"対象となる団体が{tables.figure(n).n}団体の"
                )
                fell.append(FellBack(where, f"図{n}", reason, None))
        for b in s.bullets:
            why = _fails(b.text, b.claims, context)
            if why is None:
                bullets.append(b)
                continue
            instead = b.fallback if b.fallback is not None and _fails(b.fallback, (), context) is None else None
            fell.append(FellBack(where, b.text, why, instead, render(instead, context) if instead else None))
            if instead is not None:
                bullets.append(Bullet(instead, background=b.background))
        overview = []
        for line in s.segment_overview if tables.segment is not None and s.segment_overview else s.overview:
            why = _fails(line, (), context)
            if why is None:
                overview.append(line)
            else:
                fell.append(FellBack(where, line, why, None))
        for n in empty:
            rows = tables.figure(n).series[0].rows
            said = _ALL_WITHHELD if rows else _EMPTY_FIGURE if tables.figure(n).n else _NO_FIGURE
            bullets.append(Bullet(said.format(figure=n, n=tables.figure(n).n), background=True))
        if tuple(bullets) == s.bullets and tuple(overview) == s.overview:
            slides.append(s)
        else:
            slides.append(dataclasses.replace(s, bullets=tuple(bullets), overview=tuple(overview)))
    return dataclasses.replace(spec, slides=tuple(slides)), tuple(fell)
