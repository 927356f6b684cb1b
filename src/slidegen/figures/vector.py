"""A figure as a list of shapes in points — texts, rectangles, lines, ring segments — and what
draws it: SVG (the web page and the PDF), a reportlab canvas (the PDF), matplotlib (the PNG).

A kind's picture renderer draws on a :class:`~slidegen.figures.charts.Canvas`, which records
here; nothing in the figure depends on a library's layout. Every text is placed line by line at
baselines this module works out from the font's own metrics (:func:`lines_of`), so the layout
check (:func:`slidegen.figures.check_layout`), the SVG, the PDF and the PNG put each line in the
same place. Coordinates are points from the figure's bottom left, as the slide's figures are
measured; colours are ``#RRGGBB``. Each shape carries a ``gid`` naming what it shows
(``bar:<series>:<label>``, ``label:<label>``, ``leader:<label>`` …), kept as the SVG element's id.

The SVG is slidegen's own and small: one ``<g>`` per shape, the shape's geometry in ``data-``
attributes too, so :func:`from_svg` reads a cached figure back exactly, without an SVG library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .style import LINE  # line height, as a multiple of the font size (the house style's)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .fonts import Font

HAlign = Literal["left", "center", "right"]
VAlign = Literal["top", "center", "bottom", "baseline"]


@dataclass(frozen=True)
class Text:
    """Lines of text: its block placed at (x, y) by ``ha`` and ``va``, each line aligned in the
    block by ``align``."""

    x: float
    y: float
    text: str
    size: float
    color: str
    gid: str
    ha: HAlign = "left"
    va: VAlign = "baseline"
    align: HAlign = "left"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str | None
    gid: str
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True)
class Line:
    """A polyline, its ends cut square (butt) or round."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    color: str
    width: float
    gid: str
    cap: Literal["butt", "round"] = "butt"


@dataclass(frozen=True)
class Wedge:
    """A ring's segment from ``start`` to ``end`` degrees (counter-clockwise from three o'clock),
    ``width`` thick inside its outer ``radius``, outlined in ``edge``."""

    cx: float
    cy: float
    radius: float
    start: float
    end: float
    width: float
    fill: str
    gid: str
    edge: str = "#FFFFFF"
    edge_width: float = 1.5


Shape = Text | Rect | Line | Wedge


@dataclass
class Drawing:
    """A figure: its size in points, the font its texts are set and measured in, and its shapes in drawing order."""

    width: float
    height: float
    font: Font
    shapes: list[Shape] = field(default_factory=list)

    def texts(self, prefix: str = "") -> list[Text]:
        return [s for s in self.shapes if isinstance(s, Text) and s.gid.startswith(prefix)]

    def find(self, prefix: str) -> list[Shape]:
        """The shapes whose gid starts with ``prefix``, in drawing order."""
        return [s for s in self.shapes if s.gid.startswith(prefix)]


@dataclass(frozen=True)
class SetLine:
    """One line of a text where it is set: its left end and baseline, its width, and its text."""

    x: float
    baseline: float
    width: float
    text: str


def _vertical(font: Font) -> tuple[float, float]:
    """The font's ascent and descent as shares of its em, scaled so together they are one em."""
    ascent, descent = font.extent()
    total = ascent + descent
    return ascent / total, descent / total


def lines_of(t: Text, font: Font) -> list[SetLine]:
    """Each line of ``t`` where it is set, with the font's own widths and vertical metrics: lines
    ``LINE`` × size apart, the block's top an ascent above its first baseline and its bottom a
    descent below its last."""
    rows = t.text.split("\n")
    ascent, descent = _vertical(font)
    pitch = t.size * LINE
    height = ascent * t.size + (len(rows) - 1) * pitch + descent * t.size
    widths = [font.width(r, t.size) for r in rows]
    block = max(widths)
    top = {
        "top": t.y,
        "bottom": t.y + height,
        "center": t.y + height / 2,
        "baseline": t.y + ascent * t.size,
    }[t.va]
    left = {"left": t.x, "center": t.x - block / 2, "right": t.x - block}[t.ha]
    set_lines = []
    for i, (row, w) in enumerate(zip(rows, widths)):
        x = {"left": left, "center": left + (block - w) / 2, "right": left + block - w}[t.align]
        set_lines.append(SetLine(x, top - ascent * t.size - i * pitch, w, row))
    return set_lines


def text_box(t: Text, font: Font) -> tuple[float, float, float, float]:
    """The box a text covers: (x0, y0, x1, y1), from its lines' ends and the block's ascent and descent."""
    lines = lines_of(t, font)
    ascent, descent = _vertical(font)
    return (
        min(line.x for line in lines),
        lines[-1].baseline - descent * t.size,
        max(line.x + line.width for line in lines),
        lines[0].baseline + ascent * t.size,
    )


def _wedge_path(w: Wedge) -> str:
    """The SVG path of a ring segment, y down (a whole ring as two halves: an arc cannot close on itself)."""
    sweep = w.end - w.start
    if sweep >= 359.99:
        half = Wedge(w.cx, w.cy, w.radius, w.start, w.start + 180, w.width, w.fill, w.gid)
        other = Wedge(w.cx, w.cy, w.radius, w.start + 180, w.start + 360, w.width, w.fill, w.gid)
        return _wedge_path(half) + " " + _wedge_path(other)
    inner = w.radius - w.width

    def at(r: float, deg: float) -> str:
        a = math.radians(deg)
        return f"{w.cx + r * math.cos(a):.3f} {-(w.cy + r * math.sin(a)):.3f}"

    large = 1 if sweep > 180 else 0
    return (
        f"M {at(w.radius, w.start)} A {w.radius:.3f} {w.radius:.3f} 0 {large} 0 {at(w.radius, w.end)} "
        f"L {at(inner, w.end)} A {inner:.3f} {inner:.3f} 0 {large} 1 {at(inner, w.start)} Z"
    )


def _n(v: float) -> str:
    return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def to_svg(d: Drawing) -> bytes:
    """The drawing as SVG, y down, text as text in the figure's font family (searchable, and set in
    the embedded font by the PDF): the same bytes for the same drawing."""
    from xml.sax.saxutils import escape, quoteattr

    font = d.font
    out = [
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(d.width)}pt" height="{_n(d.height)}pt" '
        f'viewBox="0 0 {_n(d.width)} {_n(d.height)}" version="1.1">',
        f'<g transform="translate(0 {_n(d.height)})" font-family={quoteattr(font.family + ", sans-serif")}>',
    ]
    for s in d.shapes:
        gid = f" id={quoteattr(s.gid)}" if s.gid else ""  # (an unnamed shape: an axis)
        if isinstance(s, Text):
            out.append(
                f'<g{gid} data-kind="text" data-x="{_n(s.x)}" data-y="{_n(s.y)}" data-size="{_n(s.size)}" '
                f'data-ha="{s.ha}" data-va="{s.va}" data-align="{s.align}" fill="{s.color}" font-size="{_n(s.size)}">'
            )
            for line in lines_of(s, font):
                out.append(
                    f'<text x="{_n(line.x)}" y="{_n(-line.baseline)}" xml:space="preserve">{escape(line.text)}</text>'
                )
            out.append("</g>")
        elif isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}" stroke-width="{_n(s.stroke_width)}"' if s.stroke else ""
            out.append(
                f'<g{gid} data-kind="rect"><rect x="{_n(s.x)}" y="{_n(-(s.y + s.h))}" width="{_n(s.w)}" '
                f'height="{_n(s.h)}" fill="{s.fill or "none"}"{stroke}/></g>'
            )
        elif isinstance(s, Line):
            points = " ".join(f"{_n(x)},{_n(-y)}" for x, y in zip(s.xs, s.ys))
            out.append(
                f'<g{gid} data-kind="line"><polyline points="{points}" fill="none" stroke="{s.color}" '
                f'stroke-width="{_n(s.width)}" stroke-linecap="{s.cap}"/></g>'
            )
        else:
            out.append(
                f'<g{gid} data-kind="wedge" data-cx="{_n(s.cx)}" data-cy="{_n(s.cy)}" data-radius="{_n(s.radius)}" '
                f'data-start="{_n(s.start)}" data-end="{_n(s.end)}" data-width="{_n(s.width)}">'
                f'<path d="{_wedge_path(s)}" fill="{s.fill}" stroke="{s.edge}" stroke-width="{_n(s.edge_width)}" '
                'stroke-linejoin="miter"/></g>'
            )
    out += ["</g>", "</svg>", ""]
    return "\n".join(out).encode("utf-8")


def from_svg(data: bytes, font: Font) -> Drawing:
    """A drawing read back from :func:`to_svg`'s SVG (a cached figure), shape for shape, its texts in ``font``."""
    from lxml import etree

    ns = "{http://www.w3.org/2000/svg}"
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    view = [float(v) for v in root.get("viewBox").split()]
    drawing = Drawing(view[2], view[3], font)
    for g in root.iter(f"{ns}g"):
        kind, gid = g.get("data-kind"), g.get("id") or ""
        if kind == "text":
            drawing.shapes.append(
                Text(
                    float(g.get("data-x")),
                    float(g.get("data-y")),
                    "\n".join(t.text or "" for t in g.iter(f"{ns}text")),
                    float(g.get("data-size")),
                    g.get("fill"),
                    gid,
                    g.get("data-ha"),
                    g.get("data-va"),
                    g.get("data-align"),
                )
            )
        elif kind == "rect":
            r = g.find(f"{ns}rect")
            fill = r.get("fill")
            drawing.shapes.append(
                Rect(
                    float(r.get("x")),
                    round(-float(r.get("y")) - float(r.get("height")), 3),
                    float(r.get("width")),
                    float(r.get("height")),
                    None if fill == "none" else fill,
                    gid,
                    r.get("stroke"),
                    float(r.get("stroke-width") or 0),
                )
            )
        elif kind == "line":
            p = g.find(f"{ns}polyline")
            pairs = [tuple(float(v) for v in xy.split(",")) for xy in p.get("points").split()]
            drawing.shapes.append(
                Line(
                    tuple(x for x, _ in pairs),
                    tuple(-y for _, y in pairs),
                    p.get("stroke"),
                    float(p.get("stroke-width")),
                    gid,
                    p.get("stroke-linecap"),
                )
            )
        elif kind == "wedge":
            p = g.find(f"{ns}path")
            drawing.shapes.append(
                Wedge(
                    float(g.get("data-cx")),
                    float(g.get("data-cy")),
                    float(g.get("data-radius")),
                    float(g.get("data-start")),
                    float(g.get("data-end")),
                    float(g.get("data-width")),
                    p.get("fill"),
                    gid,
                    p.get("stroke"),
                    float(p.get("stroke-width")),
                )
            )
    return drawing


def _rgb(hex_color: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(hex_color)


def draw_string(c: Any, x: float, y: float, text: str, char_space: float = 0.0) -> None:
    """``text`` set on the reportlab canvas ``c`` from (``x``, ``y``): what ``Canvas.drawString``
    writes, byte for byte, less its measuring the text's width first, which it does not use (its
    bidirectional shaping, a no-op without rlbidi, hands the width back with the text)."""
    t = c.beginText(x, y)
    if char_space:
        t.setCharSpace(char_space)
    t.textLine(text)
    if char_space:
        t.setCharSpace(0)
    c.drawText(t)


def to_canvas(c: Any, d: Drawing, font_name: str, x: float, y: float, scale: float) -> None:
    """Draw ``d`` on the reportlab canvas ``c`` with its bottom left at (``x``, ``y``), scaled by
    ``scale``, its texts as text in the registered font ``font_name`` (the drawing's font's file)."""
    font = d.font
    c.saveState()
    c.translate(x, y)
    c.scale(scale, scale)
    for s in d.shapes:
        if isinstance(s, Text):
            c.setFillColor(_rgb(s.color))
            c.setFont(font_name, s.size)
            for line in lines_of(s, font):
                draw_string(c, line.x, line.baseline, line.text)
        elif isinstance(s, Rect):
            if s.fill:
                c.setFillColor(_rgb(s.fill))
            if s.stroke:
                c.setStrokeColor(_rgb(s.stroke))
                c.setLineWidth(s.stroke_width)
            c.rect(s.x, s.y, s.w, s.h, stroke=1 if s.stroke else 0, fill=1 if s.fill else 0)
        elif isinstance(s, Line):
            c.setStrokeColor(_rgb(s.color))
            c.setLineWidth(s.width)
            c.setLineCap(0 if s.cap == "butt" else 1)
            path = c.beginPath()
            path.moveTo(s.xs[0], s.ys[0])
            for px, py in zip(s.xs[1:], s.ys[1:]):
                path.lineTo(px, py)
            c.drawPath(path, stroke=1, fill=0)
        else:
            c.setFillColor(_rgb(s.fill))
            c.setStrokeColor(_rgb(s.edge))
            c.setLineWidth(s.edge_width)
            c.setLineJoin(0)
            inner = s.radius - s.width
            path = c.beginPath()
            sweep = s.end - s.start
            path.arc(s.cx - s.radius, s.cy - s.radius, s.cx + s.radius, s.cy + s.radius, s.start, sweep)
            path.arcTo(s.cx - inner, s.cy - inner, s.cx + inner, s.cy + inner, s.end, -sweep)
            path.close()
            c.drawPath(path, stroke=1, fill=1)
    c.restoreState()


def to_matplotlib(d: Drawing, props: Any) -> Figure:
    """The drawing as a matplotlib figure of its size (for the PNG), each line of text at the
    baseline :func:`lines_of` sets it on; ``props(size)`` gives the font properties."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.patches import Wedge as MplWedge

    font = d.font
    fig = Figure(figsize=(d.width / 72, d.height / 72), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, d.width)
    ax.set_ylim(0, d.height)
    ax.set_axis_off()
    for s in d.shapes:
        if isinstance(s, Text):
            for line in lines_of(s, font):
                ax.text(line.x, line.baseline, line.text, fontproperties=props(s.size), color=s.color, va="baseline")
        elif isinstance(s, Rect):
            ax.add_patch(
                Rectangle(
                    (s.x, s.y),
                    s.w,
                    s.h,
                    facecolor=s.fill or "none",
                    edgecolor=s.stroke or "none",
                    linewidth=s.stroke_width,
                )
            )
        elif isinstance(s, Line):
            ax.plot(s.xs, s.ys, color=s.color, linewidth=s.width, solid_capstyle=s.cap)
        else:
            ax.add_patch(
                MplWedge(
                    (s.cx, s.cy),
                    s.radius,
                    s.start,
                    s.end,
                    width=s.width,
                    facecolor=s.fill,
                    edgecolor=s.edge,
                    linewidth=s.edge_width,
                )
            )
    return fig
