"""Layout rules a figure follows whatever draws it — the picture (SVG, PDF, PNG), python-pptx
for the native chart — so the two cannot drift: which colour each bar or part takes, where the
parts of a 100 % band fall, how wide their labels may be, and how the labels under a band are
spread (in two staggered tiers where they would touch). No drawing library is imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ..aggregate import Row
from . import style
from .style import LINE


class FitError(Exception):
    """Content that cannot be laid out in its figure area (re-raised with the figure named)."""


def bar_color(row: Row, color: str) -> str:
    """A bar's colour: ``color``, or grey for a catch-all (その他), a non-answer (特にない) and 無回答."""
    return style.MUTED if row.code is None or row.other or row.nonanswer else color


def band_colors(rows: Sequence[Row], favourable: Collection[int] = ()) -> list[str]:
    """The parts of a 100 % band: the favourable answers (those its bracket sums) in the main hues,
    darkest first; the other answers in a contrasting hue; 無回答 grey. A band without a bracket
    takes the main hues in option order."""
    if not favourable:
        palette = iter(style.BAND)
        return [style.NO_ANSWER if r.code is None else next(palette) for r in rows]
    good, other = iter(style.BAND_FAVOURABLE), iter(style.BAND_UNFAVOURABLE)
    return [style.NO_ANSWER if r.code is None else next(good) if r.code in favourable else next(other) for r in rows]


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


@dataclass(frozen=True)
class LabelPlace:
    """Where a band part's label goes: its tier below the band (0 nearest), its box's left and
    right edges, and whether a leader runs from the part down to it (a label too wide to sit under
    its own part hangs from a leader, its box's right edge against it). The text is centred in its
    box, as LibreOffice sets a chart's data labels whatever alignment they ask for: so the picture
    and the native chart set it alike (issue 23)."""

    tier: int
    left: float
    right: float
    leader: bool


#: the deepest tier a band's labels may take
MAX_TIERS = 4


def band_labels(
    spans: Sequence[tuple[float, float]], widths: Sequence[float], lo: float, hi: float, gap: float = 8
) -> list[LabelPlace]:
    """Each part's label under a 100 % band from ``lo`` to ``hi``: centred under its own part in
    the first tier wherever it fits there without covering another part's middle; else hanging
    from a vertical leader at its part's middle, in the first tier below where it overlaps no
    label and no leader crosses it. Leaders never cross a label or each other; a band that cannot
    be labelled so within :data:`MAX_TIERS` tiers is a :class:`FitError`."""
    mids = [(a + b) / 2 for a, b in spans]
    places: dict[int, LabelPlace] = {}
    for i in sorted(range(len(spans)), key=lambda i: spans[i][0] - spans[i][1]):  # the widest parts first
        left, right = mids[i] - widths[i] / 2, mids[i] + widths[i] / 2
        covers_a_middle = any(left - gap / 2 < mids[j] < right + gap / 2 for j in range(len(spans)) if j != i)
        clear = all(right + gap <= p.left or left >= p.right + gap for p in places.values() if p.tier == 0)
        if left >= lo and right <= hi and clear and not covers_a_middle:
            places[i] = LabelPlace(0, left, right, False)
    for i in range(len(spans)):
        if i in places:
            continue
        right = min(max(mids[i] + 2, lo + widths[i]), hi)
        left = right - widths[i]
        for tier in range(MAX_TIERS):
            in_way = [
                p for j, p in places.items() if p.tier == tier and not (right + gap <= p.left or left >= p.right + gap)
            ]
            path_blocked = any(p.left - 1 <= mids[i] <= p.right + 1 for p in places.values() if p.tier < tier)
            crosses = any(left - 1 <= mids[j] <= right + 1 for j, p in places.items() if p.leader and p.tier > tier)
            if not in_way and not path_blocked and not crosses:
                places[i] = LabelPlace(tier, left, right, True)
                break
        else:
            raise FitError("the labels of the band's small parts cannot be hung from leaders without crossing")
    return [places[i] for i in range(len(spans))]


def em_width(text: str, size: float) -> float:
    """About how wide ``text`` sets at ``size`` points, in points: a full em for Japanese, half for
    Latin — for room a renderer fills, where the font is not at hand (a native chart's)."""
    return sum(size * (0.55 if ch.isascii() else 1.0) for ch in text)


@dataclass(frozen=True)
class BandFrame:
    """Where a 100 % band, its labels and its bracket go in a figure ``width`` × ``height`` points
    (y up): each part's span, the band from ``bottom`` up ``thickness``, each part's label as its
    lines (its share the last) and place (:func:`band_labels`), the top of the labels' first tier
    ``gap`` below the band and each further tier ``tier`` lower, and the bracket's rule from
    :data:`BRACKET_RISE` to :data:`BRACKET_TOP` above the band, its sum standing on
    :data:`BRACKET_TEXT`. The picture draws the band here and the native chart places its plot
    area, data labels and bracket alike (issue 23). Labels are measured by :func:`em_width`, as a
    renderer with another font may set them: no narrower than the deck's font gives."""

    spans: tuple[tuple[float, float], ...]
    lines: tuple[tuple[str, ...], ...]
    places: tuple[LabelPlace, ...]
    bottom: float
    thickness: float
    tier: float
    gap: float = 10.0


#: the bracket above a band: its rule's ends and corner, and the baseline of its sum, in points
#: above the band's top
BRACKET_RISE, BRACKET_TOP, BRACKET_TEXT = 6.0, 13.0, 16.0
#: the margin each side of a band, in points
BAND_MARGIN = 10.0


def band_frame(
    width: float, height: float, labels: Sequence[str], weights: Sequence[float], shares: Sequence[str], bracket: bool
) -> BandFrame:
    """The :class:`BandFrame` of a band of parts ``labels`` weighing ``weights``, each labelled with
    its share as ``shares`` print it, with a bracket above it where ``bracket``. A
    :class:`FitError` where its labels do not fit under it."""
    from .jptext import wrap_balanced

    x0, x1 = BAND_MARGIN, width - BAND_MARGIN

    def measure(text: str) -> float:
        return em_width(text, style.LABEL_PT)

    # a label breaks after its first clause (当初疎遠だったが、|関係が深まった): no narrower than the widest one
    label_width = band_label_width(labels, measure, x1 - x0)
    lines = tuple(
        (*wrap_balanced(label, label_width, measure, max_lines=3), share) for label, share in zip(labels, shares)
    )
    widths = [max(measure(t) for t in parts) + 6 for parts in lines]
    spans = band_spans(weights, x0, x1)
    places = band_labels(spans, widths, x0, x1)
    tier = max(len(parts) for parts in lines) * style.LABEL_PT * LINE + 8
    label_h = tier * (max(p.tier for p in places) + 1)
    bracket_h = style.LABEL_PT * LINE + BRACKET_TEXT if bracket else 0.0
    thickness = style.BAND_HEIGHT_PT
    free = height - thickness - label_h - bracket_h - 16
    if free < 0:
        raise FitError("the band's labels do not fit under it")
    return BandFrame(tuple(spans), lines, tuple(places), 4 + label_h + 12 + free / 2, thickness, tier)


@dataclass(frozen=True)
class BarFrame:
    """Where a column of horizontal bars goes in a figure ``width`` × ``height`` points (y up):
    the option labels end at ``label``, the bars start at ``left`` and the longest ends at
    ``right`` (room for its value beyond), rows ``pitch`` apart from ``top`` down to ``bottom``,
    each bar ``thickness`` thick. The picture draws its bars here and the native chart places its
    plot area and bar gap to match (issue 23: one set of proportions)."""

    label: float
    left: float
    right: float
    top: float
    bottom: float
    pitch: float
    thickness: float


def bar_frame(width: float, height: float, slot: str, rows: int) -> BarFrame:
    """The :class:`BarFrame` of a lone panel of ``rows`` bars in a ``slot`` (full or half) figure."""
    label = width * style.LABEL_SHARE[slot]
    top, bottom = height - 4, 4
    pitch = (top - bottom) / max(rows, 1)
    return BarFrame(
        label,
        label + 8,
        width - em_width("100.0倍", style.VALUE_PT) - 6,
        top,
        bottom,
        pitch,
        min(pitch * style.BAR_HEIGHT, style.BAR_MAX_PT),
    )


@dataclass(frozen=True)
class PairFrame:
    """Where a paired figure's two panels of bars go in a figure ``width`` × ``height`` points (y
    up): a header band ``header`` high at the top, the option labels ending at ``label``, each
    panel's bars starting at ``lefts[k]`` (a panel ``panel`` wide), the longest bar of either panel
    ``span`` long, rows ``pitch`` apart from ``top`` down to ``bottom``, each bar ``thickness``
    thick. The picture draws its panels here and the native charts place their plot areas, bar gap
    and axis to match (issue 23)."""

    label: float
    lefts: tuple[float, float]
    panel: float
    span: float
    header: float
    top: float
    bottom: float
    pitch: float
    thickness: float


def pair_frame(width: float, height: float, slot: str, rows: int, headers: Sequence[str], gains: bool) -> PairFrame:
    """The :class:`PairFrame` of a paired figure of ``rows`` options under ``headers``, with room
    for gains beside the second panel's values where it prints them. Each header takes the lines
    :func:`em_width` says it needs in its panel (at most two): no fewer than the font's own widths
    give, so the picture's wrapped header fits."""
    import math

    label = width * style.LABEL_SHARE[slot] * 0.85
    gain_room = em_width("＋00.0pt", style.VALUE_PT) + 8 if gains else 0.0
    value_room = em_width("100.0", style.VALUE_PT) + 6
    panel = (width - label - 8 - gain_room) / 2
    lines = max(min(2, max(1, math.ceil(em_width(h, style.HEADER_PT) / (panel - 10)))) for h in headers)
    header = style.HEADER_PT * LINE * lines + 6
    top, bottom = height - header - 4, 4
    pitch = (top - bottom) / max(rows, 1)
    return PairFrame(
        label,
        (label + 8, label + 8 + panel),
        panel,
        panel - value_room - 10,
        header,
        top,
        bottom,
        pitch,
        min(pitch * style.BAR_HEIGHT, style.BAR_MAX_PT),
    )
