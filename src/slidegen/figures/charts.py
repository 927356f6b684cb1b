"""The canvas every matplotlib figure is drawn on, measured in points, and the bars that
the ranking, gap and paired kinds share.

Every chart is drawn on one axes that covers its figure, with data coordinates in points
(0..width, 0..height), so layout is plain arithmetic with the font's own metrics and 10 pt is
10 pt on the slide. Artists carry a ``gid`` that names what they show — ``bar:<series>:<label>``,
``value:<series>:<label>``, ``label:<label>``, ``bracket``, ``gain:<label>``, ``center``,
``header:<series>`` — so tests can read a drawn figure's structure.

Each kind draws its own picture (:mod:`slidegen.figures.kinds`); :func:`bars` is a column of
labelled horizontal bars in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from ..aggregate import Row
from ..inputs.template import Theme
from . import style, wording
from .fonts import Font
from .jptext import wrap_balanced
from .layout import FitError, bar_color

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


def rows_layout(c: Canvas, labels: list[str], top: float, bottom: float, label_width: float) -> tuple[list[str], float]:
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


def bars(c: Canvas, rows: list[Row], unit: str, slot: str, series: str = "", color: str = style.PRIMARY) -> None:
    """Horizontal bars, one per row in the order given, each with its value."""
    label_width = c.width * style.LABEL_SHARE[slot]
    value_room = c.font.width("100.0倍", style.VALUE_PT) + 6
    top, bottom = c.height - 4, 4
    wrapped, pitch = rows_layout(c, [r.label for r in rows], top, bottom, label_width)
    x0 = label_width + 8
    scale = (c.width - x0 - value_room) / max(max(r.value for r in rows), 1e-9)
    axis(c, x0, top, bottom)
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
            wording.value_text(row.value, unit),
            style.VALUE_PT,
            f"value:{series}:{row.label}",
            va="center",
        )


def axis(c: Canvas, x: float, top: float, bottom: float) -> None:
    c.line([x, x], [bottom, top], style.MUTED, 0.8, solid_capstyle="butt")
