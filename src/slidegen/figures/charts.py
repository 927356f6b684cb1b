"""The canvas every figure is drawn on, measured in points, and the bars that the ranking, gap
and paired kinds share.

Every chart is drawn as a :class:`~slidegen.figures.vector.Drawing` in points (0..width,
0..height), so layout is plain arithmetic with the font's own metrics and 10 pt is 10 pt on the
slide. Shapes carry a ``gid`` that names what they show — ``bar:<series>:<label>``,
``value:<series>:<label>``, ``label:<label>``, ``bracket``, ``gain:<label>``, ``center``,
``header:<series>`` — so tests can read a drawn figure's structure.

Each kind draws its own picture (:mod:`slidegen.figures.kinds`); :func:`bars` is a column of
labelled horizontal bars in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..aggregate import Row
from ..inputs.template import Theme
from . import style, wording
from .fonts import Font
from .jptext import wrap_balanced
from .layout import FitError, bar_color, bar_frame
from .vector import LINE, Drawing, Line, Rect, Text, Wedge


@dataclass
class Canvas:
    """A figure's :class:`~slidegen.figures.vector.Drawing` in points, the font, the template's
    theme (whose colours the figure takes), and helpers that measure and place text with them.
    Colours are given as the style names them — a theme slot (``accent1``) or ``#RRGGBB`` — and
    recorded as the theme resolves them."""

    drawing: Drawing
    font: Font
    theme: Theme

    @property
    def width(self) -> float:
        return self.drawing.width

    @property
    def height(self) -> float:
        return self.drawing.height

    def text_width(self, text: str, size: float) -> float:
        return max(self.font.width(line, size) for line in text.split("\n"))

    def text_height(self, text: str, size: float) -> float:
        return size * LINE * (text.count("\n") + 1)

    def wrap(self, text: str, width: float, size: float, max_lines: int = 3) -> str:
        return "\n".join(wrap_balanced(text, width, lambda s: self.font.width(s, size), max_lines))

    def text(
        self,
        x: float,
        y: float,
        s: str,
        size: float,
        gid: str,
        color: str = style.INK,
        ha: Any = "left",
        va: Any = "baseline",
        multialignment: Any = None,
    ) -> Text:
        """Text placed at (x, y) by ``ha`` and ``va``, its lines aligned by ``multialignment`` (``ha`` where not given)."""
        t = Text(_r(x), _r(y), s, _r(size), self.theme.rgb(color), gid, ha, va, multialignment or ha)
        self.drawing.shapes.append(t)
        return t

    def bar(self, x: float, y: float, w: float, h: float, color: str, gid: str) -> None:
        self.drawing.shapes.append(Rect(_r(x), _r(y), _r(w), _r(h), self.theme.rgb(color), gid))

    def outline(self, x: float, y: float, w: float, h: float, color: str, width: float, gid: str) -> None:
        """An unfilled rectangle's outline."""
        self.drawing.shapes.append(Rect(_r(x), _r(y), _r(w), _r(h), None, gid, self.theme.rgb(color), _r(width)))

    def line(
        self, xs: list[float], ys: list[float], color: str, width: float, gid: str = "", solid_capstyle: Any = "butt"
    ) -> None:
        self.drawing.shapes.append(
            Line(tuple(map(_r, xs)), tuple(map(_r, ys)), self.theme.rgb(color), _r(width), gid, solid_capstyle)
        )

    def wedge(
        self, cx: float, cy: float, radius: float, start: float, end: float, width: float, color: str, gid: str
    ) -> None:
        """A ring's segment, outlined in white."""
        self.drawing.shapes.append(
            Wedge(_r(cx), _r(cy), _r(radius), _r(start), _r(end), _r(width), self.theme.rgb(color), gid)
        )


def _r(v: float) -> float:
    """A coordinate to a thousandth of a point, as the SVG keeps it (what is drawn is what is read back)."""
    return round(float(v), 3)


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
    """Horizontal bars, one per row in the order given, each with its value, in the
    :func:`~slidegen.figures.layout.bar_frame` the native chart follows too."""
    frame = bar_frame(c.width, c.height, slot, len(rows))
    wrapped, pitch = rows_layout(c, [r.label for r in rows], frame.top, frame.bottom, frame.label)
    scale = (frame.right - frame.left) / max(max(r.value for r in rows), 1e-9)
    axis(c, frame.left, frame.top, frame.bottom)
    for i, (row, label) in enumerate(zip(rows, wrapped)):
        y = frame.top - (i + 0.5) * pitch
        h = frame.thickness
        c.text(
            frame.label, y, label, style.LABEL_PT, f"label:{row.label}", ha="right", va="center", multialignment="left"
        )
        c.bar(frame.left, y - h / 2, max(row.value, 0) * scale, h, bar_color(row, color), f"bar:{series}:{row.label}")
        c.text(
            frame.left + max(row.value, 0) * scale + 4,
            y,
            wording.value_text(row.value, unit),
            style.VALUE_PT,
            f"value:{series}:{row.label}",
            va="center",
        )


def axis(c: Canvas, x: float, top: float, bottom: float) -> None:
    c.line([x, x], [bottom, top], style.MUTED, 0.8, solid_capstyle="butt")
