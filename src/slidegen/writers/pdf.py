"""The PDF writer: draws the slide model with reportlab, one 16:9 page per slide.

It reads the same :class:`~slidegen.slides.Deck` as the PPTX writer — the same boxes, sizes and
already-wrapped lines — so the two cannot drift. Figures are drawn from their SVG as vectors
(svglib), their labels as text in the same embedded font. The Japanese font is embedded as a subset (reportlab subsets TrueType fonts) with a
ToUnicode map, so the text can be searched and copied; the canvas starts in that font, so no
unembedded standard font is ever referenced. Invariant mode makes the file byte-identical across
runs. The document carries its title, author, subject and language (ja-JP), and an outline with
one entry per slide.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from ..figures.fonts import bold_of
from ..ooxml import EMU_PER_PT
from ..slides import LEADING, PARAGRAPH_GAP, Deck, Paragraph, Picture, Slide, TextBlock

REGULAR, BOLD = "slidegen-ja", "slidegen-ja-bold"
BASELINE = 0.78  # share of a line's height above its baseline


def _ttfont(name: str, path: Path) -> None:
    """Register the TrueType file at ``path`` as ``name`` — unless this process already has it so
    (a font is parsed once; each document keeps its own subset of it)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if getattr(face, "filename", None) == str(path):
            return
    pdfmetrics.registerFont(TTFont(name, str(path)))


def _register(deck: Deck) -> None:
    from svglib.fonts import get_global_font_map

    _ttfont(REGULAR, deck.font.path)
    _ttfont(BOLD, bold_of(deck.font).path)
    # the figures' SVG names the font by its family: register the chosen file under that name,
    # so their text is drawn in it (and svglib never looks for a font of its own)
    _ttfont(deck.font.family, deck.font.path)
    fonts = get_global_font_map()
    fonts.register_font(deck.font.family, rlgFontName=deck.font.family)
    fonts.register_font(deck.font.family, weight="bold", rlgFontName=BOLD)


def _pt(emu: int) -> float:
    return emu / EMU_PER_PT


def _color(c: Any, hex_color: str) -> None:
    from reportlab.lib.colors import HexColor

    c.setFillColor(HexColor(f"#{hex_color}"))
    c.setStrokeColor(HexColor(f"#{hex_color}"))


def laid_lines(block: TextBlock) -> list[tuple[float, str, Paragraph, int]]:
    """Each line of a block where it is set: its baseline in points from the top of the page, its
    text, its paragraph and its index there — anchored in the box as the layout says (at the top,
    in the middle, or at the bottom: the cover's title). What the PDF and the thumbnail draw."""
    style = block.style
    top, height = _pt(style.box.top), _pt(style.box.height)
    size = block.size
    line = size * LEADING
    total = sum(len(p.lines) for p in block.paragraphs) * line + (len(block.paragraphs) - 1) * size * PARAGRAPH_GAP
    y = top + {"b": height - total, "ctr": (height - total) / 2}.get(style.anchor, 0)
    laid = []
    for paragraph in block.paragraphs:
        for i, text in enumerate(paragraph.lines):
            laid.append((y + line * BASELINE, text, paragraph, i))
            y += line
        y += size * PARAGRAPH_GAP
    return laid


def _draw_block(c: Any, block: TextBlock, page_height: float) -> None:
    style = block.style
    left, top = _pt(style.box.left), _pt(style.box.top)
    width, height = _pt(style.box.width), _pt(style.box.height)
    if style.outline is not None:  # the frame the layout draws around the box (a sample deck's stamp)
        _color(c, style.outline)
        c.setLineWidth(1.5)
        c.rect(left, page_height - top - height, width, height, stroke=1, fill=0)
    c.setFont(BOLD if style.bold else REGULAR, block.size)
    _color(c, style.color)
    for y, text, paragraph, i in laid_lines(block):
        baseline = page_height - y
        if paragraph.bullet and i == 0:
            c.drawString(left, baseline, paragraph.bullet)
        if style.align == "ctr":
            c.drawCentredString(left + width / 2, baseline, text)
        elif style.align == "r":
            c.drawRightString(left + width, baseline, text)
        else:
            c.drawString(left + (block.indent if paragraph.bullet else 0.0), baseline, text)


def _drawing(svg: bytes, cache: Path | None) -> Any:
    """The SVG converted to a reportlab drawing; with ``cache``, kept by content so a rebuild does
    not convert an unchanged figure again (converting is most of the PDF step's time)."""
    import hashlib
    import pickle

    import reportlab
    import svglib
    from svglib.svglib import svg2rlg

    path = None
    if cache is not None:
        key = hashlib.sha256(svg + f"{svglib.__version__}/{reportlab.Version}".encode()).hexdigest()
        path = cache / f"{key}.rlg"
        if path.exists():
            return pickle.loads(path.read_bytes())  # written by this function, below: never foreign data
    drawing = svg2rlg(io.BytesIO(svg))
    if path is not None:
        from .outputs import write_atomic

        write_atomic(path, pickle.dumps(drawing, protocol=pickle.HIGHEST_PROTOCOL))
    return drawing


def _draw_picture(c: Any, picture: Picture, page_height: float, cache: Path | None) -> None:
    from reportlab.graphics import renderPDF, shapes

    drawing = _drawing(picture.svg, cache)
    box = picture.box
    scale = _pt(box.width) / drawing.width
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    drawing.scale(scale, scale)
    # the renderer starts each drawing in reportlab's default font (an unembedded Helvetica): start it in ours
    default = shapes.STATE_DEFAULTS["fontName"]
    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    try:
        renderPDF.draw(drawing, c, _pt(box.left), page_height - _pt(box.top) - _pt(box.height))
    finally:
        shapes.STATE_DEFAULTS["fontName"] = default


#: the roles of a slide's text before its figures, in the order a reader takes them; after the
#: figures (each after its caption and unit line): its notes, then what frames every slide
LEAD_ROLES = ("title", "subtitle", "heading", "byline", "overview", "bullets", "subheading")
TAIL_ROLES = ("footnotes", "stamp", "footer", "number")


def reading_order(slide: Slide) -> list[TextBlock | Picture]:
    """A slide's texts and figures in the order they are read — and drawn, so the PDF's text
    comes out in it (a copy, a screen reader, ``pdftotext``): heading and sentences, each figure's
    caption, unit line and drawing, the notes, then the footer and page number. (Nothing on a
    slide overlaps, so the order changes nothing that is seen.)"""
    blocks = {b.role: b for b in slide.blocks}
    order: list[TextBlock | Picture] = [blocks[r] for r in LEAD_ROLES if r in blocks]
    order += [b for b in slide.blocks if b.role not in LEAD_ROLES + TAIL_ROLES and not b.role[-1:].isdigit()]
    for k, picture in enumerate(slide.pictures, start=1):
        order += [blocks[r] for r in (f"caption{k}", f"unit{k}") if r in blocks]
        order.append(picture)
    order += [b for b in slide.blocks if b.role[-1:].isdigit() and b not in order]
    return order + [blocks[r] for r in TAIL_ROLES if r in blocks]


def pdf_bytes(deck: Deck, cache: Path | None = None) -> bytes:
    """The deck as a PDF, the same bytes for the same deck (``cache``: a folder for converted figures)."""
    from reportlab.pdfgen.canvas import Canvas

    _register(deck)
    width, height = _pt(deck.width), _pt(deck.height)
    out = io.BytesIO()
    # reportlab dates the document from SOURCE_DATE_EPOCH when it is set (else, invariant, 2000-01-01)
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(deck.created.timestamp()))
    try:
        c = Canvas(
            out,
            pagesize=(width, height),
            invariant=1,
            pageCompression=1,
            initialFontName=REGULAR,
            initialFontSize=12,
            lang="ja-JP",
        )
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    c.setTitle(deck.title)
    c.setAuthor(deck.author)
    c.setSubject(deck.subject)
    c.setCreator("slidegen")
    c.setKeywords("")
    c.setViewerPreference("DisplayDocTitle", "true")  # a reader's window shows the title, not the file name
    for slide in deck.slides:
        key = f"slide{slide.number}"
        c.bookmarkPage(key)
        c.addOutlineEntry(f"{slide.number}. {slide.heading}", key, level=0)
        for rule in slide.rules:
            _color(c, rule.color)
            c.setLineWidth(_pt(rule.width))
            c.line(_pt(rule.x1), height - _pt(rule.y1), _pt(rule.x2), height - _pt(rule.y2))
        for item in reading_order(slide):
            if isinstance(item, Picture):
                _draw_picture(c, item, height, cache)
            else:
                _draw_block(c, item, height)
        c.showPage()
    c.showOutline()
    c.save()
    return out.getvalue()
