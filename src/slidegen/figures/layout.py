"""Layout rules a figure follows whatever draws it — matplotlib for the PNG and SVG, python-pptx
for the native chart — so the two cannot drift: which colour each bar or part takes, where the
parts of a 100 % band fall, how wide their labels may be, and how the labels under a band are
spread (in two staggered tiers where they would touch). No drawing library is imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..aggregate import Row
from . import style


class FitError(Exception):
    """Content that cannot be laid out in its figure area (re-raised with the figure named)."""


def bar_color(row: Row, color: str) -> str:
    """A bar's colour: ``color``, or grey for a catch-all (その他) and for 無回答."""
    return style.MUTED if row.code is None or row.other else color


def band_colors(rows: Sequence[Row]) -> list[str]:
    """The parts of a 100 % band: the band palette in option order, 無回答 grey."""
    palette = iter(style.BAND)
    return [style.NO_ANSWER if r.code is None else next(palette) for r in rows]


def doughnut_colors(rows: Sequence[Row]) -> list[str]:
    """The slices of a doughnut: its first share in the main colour, then greys; 無回答 grey."""
    return [style.NO_ANSWER if r.code is None else c for r, c in zip(rows, style.DOUGHNUT)]


def band_spans(weights: Sequence[float], x0: float, x1: float) -> list[tuple[float, float]]:
    """Where each part of a 100 % band from ``x0`` to ``x1`` starts and ends, by its weight."""
    total = sum(weights)
    spans, x = [], x0
    for w in weights:
        width = (x1 - x0) * w / total
        spans.append((x, x + width))
        x += width
    return spans


def band_label_width(labels: Sequence[str], measure: Callable[[str], float], room: float) -> float:
    """How wide the labels under a band may wrap: an equal share of the band's ``room``, and never
    narrower than the widest first clause (当初疎遠だったが、|関係が深まった breaks after it)."""
    clauses = [label[: label.index("、") + 1] for label in labels if "、" in label]
    return max([measure(t) for t in clauses] + [room / (len(labels) + 1)])


def label_tiers(
    centers: list[float], widths: list[float], lo: float, hi: float, gap: float = 10
) -> list[tuple[int, float]]:
    """(tier, centre) of each label: one tier under the band if the labels fit side by side,
    else two staggered tiers (every other label one tier lower)."""
    try:
        return [(0, x) for x in _spread(centers, widths, lo, hi, gap)]
    except FitError:
        placed: dict[int, tuple[int, float]] = {}
        for tier in (0, 1):
            idx = list(range(tier, len(centers), 2))
            xs = _spread([centers[i] for i in idx], [widths[i] for i in idx], lo, hi, gap)
            placed.update({i: (tier, x) for i, x in zip(idx, xs)})
        return [placed[i] for i in range(len(centers))]


def _spread(centers: list[float], widths: list[float], lo: float, hi: float, gap: float) -> list[float]:
    """Centres moved as little as possible so that boxes of ``widths`` do not overlap within [lo, hi]."""
    xs = list(centers)
    for i in range(len(xs)):
        xs[i] = max(xs[i], lo + widths[i] / 2)
        if i:
            xs[i] = max(xs[i], xs[i - 1] + (widths[i - 1] + widths[i]) / 2 + gap)
    for i in reversed(range(len(xs))):
        limit = hi - widths[i] / 2 if i == len(xs) - 1 else xs[i + 1] - (widths[i + 1] + widths[i]) / 2 - gap
        xs[i] = min(xs[i], limit)
    if xs and xs[0] - widths[0] / 2 < lo - 1e-6:
        raise FitError("the labels of the parts are too wide to sit side by side")
    return xs
