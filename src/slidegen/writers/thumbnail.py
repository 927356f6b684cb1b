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
    """The cover slide as a small JPEG: its rules and its texts in the deck's font and colours
    (drawn with Pillow: a few lines of text need no figure)."""
    from PIL import Image, ImageDraw, ImageFont

    from ..figures.fonts import bold_of

    scale = WIDTH_PX / (deck.width / EMU_PER_PT)  # pixels per point
    image = Image.new("RGB", (WIDTH_PX, round(deck.height / EMU_PER_PT * scale)), "white")
    draw = ImageDraw.Draw(image)
    cover = deck.slides[0]
    for rule in cover.rules:
        ends = [(x / EMU_PER_PT * scale, y / EMU_PER_PT * scale) for x, y in ((rule.x1, rule.y1), (rule.x2, rule.y2))]
        draw.line(ends, fill=f"#{rule.color}", width=max(1, round(rule.width / EMU_PER_PT * scale)))
    paths = {False: str(deck.font.path), True: str(bold_of(deck.font).path)}
    for block in cover.blocks:
        font = ImageFont.truetype(paths[block.style.bold], block.size * scale)
        _block(draw, block, font, scale)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _block(draw: Any, block: TextBlock, font: Any, scale: float) -> None:
    """A text block as the PDF writer sets it (:func:`~slidegen.writers.pdf.laid_lines`)."""
    style = block.style
    left, top = style.box.left / EMU_PER_PT * scale, style.box.top / EMU_PER_PT * scale
    width, height = style.box.width / EMU_PER_PT * scale, style.box.height / EMU_PER_PT * scale
    if style.outline is not None:
        draw.rectangle((left, top, left + width, top + height), outline=f"#{style.outline}", width=1)
    x, anchor = {"ctr": (left + width / 2, "ms"), "r": (left + width, "rs")}.get(style.align, (left, "ls"))
    for y, text, _, _ in laid_lines(block):
        draw.text((x, y * scale), text, font=font, fill=f"#{style.color}", anchor=anchor)
