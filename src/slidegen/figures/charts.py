"""Drawing the five kinds of chart, each on a canvas measured in points.

Every chart is drawn on one axes that covers its figure, with data coordinates in points
(0..width, 0..height), so layout is plain arithmetic with the font's own metrics and 10 pt is
10 pt on the slide. Artists carry a ``gid`` that names what they show — ``bar:<series>:<label>``,
``value:<series>:<label>``, ``label:<label>``, ``bracket``, ``gain:<label>``, ``center``,
``header:<series>`` — so tests can read a drawn figure's structure.

The kinds: :func:`doughnut` and :func:`band` (single-answer shares), :func:`ranking`
(multiple answers, sorted), :func:`paired` (two series on one option list) and the top-N gap
bars, which are a ranking in the order given.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle, Wedge
from matplotlib.text import Text

from ..aggregate import Row
from ..inputs.template import Theme
from . import style
from .fonts import Font
from .jptext import wrap_balanced
from .layout import FitError, band_colors, band_label_width, band_labels, band_spans, bar_color, doughnut_colors

LINE = 1.22  # line height, as a multiple of the font size


@dataclass
class Canvas:
    """An axes in points, the font, the template's theme (whose colours the figure takes), and
    helpers that measure and place text with them. Colours are given as the style names them —
    a theme slot (``accent1``) or ``#RRGGBB`` — and drawn as the theme resolves them."""

    ax: Axes
    width: float
    height: float
    font: Font
    theme: Theme

    def props(self, size: float) -> FontProperties:
        """The figure's font by family name, so the SVG names it too (the PDF maps that name to
        the embedded font); the family is registered from the chosen file."""
        _register(self.font)
        return FontProperties(family=self.font.family, size=size)

    def text_width(self, text: str, size: float) -> float:
        return max(self.font.width(line, size) for line in text.split("\n"))

    def text_height(self, text: str, size: float) -> float:
        return size * LINE * (text.count("\n") + 1)

    def wrap(self, text: str, width: float, size: float, max_lines: int = 3) -> str:
        return "\n".join(wrap_balanced(text, width, lambda s: self.font.width(s, size), max_lines))

    def text(self, x: float, y: float, s: str, size: float, gid: str, color: str = style.INK, **kw: Any) -> Text:
        rgb = self.theme.rgb(color)
        return self.ax.text(x, y, s, fontproperties=self.props(size), color=rgb, gid=gid, linespacing=LINE, **kw)

    def bar(self, x: float, y: float, w: float, h: float, color: str, gid: str) -> None:
        self.ax.add_patch(Rectangle((x, y), w, h, facecolor=self.theme.rgb(color), edgecolor="none", gid=gid))

    def line(self, xs: list[float], ys: list[float], color: str, width: float, **kw: Any) -> None:
        self.ax.plot(xs, ys, color=self.theme.rgb(color), linewidth=width, **kw)


_registered: set[str] = set()


def _register(font: Font) -> None:
    """Make matplotlib find ``font``'s family in the very file slidegen chose."""
    from matplotlib import font_manager

    key = str(font.path)
    if key not in _registered:
        font_manager.fontManager.addfont(key)
        _registered.add(key)
        # never a silent fallback to another family (the same family installed elsewhere is fine)
        font_manager.findfont(FontProperties(family=font.family), fallback_to_default=False)


MARGIN = 6  # clear space at the figure's edges, in points


def _rows_layout(
    c: Canvas, labels: list[str], top: float, bottom: float, label_width: float
) -> tuple[list[str], float]:
    """Wrapped labels and the row pitch; fails when the rows cannot hold their labels."""
    wrapped = [c.wrap(label, label_width - MARGIN, style.LABEL_PT) for label in labels]
    pitch = (top - bottom) / len(labels)
    tallest = max(c.text_height(w, style.LABEL_PT) for w in wrapped)
    if tallest > pitch + 1e-6:
        raise FitError(
            f"{len(labels)} rows need {tallest:.0f} pt each for their labels but have {pitch:.0f} pt; "
            "use the full width, shorter labels or fewer options"
        )
    return wrapped, pitch


def ranking(c: Canvas, rows: list[Row], unit: str, slot: str, series: str = "", color: str = style.PRIMARY) -> None:
    """Horizontal bars, one per row in the order given, each with its value."""
    label_width = c.width * style.LABEL_SHARE[slot]
    value_room = c.font.width("100.0倍", style.VALUE_PT) + 6
    top, bottom = c.height - 4, 4
    wrapped, pitch = _rows_layout(c, [r.label for r in rows], top, bottom, label_width)
    x0 = label_width + 8
    scale = (c.width - x0 - value_room) / max(max(r.value for r in rows), 1e-9)
    _axis(c, x0, top, bottom)
    for i, (row, label) in enumerate(zip(rows, wrapped)):
        y = top - (i + 0.5) * pitch
        h = min(pitch * style.BAR_HEIGHT, style.BAR_MAX_PT)
        c.text(
            label_width, y, label, style.LABEL_PT, f"label:{row.label}", ha="right", va="center", multialignment="left"
        )
        c.bar(x0, y - h / 2, max(row.value, 0) * scale, h, bar_color(row, color), f"bar:{series}:{row.label}")
        c.text(
            x0 + max(row.value, 0) * scale + 4,
            y,
            style.value_text(row.value, unit),
            style.VALUE_PT,
            f"value:{series}:{row.label}",
            va="center",
        )


def _axis(c: Canvas, x: float, top: float, bottom: float) -> None:
    c.line([x, x], [bottom, top], style.MUTED, 0.8, solid_capstyle="butt")


def paired(
    c: Canvas,
    first: list[Row],
    second: list[Row],
    names: tuple[str, str],
    headers: tuple[str, str],
    slot: str,
    gains: dict[int, float] | None,
) -> None:
    """Two panels side by side on one option list: the first series (実績) left, the second right;
    ``gains`` (option code → points) are printed beside the second series' bars."""
    label_width = c.width * style.LABEL_SHARE[slot] * 0.85
    gain_room = c.font.width("＋00.0pt", style.VALUE_PT) + 8 if gains is not None else 0
    value_room = c.font.width("100.0", style.VALUE_PT) + 6
    panel = (c.width - label_width - 8 - gain_room) / 2
    header_text = [c.wrap(h, panel - 10, style.HEADER_PT, 2) for h in headers]
    header_h = max(c.text_height(h, style.HEADER_PT) for h in header_text) + 6
    top, bottom = c.height - header_h - 4, 4
    wrapped, pitch = _rows_layout(c, [r.label for r in first], top, bottom, label_width)
    scale = (panel - value_room - 10) / max(max(r.value for r in first + second), 1e-9)
    for p, (rows, name, header, color) in enumerate(
        zip((first, second), names, header_text, (style.SECONDARY, style.PRIMARY))
    ):
        x0 = label_width + 8 + p * panel
        c.text(x0, c.height - 2, header, style.HEADER_PT, f"header:{name}", va="top", color=color if p else style.INK)
        _axis(c, x0, top, bottom)
        for i, row in enumerate(rows):
            y = top - (i + 0.5) * pitch
            h = min(pitch * style.BAR_HEIGHT, style.BAR_MAX_PT)
            c.bar(x0, y - h / 2, row.value * scale, h, bar_color(row, color), f"bar:{name}:{row.label}")
            c.text(
                x0 + row.value * scale + 4,
                y,
                style.value_text(row.value, "percent"),
                style.VALUE_PT,
                f"value:{name}:{row.label}",
                va="center",
            )
            if p == 1 and gains and row.code in gains:
                x = (
                    x0
                    + row.value * scale
                    + 4
                    + c.font.width(style.value_text(row.value, "percent"), style.VALUE_PT)
                    + 6
                )
                c.text(
                    x,
                    y,
                    style.gain_text(gains[row.code]),
                    style.VALUE_PT,
                    f"gain:{row.label}",
                    va="center",
                    color=style.ACCENT,
                )
    for i, (row, label) in enumerate(zip(first, wrapped)):
        c.text(
            label_width, top - (i + 0.5) * pitch, label, style.LABEL_PT, f"label:{row.label}", ha="right", va="center"
        )


def band(
    c: Canvas, rows: list[Row], bracket: tuple[str, float, list[int]] | None, favourable: Collection[int] = ()
) -> None:
    """One 100 % bar split in option order — the favourable answers in the main hues, the others in
    a contrasting one — each part labelled below with its share (under its own part, or hanging
    from a leader: :func:`~slidegen.figures.layout.band_labels`), and an optional bracket above
    summing some parts."""
    margin = 10
    x0, x1 = margin, c.width - margin
    band_h = style.BAND_HEIGHT_PT
    # a label breaks after its first clause (当初疎遠だったが、|関係が深まった): no narrower than the widest one
    label_width = band_label_width([r.label for r in rows], lambda t: c.font.width(t, style.LABEL_PT), x1 - x0)
    texts = [c.wrap(r.label, label_width, style.LABEL_PT) + "\n" + style.value_text(r.value, "percent") for r in rows]
    widths = [c.text_width(t, style.LABEL_PT) for t in texts]
    spans = band_spans([r.count or 0 for r in rows], x0, x1)
    places = band_labels(spans, widths, x0, x1)
    tier_h = max(c.text_height(t, style.LABEL_PT) for t in texts) + 8
    label_h = tier_h * (max(p.tier for p in places) + 1)
    bracket_h = (style.LABEL_PT * LINE + 16) if bracket else 0
    free = c.height - band_h - label_h - bracket_h - 16
    if free < 0:
        raise FitError("the band's labels do not fit under it")
    y_band = 4 + label_h + 12 + free / 2
    for r, (a, b), color in zip(rows, spans, band_colors(rows, favourable)):
        c.bar(a, y_band, b - a, band_h, color, f"bar::{r.label}")
        if 0 < b - a < style.THIN_PART_PT:  # a sliver stays visible: outlined
            c.ax.add_patch(
                Rectangle(
                    (a, y_band), b - a, band_h, facecolor="none", edgecolor=c.theme.rgb(style.MUTED), linewidth=0.75
                )
            )
    for r, t, (a, b), place in zip(rows, texts, spans, places):
        y_label = y_band - 10 - place.tier * tier_h
        x = (place.left + place.right) / 2 if place.align == "center" else place.right
        c.text(x, y_label, t, style.LABEL_PT, f"label:{r.label}", ha=place.align, va="top", multialignment=place.align)
        if place.leader:
            mid = (a + b) / 2
            c.line([mid, mid], [y_band, y_label + 2], style.MUTED, style.LEADER_PT, gid=f"leader:{r.label}")
    if bracket:
        label, value, indexes = bracket
        a, b = spans[indexes[0]][0], spans[indexes[-1]][1]
        y = y_band + band_h + 6
        c.line([a + 1, a + 1, b - 1, b - 1], [y, y + 7, y + 7, y], style.ACCENT, 1.2, gid="bracket-line")
        c.text(
            (a + b) / 2,
            y + 10,
            f"{label}→{style.percent_text(value)}",
            style.LABEL_PT,
            "bracket",
            ha="center",
            va="bottom",
            color=style.ACCENT,
        )


def doughnut(c: Canvas, rows: list[Row], center: Row | None) -> None:
    """A ring of the shares in option order, clockwise from the top, labelled outside; the
    ``center`` option's short label and share in the hole."""
    cx, cy = c.width / 2, c.height / 2
    radius = c.height * 0.42
    ring = radius * 0.36
    total = sum(r.count or 0 for r in rows)
    angle = 90.0
    for r, color in zip(rows, doughnut_colors(rows)):
        sweep = 360.0 * (r.count or 0) / total
        c.ax.add_patch(
            Wedge(
                (cx, cy),
                radius,
                angle - sweep,
                angle,
                width=ring,
                facecolor=c.theme.rgb(color),
                edgecolor="white",
                linewidth=1.5,
                gid=f"bar::{r.label}",
            )
        )
        mid = math.radians(angle - sweep / 2)
        x = cx + (radius + 14) * math.cos(mid)
        y = cy + (radius + 14) * math.sin(mid)
        right = math.cos(mid) >= 0
        label = c.wrap(r.label, c.width / 2 - radius - 30, style.LABEL_PT) + "\n" + style.percent_text(r.value)
        c.text(
            x,
            y,
            label,
            style.LABEL_PT,
            f"label:{r.label}",
            ha="left" if right else "right",
            va="center",
            multialignment="left" if right else "right",
        )
        angle -= sweep
    if center is not None:
        name = c.wrap(center.label, radius * 1.2, style.LABEL_PT, 2)
        c.text(cx, cy + 2, name, style.LABEL_PT, "center-label", ha="center", va="bottom", multialignment="center")
        c.text(
            cx,
            cy - 2,
            style.percent_text(center.value),
            style.CENTER_PT,
            "center",
            ha="center",
            va="top",
            color=style.PRIMARY,
        )
