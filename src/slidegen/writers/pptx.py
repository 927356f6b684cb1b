"""The PPTX writer: draws the slide model into the template's layouts with python-pptx.

Each text block fills its placeholder with one paragraph per sentence, unbroken: PowerPoint wraps
it, by the East Asian line-break rules set on every paragraph (kinsoku, hanging punctuation), so a
sentence an official edits or a font of other widths wraps afresh — the slide model has proved it
fits in the deck's font and in a fallback of other widths. Titles, headings and captions, which
read as phrases, keep the phrase breaks the model chose (each line fits in both fonts). Body text
shrinks on overflow, so a longer text an official types still fits.

The template's look wins: a run states only its language (``ja-JP``), its East Asian font as the
theme's (``+mn-ea``; ``+mj-ea`` in a heading) and, where the text was shrunk to fit, its size;
colour, weight, alignment and size come from the template's placeholders, layouts and master,
and the fonts from its theme, which is kept as it is (the deck's font is written into it only
where it names no East Asian font, or ``SLIDEGEN_FONT`` is set). Every shape
slidegen fills has a stable name (``slidegen:s3:bullets``, ``slidegen:図1``) that survives a save
in PowerPoint or LibreOffice. Pictures carry their alt text. Placeholders a slide leaves unused
are removed, so no prompt text shows. The file is byte-identical for the same model (fixed
document dates and zip times).
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from ..figures.kinds import KINDS
from ..inputs.kinds import CHARTS_NATIVE, CHARTS_PICTURE
from ..ooxml import EMU_PER_PT, EXTENDED, LINE, VT, decorative, positive_axis_ids, qn
from ..record import deck_record, write_record
from ..slides import BALANCED, LEADING, Deck, Picture, Slide, TextBlock
from .native_parts import KeptFigure, KeptFigures, figure_key, quick_part_names, record, replay
from .outputs import Stable, stable_zip

#: the roles whose box shrinks its text on overflow (normAutofit) when an official adds to it
SHRINK_ON_OVERFLOW = frozenset({"bullets", "overview", "byline", "footnotes", "subheading"})
#: the theme's East Asian fonts, as a run names them: the text follows the theme (Japanese text
#: is set in the ``ea`` slot; naming it on each run keeps it there even where a style says otherwise)
EA_HEADING = "+mj-ea"
EA_BODY = "+mn-ea"
#: the prefix of every shape name slidegen gives, so a later run can find what it wrote
NAME_PREFIX = "slidegen:"


def shape_name(slide: int, role: str) -> str:
    """The stable name of the shape that holds ``role`` on slide ``slide``: ``slidegen:s3:bullets``."""
    return f"{NAME_PREFIX}s{slide}:{role}"


def picture_name(figure: int) -> str:
    """The stable name of a figure's shape: ``slidegen:図1``."""
    return f"{NAME_PREFIX}図{figure}"


def _run_props(parent: Any, block: TextBlock, tag: str = "a:rPr", spacing: float = 0.0) -> Any:
    """A run's properties: only what must be set — the language, the East Asian font (the
    theme's: major for a heading, minor for the rest), the size where the text was shrunk to
    fit, the character spacing (文字間隔) where the paragraph is set looser or tighter to break
    well (:attr:`~slidegen.slides.Paragraph.spacing`). Colour, weight and the size itself come from
    the placeholder, as the template styles it."""
    rpr = etree.SubElement(parent, qn(tag), lang="ja-JP", altLang="en-US", dirty="0")
    if abs(block.size - block.style.size) > 1e-9:
        rpr.set("sz", str(int(round(block.size * 100))))
    if spacing:
        rpr.set("spc", str(int(round(spacing * 100))))
    etree.SubElement(rpr, qn("a:ea"), typeface=EA_HEADING if block.style.heading else EA_BODY)
    return rpr


def _notes_text(tx_body: Any, text: str) -> None:
    """The notes' text body holding ``text``, as python-pptx's ``TextFrame.text`` writes it — a
    paragraph a line, a run each (a control character written ``_x001B_``) — each run in Japanese
    (ja-JP, the theme's East Asian font), built directly: python-pptx's proxies took a millisecond
    a slide."""
    for p in tx_body.findall(qn("a:p")):
        tx_body.remove(p)
    for line in text.split("\n"):
        p = etree.SubElement(tx_body, qn("a:p"))
        for k, part in enumerate(line.split("\v")):
            if k:
                etree.SubElement(p, qn("a:br"))
            if part:
                r = etree.SubElement(p, qn("a:r"))
                etree.SubElement(
                    etree.SubElement(r, qn("a:rPr"), lang="ja-JP", altLang="en-US"), qn("a:ea"), typeface=EA_BODY
                )
                etree.SubElement(r, qn("a:t")).text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", part)


#: the control characters a run's text may not hold as they are (python-pptx writes them as _xHHHH_)
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def fill_text_body(tx_body: Any, block: TextBlock) -> None:
    """Replace a text body's paragraphs with the block's lines."""
    for p in tx_body.findall(qn("a:p")):
        tx_body.remove(p)
    body_pr = tx_body.find(qn("a:bodyPr"))
    if body_pr is not None:  # stated in full, so no renderer falls back on the master's anchor or insets
        for child in list(body_pr):
            body_pr.remove(child)
        for key, value in (
            ("wrap", "square"),
            ("lIns", "0"),
            ("tIns", "0"),
            ("rIns", "0"),
            ("bIns", "0"),
            ("anchor", block.style.anchor),
        ):
            body_pr.set(key, value)
        # body text shrinks if an official makes it longer; what slidegen wrote fits as it is
        etree.SubElement(body_pr, qn("a:normAutofit" if block.role in SHRINK_ON_OVERFLOW else "a:noAutofit"))
    for k, paragraph in enumerate(block.paragraphs):
        p = etree.SubElement(tx_body, qn("a:p"))
        # Japanese line breaking: kinsoku, punctuation hung at the line's end, no Latin-style word
        # breaks; the alignment is the placeholder's
        ppr = etree.SubElement(p, qn("a:pPr"), eaLnBrk="1", hangingPunct="1", latinLnBrk="0")
        if paragraph.bullet:
            indent = int(block.indent * EMU_PER_PT)
            ppr.set("marL", str(indent))
            ppr.set("indent", str(-indent))
        else:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
        spacing = etree.SubElement(etree.SubElement(ppr, qn("a:lnSpc")), qn("a:spcPts"))
        spacing.set("val", str(int(round(block.size * LEADING * 100))))
        after = etree.SubElement(etree.SubElement(ppr, qn("a:spcAft")), qn("a:spcPts"))
        after.set("val", str(int(round(block.gap * 100)) if k < len(block.paragraphs) - 1 else 0))
        if paragraph.bullet:
            etree.SubElement(ppr, qn("a:buFontTx"))
            etree.SubElement(ppr, qn("a:buChar"), char=paragraph.bullet)
        else:
            etree.SubElement(ppr, qn("a:buNone"))
        # a sentence is one run that PowerPoint wraps; a title or caption keeps its phrase breaks
        lines = paragraph.lines if block.role in BALANCED else (paragraph.text,)
        for i, line in enumerate(lines):
            if i:
                _run_props(etree.SubElement(p, qn("a:br")), block)
            r = etree.SubElement(p, qn("a:r"))
            _run_props(r, block, spacing=paragraph.spacing)
            etree.SubElement(r, qn("a:t")).text = line
        _run_props(p, block, "a:endParaRPr", paragraph.spacing)


def set_theme_fonts(prs: Any, font: str, latin: bool = False) -> None:
    """The theme's heading and body East Asian fonts, and its Japanese script font, set to ``font``
    (with ``latin``, its Latin fonts too); the theme's other fonts are kept."""
    master = prs.slide_masters[0]
    theme_part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
    theme = etree.fromstring(theme_part.blob)
    for tag in ("majorFont", "minorFont"):
        fonts = theme.find(f".//{qn('a:' + tag)}")
        for slot in ("a:latin", "a:ea") if latin else ("a:ea",):
            element = fonts.find(qn(slot))
            if element is None:
                element = etree.SubElement(fonts, qn(slot))
            element.set("typeface", font)
        scripts = [f for f in fonts.findall(qn("a:font")) if f.get("script") == "Jpan"]
        if not scripts:
            scripts = [etree.SubElement(fonts, qn("a:font"), script="Jpan")]
        scripts[0].set("typeface", font)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def _layout(prs: Any, name: str) -> Any:
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    raise KeyError(name)


class _Fresh:
    """The placeholders python-pptx clones onto a new slide of each layout, and onto a new notes
    slide, as it cloned them onto the deck's first of each: a new slide gets copies of those,
    the same elements python-pptx would make, without its searching the layout and the new
    slide's names and ids once for each placeholder (most of the time a slide took)."""

    def __init__(self) -> None:
        self.slides: dict[str, list[Any]] = {}
        self.notes: list[Any] | None = None

    def slide(self, prs: Any, layout: Any) -> Any:
        """A new slide of ``layout`` at the end of ``prs``, as ``prs.slides.add_slide`` makes it."""
        slides = prs.slides
        r_id, new = slides.part.add_slide(layout)
        tree = new.shapes._spTree
        key = str(layout.part.partname)
        if key in self.slides:
            tree.extend(copy.deepcopy(e) for e in self.slides[key])
        else:
            before = len(tree)
            new.shapes.clone_layout_placeholders(layout)
            self.slides[key] = [copy.deepcopy(e) for e in tree[before:]]
        slides._sldIdLst.add_sldId(r_id)
        return new

    def notes_slide(self, slide: Any) -> Any:
        """The new notes slide of ``slide``, as ``slide.notes_slide`` makes it where there is none."""
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.parts.slide import NotesSlidePart

        part = slide.part
        if self.notes is None:
            notes = slide.notes_slide
            self.notes = [copy.deepcopy(e) for e in notes.shapes._spTree[2:]]  # after its group's own properties
            return notes
        package = part.package
        notes_part = NotesSlidePart._add_notes_slide_part(package, part, package.presentation_part.notes_master_part)
        notes_part.notes_slide.shapes._spTree.extend(copy.deepcopy(e) for e in self.notes)
        part.relate_to(notes_part, RT.NOTES_SLIDE)
        return notes_part.notes_slide


def _add_slide(
    prs: Any,
    slide: Slide,
    charts: str,
    kept: KeptFigures | None,
    fresh: _Fresh,
    premade: Mapping[str, Callable[[], KeptFigure]] | None = None,
    when: datetime | None = None,
) -> None:
    layout = _layout(prs, slide.layout)
    s = fresh.slide(prs, layout)
    tree = s.shapes._spTree
    # (the placeholders are found in the XML: python-pptx's lookups search every shape each time)
    present = {idx for idx, _ in _placeholders_in(tree)}
    inherited = {}  # idx → the layout placeholder's (left, top, width, height), read once
    used = {b.style.idx for b in slide.blocks}
    for idx, element in _placeholders_in(layout.shapes._spTree):
        inherited[idx] = _own_geometry(element) or _layout_geometry(layout, idx)
        # python-pptx leaves footer and slide-number placeholders out; bring them in from the layout
        if idx not in present and idx in used:
            tree.append(copy.deepcopy(element))
    by_idx = {b.style.idx: b for b in slide.blocks}
    for idx, element in list(_placeholders_in(tree)):
        if idx not in by_idx:
            tree.remove(element)
            continue
        block = by_idx[idx]
        fill_text_body(element.find(qn("p:txBody")), block)
        box = block.style.box
        if (_own_geometry(element) or inherited.get(idx)) != (box.left, box.top, box.width, box.height):
            # a box the slide model narrowed so its lines break well (slides.arrange_breaks)
            _set_geometry(element, box.left, box.top, box.width, box.height)
        element.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}").set("name", shape_name(slide.number, block.role))
        if block.role == "number":
            _number_field(element)
    # from here shapes are only added: each new id is the last one plus one, without searching
    # the slide for the largest (python-pptx's turbo-add; the same ids)
    s.shapes.turbo_add_enabled = True
    for picture in slide.pictures:
        if charts == CHARTS_NATIVE and picture.chart is not None and picture.area is not None:
            add_native(s.shapes, picture, kept, premade, when)
            continue
        shape = s.shapes.add_picture(
            io.BytesIO(picture.png), picture.box.left, picture.box.top, picture.box.width, picture.box.height
        )
        shape.name = picture_name(picture.figure)
        shape._element.nvPicPr.cNvPr.set("descr", picture.alt_text)
    _notes_text(fresh.notes_slide(s).notes_text_frame._txBody, slide.notes)


def _placeholders_in(tree: Any) -> list[tuple[int, Any]]:
    """The placeholders among a shape tree's shapes: (idx, element) — idx 0 where the XML leaves it
    out, as python-pptx reads it."""
    path = f"{qn('p:nvPr')}/{qn('p:ph')}"
    found = []
    for shape in tree.iterchildren():
        if isinstance(shape.tag, str) and len(shape):
            ph = shape[0].find(path)
            if ph is not None:
                found.append((int(ph.get("idx", "0")), shape))
    return found


def _layout_geometry(layout: Any, idx: int) -> Any:
    """A layout placeholder's geometry as python-pptx inherits it (from the master) where its own XML has none."""
    ph = next(p for p in layout.placeholders if p.placeholder_format.idx == idx)
    return ph.left, ph.top, ph.width, ph.height


def _set_geometry(element: Any, left: int, top: int, width: int, height: int) -> None:
    """A shape's own position and size (its ``a:xfrm``, the first child of its ``p:spPr``)."""
    sp_pr = element.find(qn("p:spPr"))
    xfrm = sp_pr.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = etree.Element(qn("a:xfrm"))
        sp_pr.insert(0, xfrm)
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    if off is None:
        off = etree.Element(qn("a:off"))
        xfrm.insert(0, off)
    if ext is None:
        ext = etree.SubElement(xfrm, qn("a:ext"))
    off.set("x", str(left))
    off.set("y", str(top))
    ext.set("cx", str(width))
    ext.set("cy", str(height))


def _own_geometry(element: Any) -> tuple[int, int, int, int] | None:
    """A placeholder's (left, top, width, height) as its own ``a:xfrm`` says; None where it has
    none and inherits its layout's (what python-pptx's ``ph.left`` … return, without searching the
    layout for each)."""
    xfrm = element.find(f"{qn('p:spPr')}/{qn('a:xfrm')}")
    off = xfrm.find(qn("a:off")) if xfrm is not None else None
    ext = xfrm.find(qn("a:ext")) if xfrm is not None else None
    if off is None or ext is None:
        return None
    return int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))


def add_native(
    shapes: Any,
    picture: Picture,
    kept: KeptFigures | None = None,
    premade: Mapping[str, Callable[[], KeptFigure]] | None = None,
    when: datetime | None = None,
) -> Any:
    """The figure as a native chart (its kind's renderer), its shapes grouped when there are
    several (the panels of a paired figure and their headers), named and described: the shape made.
    With ``kept``, a figure made before is put in as it was made (:mod:`.native_parts`), and one
    made now is kept there for the next build (``shapes`` in turbo-add: it counts the ids taken),
    its workbooks made stable for ``when``, the deck's date, where given (as the deck zips them).
    ``premade`` gives the figures being made in another process (:func:`made_apart`), by key:
    each is put in as made there, and kept."""
    assert picture.chart is not None and picture.area is not None
    if kept is None and not premade:
        return _add_native(shapes, picture, when)
    key = figure_key(picture)
    found = kept.lookup(key) if kept is not None else None
    if found is None and premade is not None and key in premade:
        found = premade[key]()
        if kept is not None:
            kept.store(key, found)
    if found is not None:
        return shapes._shape_factory(replay(shapes, found))
    before = shapes._cached_max_shape_id
    shape = _add_native(shapes, picture, when)
    if kept is not None:
        kept.store(key, record(shapes, shape._element, before, when))
    return shape


def to_make(pictures: Iterable[Picture], charts: str, kept: Path | None) -> dict[str, Picture]:
    """The native figures of ``pictures`` (a deck's, in the order its slides show them) a PPTX
    will make — none kept in ``kept`` from an earlier build — by key (:func:`~.native_parts.figure_key`)."""
    if charts != CHARTS_NATIVE:
        return {}
    folder = KeptFigures(kept) if kept is not None else None
    keyed = ((figure_key(p), p) for p in pictures if p.chart is not None and p.area is not None)
    return {key: p for key, p in keyed if folder is None or not folder.has(key)}


def made_apart(pictures: Sequence[Picture], template: Path, when: datetime | None = None) -> Iterator[KeptFigure]:
    """Each of ``pictures`` made as a native figure on a slide of a deck of ``template`` and
    recorded (:func:`~.native_parts.record`, its workbooks made stable for ``when``, the deck's
    date, where given), one after another: what a PPTX writer would make of it in its own deck,
    for the writer to put in (:func:`add_native`'s ``premade``) — so that another process can make
    some of a deck's figures while the writer makes the rest."""
    from pptx import Presentation

    prs = Presentation(str(template))
    quick_part_names(prs.part.package)
    shapes = prs.slides.add_slide(prs.slide_layouts[0]).shapes
    shapes.turbo_add_enabled = True
    for picture in pictures:
        before = shapes._cached_max_shape_id
        shape = _add_native(shapes, picture, when)
        made = record(shapes, shape._element, before, when)
        shapes._spTree.remove(shape._element)  # each figure made on the slide as it was before
        shapes._cached_max_shape_id = before
        yield made


def _add_native(shapes: Any, picture: Picture, when: datetime | None = None) -> Any:
    """The figure made as a native chart (:func:`add_native`), its workbooks dated ``when`` where given."""
    from ..figures.pptx_chart import dated_workbooks

    assert picture.chart is not None and picture.area is not None
    with dated_workbooks(when):
        made = KINDS[picture.chart.kind].native(shapes, picture.chart, picture.area)
    for part in made:
        if part.has_chart:
            positive_axis_ids(part.chart._chartSpace)
            if when is not None:  # written dated as the deck: zipped with it as it is
                xlsx_part = part.chart.part.chart_workbook.xlsx_part
                xlsx_part._blob = Stable(xlsx_part.blob, when)
    if len(made) == 1:
        shape = made[0]
    else:
        charts = [m for m in made if m.has_chart]
        for part, panel in zip(charts, picture.chart.panels):  # 実績, 期待 — or "chart" for a lone chart
            part.name = f"{picture_name(picture.figure)}:{panel.name if len(charts) > 1 else 'chart'}"
        annotations = [m for m in made if not m.has_chart]  # labels, headers, leaders, the bracket: in drawing order
        for k, part in enumerate(annotations, start=1):
            part.name = f"{picture_name(picture.figure)}:{'線' if part.shape_type == LINE else '注記'}{k}"
        for part in made:  # the group's alt text speaks for the figure: its parts are decorative
            decorative(part._element.xpath("./*[1]/p:cNvPr")[0])
        shape = shapes.add_group_shape(made)
    shape.name = picture_name(picture.figure)
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", picture.alt_text)
    return shape


def _thumbnail(prs: Any, deck: Deck) -> None:
    """The deck's thumbnail its cover (:mod:`.thumbnail`), where the template's was a blank page."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from .thumbnail import cover_thumbnail

    part = _package_part(prs, RT.THUMBNAIL)
    if part is not None and str(part.partname) == "/docProps/thumbnail.jpeg" and deck.slides:
        part._blob = cover_thumbnail(deck)


def _package_part(prs: Any, reltype: str) -> Any:
    """The part the package relates to as ``reltype`` (its thumbnail, its properties), if any."""
    try:
        return prs.part.package.part_related_by(reltype)
    except KeyError:
        return None


def _default_language(prs: Any) -> None:
    """The presentation's default text language Japanese (a new text box, a pasted text), English
    as the alternative — the template's is en-US."""
    default = prs.part._element.find(f"{qn('p:defaultTextStyle')}/{qn('a:defPPr')}/{qn('a:defRPr')}")
    if default is not None:
        default.set("lang", "ja-JP")
        default.set("altLang", "en-US")


def _app_properties(prs: Any, deck: Deck) -> None:
    """``docProps/app.xml`` true to the deck — the application that wrote it, its slide size, its
    slides and notes, its theme and the slides' headings — where the template's described a 4:3
    deck of no slides."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = _package_part(prs, RT.EXTENDED_PROPERTIES)
    if part is None:
        return
    theme = prs.slide_masters[0].part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    )
    theme_name = etree.fromstring(theme.blob).get("name") or "Office Theme"
    ratio = "16:9" if deck.width * 9 == deck.height * 16 else f"{deck.width}:{deck.height}"
    headings = [s.heading or deck.title for s in deck.slides]
    root = etree.Element(f"{{{EXTENDED}}}Properties", nsmap={None: EXTENDED, "vt": VT})
    for tag, text in (
        ("TotalTime", "0"),
        ("Application", "slidegen"),
        ("PresentationFormat", f"画面に合わせる ({ratio})"),
        ("Slides", str(len(deck.slides))),
        ("Notes", str(sum(1 for s in deck.slides if s.notes))),
        ("HiddenSlides", "0"),
        ("ScaleCrop", "false"),
    ):
        etree.SubElement(root, f"{{{EXTENDED}}}{tag}").text = text
    pairs = etree.SubElement(
        etree.SubElement(root, f"{{{EXTENDED}}}HeadingPairs"), f"{{{VT}}}vector", size="4", baseType="variant"
    )
    for name, count in (("テーマ", 1), ("スライド タイトル", len(headings))):
        etree.SubElement(etree.SubElement(pairs, f"{{{VT}}}variant"), f"{{{VT}}}lpstr").text = name
        etree.SubElement(etree.SubElement(pairs, f"{{{VT}}}variant"), f"{{{VT}}}i4").text = str(count)
    titles = etree.SubElement(
        etree.SubElement(root, f"{{{EXTENDED}}}TitlesOfParts"),
        f"{{{VT}}}vector",
        size=str(1 + len(headings)),
        baseType="lpstr",
    )
    for text in (theme_name, *headings):
        etree.SubElement(titles, f"{{{VT}}}lpstr").text = text
    for tag, text in (
        ("Company", deck.author),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{EXTENDED}}}{tag}").text = text
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _number_field(element: Any) -> None:
    """The page number as PowerPoint's slide-number field, showing the model's number."""
    p = element.find(f"{qn('p:txBody')}/{qn('a:p')}")
    r = p.find(qn("a:r"))
    fld = etree.Element(qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
    fld.append(r.find(qn("a:rPr")))
    fld.append(r.find(qn("a:t")))
    p.replace(r, fld)


def prepare() -> None:
    """What writing a PPTX needs before there is a deck: python-pptx, the workbook writer behind
    its charts and Pillow with its JPEG writer (the thumbnail) imported — done while a build waits for its data, so a
    writer forked after finds them imported."""
    import PIL.ImageDraw  # noqa: F401
    import PIL.ImageFont  # noqa: F401
    import pptx  # noqa: F401
    import pptx.chart.xlsx  # noqa: F401  (a chart's workbook, and the library it is written with)
    import xlsxwriter  # noqa: F401
    from PIL import Image

    from . import thumbnail  # noqa: F401

    Image.preinit()  # the image formats Pillow saves in (the thumbnail's JPEG), loaded once


def pptx_bytes(
    deck: Deck,
    template: Path,
    charts: str = CHARTS_PICTURE,
    kept: Path | None = None,
    premade: Mapping[str, Callable[[], KeptFigure]] | None = None,
) -> bytes:
    """The deck as a .pptx file built on ``template``; ``charts`` ``native`` draws the figures whose
    kind has a native renderer as PowerPoint charts, ``picture`` every figure as its PNG. ``kept``:
    the folder native figures are kept in between builds (:mod:`.native_parts`), if any;
    ``premade``: the native figures another process is making (:func:`made_apart`), by key."""
    from pptx import Presentation

    prs = Presentation(str(template))
    quick_part_names(prs.part.package)
    if deck.theme_font is not None:  # else the template's theme fonts stay as they are
        set_theme_fonts(prs, deck.theme_font)
    folder = KeptFigures(kept) if kept is not None else None
    fresh = _Fresh()
    for slide in deck.slides:
        _add_slide(prs, slide, charts, folder, fresh, premade, deck.created)
    core = prs.core_properties
    core.title = deck.title
    core.author = deck.author
    core.subject = deck.subject
    core.language = "ja-JP"
    core.last_modified_by = "slidegen"
    core.revision = 1
    core.keywords = ""
    core.comments = "Built by slidegen from the survey's response table."
    _default_language(prs)
    _app_properties(prs, deck)
    _thumbnail(prs, deck)
    write_record(prs, deck_record(deck, charts))
    return stable_zip(_entries(prs.part.package), deck.created)


def _entries(package: Any) -> Iterator[tuple[str, bytes]]:
    """The package's files as python-pptx's ``save`` writes them, in its order — the content
    types, the package's relationships, then each part and its relationships — handed straight to
    :func:`~slidegen.writers.outputs.stable_zip` rather than zipped twice."""
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from pptx.opc.serialized import _ContentTypesItem

    parts = tuple(package.iter_parts())
    yield CONTENT_TYPES_URI.membername, serialize_part_xml(_ContentTypesItem.xml_for(parts))
    yield PACKAGE_URI.rels_uri.membername, package._rels.xml
    for part in parts:
        yield part.partname.membername, part.blob
        if part._rels:
            yield part.partname.rels_uri.membername, part.rels.xml
