"""What the codebook needs to know of a chart kind: the shapes a figure can have, and the rules a
kind sets (what it accepts, whether it ranks, which annotations it carries).

The kinds themselves — each its rules and its renderers side by side — are the modules of
:mod:`slidegen.figures.kinds`, which registers them. The codebook is read against that registry
(:func:`slidegen.inputs.codebook.load_codebook` takes it), so reading a codebook never imports a
drawing library and no kind's name is written outside its own module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, Protocol

#: what a figure tabulates: one question, a pair of questions on one option list, or the gaps
#: derived from a paired figure (the codebook's ``gap:``)
Shape = Literal["one", "pair", "derived"]
ONE: Shape = "one"
PAIR: Shape = "pair"
DERIVED: Shape = "derived"
#: what ``build --charts`` may say: figures in the PPTX as native charts (where the kind has a
#: native renderer), or all as pictures
Charts = Literal["native", "picture"]
CHARTS_NATIVE: Charts = "native"
CHARTS_PICTURE: Charts = "picture"


class KindRules(Protocol):
    """The rules of one chart kind, as the codebook checks a figure against them: ``shape`` what it
    tabulates; ``answers`` the answer kinds of its question (single, multi); ``ranked`` whether its
    rows are shown in ranking order; ``annotations`` which of ``bracket``, ``center`` and
    ``gains`` it may carry; ``default_for`` the answer kinds for which it is its shape's default."""

    @property
    def name(self) -> str: ...
    @property
    def shape(self) -> Shape: ...
    @property
    def answers(self) -> tuple[str, ...]: ...
    @property
    def annotations(self) -> frozenset[str]: ...
    @property
    def default_for(self) -> frozenset[str]: ...


#: the registry the codebook is read against: kind name → its rules
Kinds = Mapping[str, KindRules]


def default_kind(kinds: Kinds, shape: str, answer: str) -> str:
    """The kind a figure of this shape and answer kind gets when its codebook entry names none."""
    return next(k.name for k in kinds.values() if k.shape == shape and answer in k.default_for)


def accepting(kinds: Kinds, shape: str, answer: str) -> list[str]:
    """The kinds that can draw a figure of this shape and answer kind."""
    return [k.name for k in kinds.values() if k.shape == shape and answer in k.answers]
