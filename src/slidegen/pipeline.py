"""The pipeline's entry points: load a survey year's inputs, then run each stage on them.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .aggregate import Tables, aggregate
from .codebook import Codebook, load_codebook
from .master import Body, load_master
from .project import Year
from .responses import Responses, load_responses


@dataclass(frozen=True)
class Inputs:
    """Everything one survey year is built from, loaded and checked."""

    year: Year
    codebook: Codebook
    master: dict[str, Body]
    responses: Responses


def load_inputs(year: Year, data: Path | None = None) -> Inputs:
    """Load and check the codebook, master list and response table (``data`` overrides the
    year's ``responses.csv``)."""
    codebook = load_codebook(year.codebook)
    master = load_master(year.master)
    responses = load_responses(data or year.responses, codebook, master)
    return Inputs(year, codebook, master, responses)


def tables(inputs: Inputs) -> Tables:
    """The aggregates of a loaded survey year."""
    return aggregate(inputs.codebook, inputs.responses, inputs.master)
