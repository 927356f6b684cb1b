"""The chart kinds: one table of what each kind of chart accepts, how it orders its rows, and
which function draws it for each output.

A figure of the codebook names its kind (``chart: band``) or gets the default for what it
tabulates. The codebook checks a figure against its kind here; the figures stage draws it with
the kind's renderer. A new output (a native PowerPoint chart) adds a renderer to each kind's
``renderers`` — under its own output name — without touching the others.

Renderers are named as ``module:function`` and imported only when a figure is drawn, so reading a
codebook never imports a drawing library (and the table can sit at the start of the pipeline).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: what a figure tabulates: one question, a pair of questions on one option list, or a gap
#: derived from a paired figure
ONE, PAIR, GAP = "one", "pair", "gap"
#: the output that draws matplotlib figures (PNG and SVG, for the slides and the PDF)
FIGURE = "figure"
#: the output that draws a native PowerPoint chart, its data in the chart's workbook
NATIVE = "pptx"
#: what ``build --charts`` may say: figures in the PPTX as native charts (where the kind has a
#: native renderer), or all as pictures
CHARTS_NATIVE, CHARTS_PICTURE = "native", "picture"


@dataclass(frozen=True)
class ChartKind:
    """One kind of chart and what it accepts.

    ``shape`` is what the figure tabulates (:data:`ONE`, :data:`PAIR`, :data:`GAP`); ``answers``
    the answer kinds of its question (single, multi); ``ranked`` whether its rows are shown in
    ranking order (else in codebook order); ``annotations`` which of ``bracket``, ``center`` and
    ``gains`` a figure of this kind may carry; ``renderers`` the function that draws it for each
    output, as ``module:function``.
    """

    name: str
    shape: str
    answers: tuple[str, ...]
    ranked: bool
    annotations: frozenset[str] = field(default_factory=frozenset)
    renderers: dict[str, str] = field(default_factory=dict)

    def renderer(self, output: str) -> Callable[..., Any]:
        """The function that draws this kind for ``output``."""
        module, _, name = self.renderers[output].partition(":")
        return getattr(importlib.import_module(module), name)


KINDS: dict[str, ChartKind] = {
    k.name: k
    for k in (
        ChartKind(
            "doughnut",
            ONE,
            ("single",),
            ranked=False,
            annotations=frozenset({"center", "bracket"}),
            renderers={FIGURE: "slidegen.figures:draw_doughnut", NATIVE: "slidegen.writers.charts:draw_doughnut"},
        ),
        ChartKind(
            "band",
            ONE,
            ("single",),
            ranked=False,
            annotations=frozenset({"bracket"}),
            renderers={FIGURE: "slidegen.figures:draw_band", NATIVE: "slidegen.writers.charts:draw_band"},
        ),
        ChartKind(
            "ranking",
            ONE,
            ("multi",),
            ranked=True,
            renderers={FIGURE: "slidegen.figures:draw_ranking", NATIVE: "slidegen.writers.charts:draw_bars"},
        ),
        ChartKind(
            "paired",
            PAIR,
            ("single", "multi"),
            ranked=True,
            annotations=frozenset({"gains"}),
            renderers={FIGURE: "slidegen.figures:draw_paired", NATIVE: "slidegen.writers.charts:draw_bars"},
        ),
        ChartKind(
            "gap",
            GAP,
            ("single", "multi"),
            ranked=True,
            renderers={FIGURE: "slidegen.figures:draw_gap", NATIVE: "slidegen.writers.charts:draw_bars"},
        ),
    )
}

#: the kind a figure gets when its codebook entry names none, by shape and answer kind
DEFAULTS = {
    (ONE, "single"): "band",
    (ONE, "multi"): "ranking",
    (PAIR, "single"): "paired",
    (PAIR, "multi"): "paired",
    (GAP, "single"): "gap",
    (GAP, "multi"): "gap",
}


def accepting(shape: str, answer: str) -> list[str]:
    """The kinds that can draw a figure of this shape and answer kind."""
    return [k.name for k in KINDS.values() if k.shape == shape and answer in k.answers]
