"""The deck's thumbnail (``docProps/thumbnail.jpeg``): its cover as a file browser shows it,
drawn from the slide model the way the PDF writer lays out a text block — the same boxes, sizes,
lines and anchors — where the template's was a blank page."""

from __future__ import annotations

import io
from typing import Any

from ..ooxml import EMU_PER_PT
from ..slides import Deck, TextBlock
from .pdf import laid_lines

#: the thumbnail's width in pixels (PowerPoint writes 256)
WIDTH_PX = 256


def cover_thumbnail(deck: Deck) -> bytes:
    """The cover slide as a small JPEG: its rules and its texts in the deck's font and colours."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from ..figures.fonts import bold_of

    width, height = deck.width / EMU_PER_PT, deck.height / EMU_PER_PT  # points
    dpi = WIDTH_PX / (width / 72)
    fig = Figure(figsize=(width / 72, height / 72), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y down, as the slide measures it
    ax.set_axis_off()
    cover = deck.slides[0]
    for rule in cover.rules:
        ax.plot(
            [rule.x1 / EMU_PER_PT, rule.x2 / EMU_PER_PT],
            [rule.y1 / EMU_PER_PT, rule.y2 / EMU_PER_PT],
            color=f"#{rule.color}",
            linewidth=rule.width / EMU_PER_PT * dpi / 72,
        )
    fonts = {False: FontProperties(fname=str(deck.font.path)), True: FontProperties(fname=str(bold_of(deck.font).path))}
    for block in cover.blocks:
        _block(ax, block, fonts[block.style.bold])
    out = io.BytesIO()
    fig.savefig(out, format="jpeg", dpi=dpi, pil_kwargs={"quality": 85, "optimize": False})
    return out.getvalue()


def _block(ax: Any, block: TextBlock, font: Any) -> None:
    """A text block as the PDF writer sets it (:func:`~slidegen.writers.pdf.laid_lines`)."""
    from matplotlib.patches import Rectangle

    style = block.style
    left, top = style.box.left / EMU_PER_PT, style.box.top / EMU_PER_PT
    width, height = style.box.width / EMU_PER_PT, style.box.height / EMU_PER_PT
    if style.outline is not None:
        ax.add_patch(Rectangle((left, top), width, height, fill=False, edgecolor=f"#{style.outline}", linewidth=0.5))
    x, align = {"ctr": (left + width / 2, "center"), "r": (left + width, "right")}.get(style.align, (left, "left"))
    for y, text, _, _ in laid_lines(block):
        ax.text(x, y, text, fontproperties=font, size=block.size, color=f"#{style.color}", ha=align, va="baseline")
