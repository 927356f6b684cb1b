"""Drawing a deck's figures: planned against the cache, drawn on every core with the writers that
need no picture beside them, and laid into the slide model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ..aggregate import FigureTable, Tables
from ..build.cache import FigureCache
from ..build.parallel import run_all
from ..inputs.codebook import Codebook, FigureSpec
from ..inputs.deck import DeckSpec
from ..inputs.template import Theme, read_theme
from .loading import Inputs, Look, deck_spec

if TYPE_CHECKING:  # the figures and the slide model import matplotlib and python-pptx
    from ..figures import Description, Rendered
    from ..figures.fonts import Font
    from ..inputs.template import Template
    from ..slides import Deck


def figures(
    inputs: Inputs,
    result: Tables,
    font: Font,
    cache: FigureCache | None = None,
    counts: dict[str, int] | None = None,
    theme: Theme | None = None,
    png: bool = True,
) -> list[Rendered]:
    """Every figure placed in the deck, drawn and rendered (PNG and SVG; SVG alone where ``png`` is
    False — what a deck of native charts, its PDF and its web page need) in the colours of
    ``theme`` (default: the year's template's), in codebook order.

    With ``cache``, a figure drawn before from the same content is reused, not drawn again;
    ``counts`` (if given) receives how many were drawn and reused.
    """
    theme = theme if theme is not None else read_theme(inputs.year.template)
    rendered, _ = draw(plan(inputs, result, font, theme, cache, png), cache, [], counts)
    return rendered


@dataclass(frozen=True)
class Plan:
    """The figures of a deck before drawing: each one's description, those the cache has, and the
    drawing jobs (cache key, task) of the others."""

    descriptions: dict[int, Description]
    found: dict[int, Rendered]
    jobs: list[tuple[str, Callable[[], Rendered]]]


def plan(inputs: Inputs, result: Tables, font: Font, theme: Theme, cache: FigureCache | None, png: bool = True) -> Plan:
    """Each figure the deck places: described, found in the cache, or a job to draw it — as PNG and
    SVG, or (``png`` False: nothing will show a picture of it) as SVG alone."""
    from .. import figures as fig

    slots = deck_spec(inputs).slots()
    descriptions: dict[int, Description] = {}
    found: dict[int, Rendered] = {}
    jobs: list[tuple[str, Callable[[], Rendered]]] = []
    drawing = fig.drawing_fingerprint() if cache is not None else None
    for spec in inputs.codebook.figures:
        if spec.number not in slots:
            continue
        table = result.figure(spec.number)
        slot = slots[spec.number]
        description = descriptions[spec.number] = fig.describe(spec, table, inputs.codebook, slot)
        key = fig.figure_key(spec, table, inputs.codebook, slot, font, theme, drawing) if cache is not None else ""
        cached = cache.lookup(key, png) if cache is not None else None
        if cached is not None:
            found[spec.number] = fig.Rendered(description, *cached)
        else:
            jobs.append((key, partial(_render, spec, table, inputs.codebook, slot, font, theme, description, png)))
    return Plan(descriptions, found, jobs)


def draw(
    plan: Plan, cache: FigureCache | None, alongside: list[Callable[[], Any]], counts: dict[str, int] | None = None
) -> tuple[list[Rendered], list[Any]]:
    """Draw the planned figures on every core — and the ``alongside`` tasks with them — storing
    what was drawn in the cache; the figures in codebook order, and the tasks' results."""
    results = dict(plan.found)
    done = run_all([task for _, task in plan.jobs] + list(alongside))
    for (key, _), r in zip(plan.jobs, done):
        if cache is not None:
            cache.store(key, r.png, r.svg)
        results[r.description.number] = r
    if counts is not None:
        counts.update(drawn=len(plan.jobs), reused=len(plan.found))
    return [results[n] for n in sorted(results)], done[len(plan.jobs) :]


def with_images(deck: Deck, rendered: list[Rendered]) -> Deck:
    """The deck with each picture's PNG and SVG filled in from the drawn figures."""
    import dataclasses

    images = {r.description.number: r for r in rendered}
    slides = tuple(
        dataclasses.replace(
            s,
            pictures=tuple(
                dataclasses.replace(p, png=images[p.figure].png, svg=images[p.figure].svg) for p in s.pictures
            ),
        )
        for s in deck.slides
    )
    return dataclasses.replace(deck, slides=slides)


def _render(
    spec: FigureSpec,
    table: FigureTable,
    codebook: Codebook,
    slot: str,
    font: Font,
    theme: Theme,
    description: Description,
    png: bool,
) -> Rendered:
    from .. import figures as fig

    return fig.render(fig.draw(spec, table, codebook, slot, font, theme), description, png)


def lay_out(
    inputs: Inputs,
    spec: DeckSpec,
    result: Tables,
    rendered: list[Rendered],
    look: Look,
    source: str,
    template: Template,
) -> Deck:
    """The slide model of the deck on the template (read once: ``template``), its texts measured
    in the look's fonts."""
    from ..slides import build_deck

    return build_deck(
        spec,
        result,
        inputs.codebook,
        rendered,
        template,
        look.font,
        source,
        heading_font=look.fonts.heading,
        theme_font=look.fonts.theme,
    )
