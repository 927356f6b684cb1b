"""The pipeline's entry points: load a survey year's inputs, then run each stage on them.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import Callable

from .aggregate import Tables, aggregate
from .codebook import Codebook, load_codebook
from .deck import DeckSpec, load_deck
from .master import Body, load_master
from .project import Year
from .responses import Responses, load_responses

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Inputs:
    """Everything one survey year is built from, loaded and checked."""

    year: Year
    codebook: Codebook
    master: dict[str, Body]
    responses: Responses
    deck: DeckSpec


def load_inputs(year: Year, data: Path | None = None) -> Inputs:
    """Load and check the codebook, master list and response table (``data`` overrides the
    year's ``responses.csv``)."""
    codebook = load_codebook(year.codebook)
    master = load_master(year.master)
    responses = load_responses(data or year.responses, codebook, master)
    deck = load_deck(year.deck, codebook)
    return Inputs(year, codebook, master, responses, deck)


def tables(inputs: Inputs) -> Tables:
    """The aggregates of a loaded survey year."""
    return aggregate(inputs.codebook, inputs.responses, inputs.master)


def figures(inputs: Inputs, result: Tables, font) -> list:
    """Every figure placed in the deck, drawn and rendered (PNG and SVG), in codebook order."""
    from . import figures as fig

    slots = inputs.deck.slots()
    rendered = []
    for spec in inputs.codebook.figures:
        if spec.number not in slots:
            continue
        table = result.figure(spec.number)
        description = fig.describe(spec, table, inputs.codebook, slots[spec.number])
        drawn = fig.draw(spec, table, inputs.codebook, slots[spec.number], font)
        rendered.append(fig.render(drawn, description))
    return rendered


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the output folder and each file in it."""

    out: Path
    files: tuple[Path, ...]
    font: str


def build(year: Year, data: Path | None = None, out: Path | None = None, progress: Progress = lambda _: None) -> BuildResult:
    """Build a survey year into ``out`` (default ``output/<year>/``), replacing it only when
    every stage has succeeded."""
    from .fonts import resolve_font
    from .outputs import staged_dir

    out = out or year.output_dir
    progress(f"reading {data or year.responses}")
    inputs = load_inputs(year, data)
    result = tables(inputs)
    font = resolve_font()
    progress(f"font: {font.describe()}")
    rendered = figures(inputs, result, font)
    progress(f"figures: drew {len(rendered)}")
    with staged_dir(out) as staging:
        folder = staging / "figures"
        folder.mkdir()
        for r in rendered:
            (folder / f"{r.description.stem}.png").write_bytes(r.png)
            (folder / f"{r.description.stem}.svg").write_bytes(r.svg)
    files = tuple(sorted(p for p in out.rglob("*") if p.is_file()))
    return BuildResult(out, files, font.describe())
