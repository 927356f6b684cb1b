"""Drawing a deck's figures: planned against the cache, drawn on every core with the writers that
need no picture beside them, and laid into the slide model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ..aggregate import Tables
from ..build.cache import FigureCache
from ..build.parallel import run_all
from ..inputs.deck import DeckSpec
from ..inputs.template import Theme, read_theme
from .loading import Inputs, Look, deck_spec

if TYPE_CHECKING:  # the figures and the slide model import matplotlib and python-pptx
    from ..figures import Description, Rendered
    from ..figures.fonts import Font
    from ..figures.vector import Drawing
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
    rendered, _ = draw(plan(inputs, result, font, theme, cache, png), cache, lambda _: [], counts)
    return rendered


@dataclass(frozen=True)
class Plan:
    """The figures of a deck before drawing: each one's description, those the cache has, the
    drawing jobs (figure number, cache key, task giving the figure's shapes) of the others, and whether a
    picture of them is wanted (``png``)."""

    descriptions: dict[int, Description]
    found: dict[int, Rendered]
    jobs: list[tuple[int, str, Callable[[], Drawing]]]
    png: bool


def plan(inputs: Inputs, result: Tables, font: Font, theme: Theme, cache: FigureCache | None, png: bool = True) -> Plan:
    """Each figure the deck places: described, found in the cache, or a job to draw it — as PNG and
    SVG, or (``png`` False: nothing will show a picture of it) as SVG alone."""
    from .. import figures as fig

    slots = deck_spec(inputs).slots()
    descriptions: dict[int, Description] = {}
    found: dict[int, Rendered] = {}
    jobs: list[tuple[int, str, Callable[[], Drawing]]] = []
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
            jobs.append((spec.number, key, partial(fig.draw, spec, table, inputs.codebook, slot, font, theme)))
    return Plan(descriptions, found, jobs, png)


def draw(
    plan: Plan,
    cache: FigureCache | None,
    alongside: Callable[[list[Rendered]], list[Callable[[], Any]]],
    counts: dict[str, int] | None = None,
) -> tuple[list[Rendered], list[Any]]:
    """Draw the planned figures: their shapes and SVG here (a few milliseconds each), then their
    pictures (where the plan wants them: matplotlib, the slow part) on every core beside the tasks
    ``alongside`` gives for the figures as SVG — the writers that need no picture. Stores what was
    drawn in the cache; returns the figures in codebook order, and the tasks' results."""
    from ..figures import Rendered, rasterise, render

    drawings = [(n, key, job()) for n, key, job in plan.jobs]
    results = dict(plan.found)
    for n, _, drawing in drawings:
        results[n] = render(drawing, plan.descriptions[n], png=False)
    tasks = alongside([results[n] for n in sorted(results)])
    pictures: list[Callable[[], Any]] = [partial(rasterise, d) for _, _, d in drawings] if plan.png else []
    done = run_all(tasks + pictures)  # the writers first: they are the longest tasks
    pngs = done[len(tasks) :] or [b""] * len(drawings)
    for (n, key, _), png in zip(drawings, pngs):
        results[n] = Rendered(plan.descriptions[n], png, results[n].svg)
        if cache is not None:
            cache.store(key, png, results[n].svg)
    if counts is not None:
        counts.update(drawn=len(plan.jobs), reused=len(plan.found))
    return [results[n] for n in sorted(results)], done[: len(tasks)]


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
