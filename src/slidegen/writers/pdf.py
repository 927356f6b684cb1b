"""The PDF writer: draws the slide model with reportlab, one 16:9 page per slide — a tagged PDF/UA-1 document.

It reads the same :class:`~slidegen.slides.Deck` as the PPTX writer — the same boxes, sizes and
already-wrapped lines — so the two cannot drift. Figures are drawn as vectors from their SVG,
which slidegen writes itself and reads back shape for shape (:mod:`slidegen.figures.vector`),
their labels as text in the same embedded font. The Japanese font is embedded as a
subset (reportlab subsets TrueType fonts) with a ToUnicode map, so the text can be searched and
copied; the canvas starts in that font, so no unembedded standard font is ever referenced.
Invariant mode makes the file byte-identical across runs. reportlab's own C speed-ups (the
rl_accel package: numbers and encodings written in C) are a dependency: the same bytes, a fifth
sooner. The document carries its title (shown as
the window's title), author, subject and language (ja-JP), and an outline with one entry per slide.

Each page is drawn in reading order and tagged as it is drawn (:mod:`slidegen.writers.pdf_tags`):
the heading, the sentences as a list, each figure's caption and unit line, the figure — alternate
text the PPTX's — followed by its data as a table (invisible text, for a screen reader and a copy),
the notes; the rules, the running footer and the page number are artifacts.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from ..figures.fonts import Font, bold_of
from ..figures.vector import draw_string
from ..ooxml import EMU_PER_PT
from ..slides import LEADING, Deck, Paragraph, Picture, Slide, TextBlock
from .figure_data import data_table
from .pdf_tags import Element, Metadata, Tagger, tag

REGULAR, BOLD = "slidegen-ja", "slidegen-ja-bold"
BASELINE = 0.78  # share of a line's height above its baseline


def _ttfont(name: str, path: Path) -> None:
    """Register the TrueType file at ``path`` as ``name`` — unless this process already has it so
    (a font is parsed once, or put together from what a build kept: :mod:`.pdf_faces`; each
    document keeps its own subset of it)."""
    from reportlab.pdfbase import pdfmetrics

    from .pdf_faces import ttfont

    if name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if getattr(face, "filename", None) == str(path):
            return
    pdfmetrics.registerFont(ttfont(name, path))


def prepare(font: Font) -> None:
    """What writing a PDF in ``font`` needs before there is a deck: reportlab and pikepdf imported,
    the font and its bold face parsed and registered — done while a build waits for its data, so
    a writer forked after finds them ready."""
    for step in preparing(font):
        step()


def preparing(font: Font) -> list[Callable[[], None]]:
    """:func:`prepare`'s steps, each a few hundredths of a second, so that a build that prepares
    while it waits for its data can stop between them once the data have come."""
    return [
        _import_reportlab,
        _import_pikepdf,
        partial(_ttfont, REGULAR, font.path),
        partial(_ttfont, BOLD, bold_of(font).path),
    ]


def _import_reportlab() -> None:
    import reportlab.pdfgen.canvas  # noqa: F401


def _import_pikepdf() -> None:
    import pikepdf  # noqa: F401


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
    total = sum(len(p.lines) for p in block.paragraphs) * line + (len(block.paragraphs) - 1) * block.gap
    y = top + {"b": height - total, "ctr": (height - total) / 2}.get(style.anchor, 0)
    laid = []
    for paragraph in block.paragraphs:
        for i, text in enumerate(paragraph.lines):
            laid.append((y + line * BASELINE, text, paragraph, i))
            y += line
        y += block.gap
    return laid


#: the structure type of a block's paragraphs, by the block's role (any other role: ``P``)
HEADINGS = {"title": "H1", "heading": "H2", "subheading": "H3"}
#: roles drawn as pagination artifacts (running text a reader need not hear on every page), by subtype
PAGINATION = {"footer": "Footer", "number": None}


def _draw_block(c: Any, block: TextBlock, page_height: float, tags: Tagger, section: Element) -> None:
    """A text block, each paragraph tagged (a heading, a paragraph, or a list item: its bullet as
    the label, its text as the body), or — the running footer, the page number — an artifact."""
    style = block.style
    left, top = _pt(style.box.left), _pt(style.box.top)
    width, height = _pt(style.box.width), _pt(style.box.height)
    if style.outline is not None:  # the frame the layout draws around the box (a sample deck's stamp)
        with tags.artifact():
            _color(c, style.outline)
            c.setLineWidth(1.5)
            c.rect(left, page_height - top - height, width, height, stroke=1, fill=0)
    c.setFont(BOLD if style.bold else REGULAR, block.size)
    _color(c, style.color)
    paragraphs: list[list[tuple[float, str, Paragraph, int]]] = []
    for line in laid_lines(block):
        if line[3] == 0:
            paragraphs.append([])
        paragraphs[-1].append(line)
    if block.role in PAGINATION:
        with tags.artifact("Pagination", PAGINATION[block.role]):
            for lines in paragraphs:
                _draw_lines(c, block, lines, page_height)
        return
    listed = section.add("L") if any(p.bullet for p in block.paragraphs) else None
    for lines in paragraphs:
        paragraph = lines[0][2]
        if listed is not None and paragraph.bullet:
            item = listed.add("LI")
            with tags.content(item.add("Lbl")):
                draw_string(c, left, page_height - lines[0][0], paragraph.bullet)
            body = item.add("LBody")
        else:
            body = section.add(HEADINGS.get(block.role, "P"))
        with tags.content(body):
            _draw_lines(c, block, lines, page_height)


def _draw_lines(c: Any, block: TextBlock, lines: list[tuple[float, str, Paragraph, int]], page_height: float) -> None:
    """A paragraph's lines, each at its baseline, aligned as the block says (its bullet apart)."""
    style = block.style
    left, width = _pt(style.box.left), _pt(style.box.width)
    for y, text, paragraph, _ in lines:
        baseline = page_height - y
        spaced = paragraph.spacing  # a paragraph set looser or tighter, as the PPTX sets it (spc)
        if style.align == "ctr":
            c.drawCentredString(left + width / 2, baseline, text, charSpace=spaced)
        elif style.align == "r":
            c.drawRightString(left + width, baseline, text, charSpace=spaced)
        else:
            draw_string(c, left + (block.indent if paragraph.bullet else 0.0), baseline, text, spaced)


def _draw_picture(c: Any, picture: Picture, font: Font, page_height: float) -> None:
    """The figure drawn from its SVG — slidegen's own (:mod:`slidegen.figures.vector`), read back
    shape for shape — with reportlab: vectors, its text in the embedded font, fitted to its box."""
    from ..figures.vector import from_svg, to_canvas

    drawing = from_svg(picture.svg, font)
    box = picture.box
    to_canvas(
        c, drawing, REGULAR, _pt(box.left), page_height - _pt(box.top) - _pt(box.height), _pt(box.width) / drawing.width
    )


def _figure(
    c: Any,
    slide: Slide,
    k: int,
    picture: Picture,
    page_height: float,
    font: Font,
    tags: Tagger,
    section: Element,
) -> None:
    """The ``k``-th figure of ``slide``: its drawing, tagged as a Figure whose alternate text is the
    PPTX's alt text; then its data (:func:`~slidegen.writers.figure_data.data_table`) as a Table
    with header cells — in invisible text (render mode 3) inside the figure's box, so a screen
    reader and a copy get the numbers, and nothing is seen twice."""
    box = picture.box
    x0, y1 = _pt(box.left), page_height - _pt(box.top)
    x1, y0 = x0 + _pt(box.width), y1 - _pt(box.height)
    figure = section.add("Figure", alt=picture.alt_text, attributes={"Layout": {"BBox": (x0, y0, x1, y1)}})
    with tags.content(figure):
        _draw_picture(c, picture, font, page_height)
    table = data_table(slide, k, picture)
    if table is None:
        return
    element = section.add("Table")
    y = y1 - HIDDEN_SIZE
    with tags.content(element.add("Caption")):
        _hidden(c, x0, y, table.caption)
    for r, (label, values) in enumerate(((table.columns[0], table.columns[1:]), *table.rows)):
        row = element.add("TR")
        y -= HIDDEN_SIZE
        cells: list[tuple[str, str, str | None]] = [("TH", label, "Column" if r == 0 else "Row")]
        cells += [("TH", v, "Column") if r == 0 else ("TD", v, None) for v in values]
        x = x0
        for kind, text, scope in cells:
            cell = row.add(kind, attributes={"Table": {"Scope": scope}} if scope else None)
            if text:
                with tags.content(cell):
                    _hidden(c, x, y, text)
            x += HIDDEN_SIZE * (len(text) + 1)


#: the size of the invisible text of a figure's data table
HIDDEN_SIZE = 1.0


def _hidden(c: Any, x: float, y: float, text: str) -> None:
    """``text`` drawn invisibly (text render mode 3): there for a screen reader and a copy. (The
    mode is graphics state, which outlives the text object: saved and restored around it.)"""
    c.saveState()
    t = c.beginText()
    t.setTextRenderMode(3)
    t.setFont(REGULAR, HIDDEN_SIZE)
    t.setTextOrigin(x, y)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


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


def pdf_bytes(deck: Deck) -> bytes:
    """The deck as a PDF, the same bytes for the same deck."""
    prepare(deck.font)
    with _reportlab_settings(deck):
        return _pdf_bytes(deck)


@contextmanager
def _reportlab_settings(deck: Deck) -> Iterator[None]:
    """Inside the ``with``, reportlab's process-wide settings as the deck's PDF is written with them,
    set back as they were after: the document dated from ``SOURCE_DATE_EPOCH`` (else, invariant,
    2000-01-01) set to the deck's date; pages deflated only, not also ASCII85-encoded (reportlab's
    default), which qpdf would decode and deflate again when the tags are added (a tenth of the
    PDF's time, for a file of the same size)."""
    from reportlab import rl_config

    saved, a85 = os.environ.get("SOURCE_DATE_EPOCH"), rl_config.useA85
    os.environ["SOURCE_DATE_EPOCH"] = str(int(deck.created.timestamp()))
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = a85
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _pdf_bytes(deck: Deck) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    width, height = _pt(deck.width), _pt(deck.height)
    out = io.BytesIO()
    c = Canvas(
        out,
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=12,
        lang="ja-JP",
    )
    c.setTitle(deck.title)
    c.setAuthor(deck.author)
    c.setSubject(deck.subject)
    c.setCreator("slidegen")
    c.setKeywords("")
    c.setViewerPreference("DisplayDocTitle", "true")  # a reader's window shows the title, not the file name
    tags = Tagger(c)
    for slide in deck.slides:
        key = f"slide{slide.number}"
        c.bookmarkPage(key)
        c.addOutlineEntry(f"{slide.number}. {slide.heading}", key, level=0)
        section = tags.new_page()
        with tags.artifact():
            for rule in slide.rules:
                _color(c, rule.color)
                c.setLineWidth(_pt(rule.width))
                c.line(_pt(rule.x1), height - _pt(rule.y1), _pt(rule.x2), height - _pt(rule.y2))
        for item in reading_order(slide):
            if isinstance(item, Picture):
                _figure(c, slide, slide.pictures.index(item) + 1, item, height, deck.font, tags, section)
            else:
                _draw_block(c, item, height, tags, section)
        c.showPage()
    c.showOutline()
    c.save()
    return tag(out.getvalue(), tags.document, Metadata(deck.title, deck.author, deck.subject, deck.created))
