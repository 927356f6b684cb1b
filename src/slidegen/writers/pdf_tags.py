"""The PDF's tags: what makes the reportlab PDF a tagged PDF/UA-1 document.

reportlab draws; it writes no structure tree (its open-source edition has no API for marked
content or a document's logical structure). So the work is split in two:

- while the PDF writer draws, a :class:`Tagger` wraps what it draws in marked-content sequences
  (``BDC … EMC``, written into the page's content stream with reportlab's ``addLiteral``): each
  piece of real content gets a marked-content id on its page and is tied to a structure
  :class:`Element` — a heading, a paragraph, a list item, a figure, a table cell; decoration (the
  slide's rules, the running footer, the page number) is marked as an ``/Artifact``;
- :func:`tag` then adds what a tagged document needs beyond its pages, with pikepdf: the structure
  tree (in the slide model's reading order) and its parent tree, ``/StructParents`` and ``/Tabs /S``
  on each page, ``/MarkInfo``, the XMP metadata (title, author, subject, dates, the PDF/UA
  identifier), and ToUnicode maps that send no code to U+0000.

pikepdf (qpdf) rather than writing the objects into reportlab's document by hand: it builds and
references indirect objects and number trees correctly and saves the file deterministically, so a
deck still gives the same bytes each build.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

#: a marked-content reference: the page (0-based) and the id on it
Marked = tuple[int, int]


@dataclass
class Element:
    """A structure element: its standard type (``H1``, ``P``, ``Figure``, ``TD`` …), its children —
    elements, or marked content on a page — and, for some, alternate text or attributes."""

    type: str
    kids: list[Element | Marked] = field(default_factory=list)
    alt: str | None = None
    #: attribute owner (``Layout``, ``Table``) → its attributes (``BBox``, ``Scope``)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, type_: str, alt: str | None = None, attributes: dict[str, dict[str, Any]] | None = None) -> Element:
        """A new child element of ``type_``, appended."""
        child = Element(type_, alt=alt, attributes=attributes or {})
        self.kids.append(child)
        return child

    def elements(self) -> Iterator[Element]:
        """This element and every element below it, in document order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()


class Tagger:
    """Marks what a reportlab canvas draws, page by page (see the module's docstring)."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self.document = Element("Document")
        self.page = -1
        self._next_id = 0

    def new_page(self) -> Element:
        """A new page begins: its section of the document."""
        self.page += 1
        self._next_id = 0
        return self.document.add("Sect")

    @contextmanager
    def content(self, element: Element) -> Iterator[None]:
        """What is drawn inside is (part of) ``element``'s content on this page."""
        mcid = self._next_id
        self._next_id += 1
        element.kids.append((self.page, mcid))
        self.canvas.addLiteral(f"/{element.type} <</MCID {mcid}>> BDC")
        yield
        self.canvas.addLiteral("EMC")

    @contextmanager
    def artifact(self, kind: str = "Layout", subtype: str | None = None) -> Iterator[None]:
        """What is drawn inside is decoration (``Layout``) or pagination, not content."""
        sub = f" /Subtype /{subtype}" if subtype else ""
        self.canvas.addLiteral(f"/Artifact <</Type /{kind}{sub}>> BDC")
        yield
        self.canvas.addLiteral("EMC")


@dataclass(frozen=True)
class Metadata:
    """What the XMP packet says of the document."""

    title: str
    author: str
    subject: str
    created: datetime
    language: str = "ja-JP"


def tag(raw: bytes, document: Element, metadata: Metadata) -> bytes:
    """The PDF ``raw`` (drawn with a :class:`Tagger`) with its structure tree, metadata and the
    rest of a tagged PDF/UA-1 document; the same bytes for the same input."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(io.BytesIO(raw))
    pages = list(pdf.pages)
    by_page: dict[int, dict[int, Any]] = {i: {} for i in range(len(pages))}
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))

    def make(element: Element, parent: Any) -> Any:
        node = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.type), P=parent))
        kids = Array()
        on = {kid[0] for kid in element.kids if not isinstance(kid, Element)}
        if len(on) == 1:  # its marked content on one page: that page is the element's
            node.Pg = pages[next(iter(on))].obj
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(make(kid, node))
                continue
            page, mcid = kid
            by_page[page][mcid] = node
            kids.append(mcid if len(on) == 1 else Dictionary(Type=Name.MCR, Pg=pages[page].obj, MCID=mcid))
        node.K = kids
        if element.alt is not None:
            node.Alt = String(element.alt)
        if element.attributes:
            owned = [
                Dictionary(O=Name("/" + owner), **{k: _pdf_value(v) for k, v in values.items()})
                for owner, values in element.attributes.items()
            ]
            node.A = owned[0] if len(owned) == 1 else Array(owned)
        return node

    root.K = make(document, root)
    nums: list[Any] = []
    for i, page in enumerate(pages):
        page.obj.StructParents = i
        page.obj.Tabs = Name.S
        marked = by_page[i]
        assert sorted(marked) == list(range(len(marked))), f"page {i + 1}: marked content ids not 0…n"
        nums.extend([i, pdf.make_indirect(Array([marked[k] for k in sorted(marked)]))])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = len(pages)
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = Dictionary(Marked=True)
    pdf.Root.Lang = String(metadata.language)
    info = pdf.docinfo
    stream = pdf.make_stream(
        _xmp(metadata, str(info.get("/Producer", "")), str(info.get("/CreationDate", ""))).encode()
    )
    stream.Type, stream.Subtype = Name.Metadata, Name.XML
    pdf.Root.Metadata = stream
    _no_null_unicode(pdf)
    out = io.BytesIO()
    # every stream deflated already (reportlab's pages and fonts, the maps above): none to compress
    pdf.save(out, deterministic_id=True, compress_streams=False)
    return out.getvalue()


def _pdf_value(value: Any) -> Any:
    from pikepdf import Array, Name

    if isinstance(value, str):
        return Name("/" + value)
    if isinstance(value, (list, tuple)):
        return Array([round(v, 2) for v in value])
    return value


def _xmp_date(pdf_date: str, created: datetime) -> str:
    """The document's date as XMP writes it: the Info dictionary's (D:YYYYMMDDHHmmSS…) when it has one."""
    m = re.match(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})", pdf_date)
    if m:
        y, mo, d, h, mi, s = m.groups()
        offset = re.search(r"([+-])(\d{2})'?(\d{2})'?$", pdf_date)
        zone = f"{offset.group(1)}{offset.group(2)}:{offset.group(3)}" if offset else "Z"
        return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"
    return created.isoformat()


def _xmp(metadata: Metadata, producer: str, pdf_date: str) -> str:
    """The XMP packet: Dublin Core title, creator and description, the dates and producer the Info
    dictionary gives, and the PDF/UA-1 identifier."""
    when = _xmp_date(pdf_date, metadata.created)
    title, author, subject = (escape(metadata.title), escape(metadata.author), escape(metadata.subject))
    lang = escape(metadata.language)
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li><rdf:li xml:lang="{lang}">{title}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>
<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>slidegen</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<pdf:Producer>{escape(producer)}</pdf:Producer>
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


_BFCHAR = re.compile(rb"(\d+) beginbfchar\n(.*?)endbfchar", re.S)
_NULL = re.compile(rb"<[0-9A-Fa-f]+> <(?:0000|FEFF|FFFE)>\n", re.I)


def _no_null_unicode(pdf: Any) -> None:
    """reportlab's font subsets map code 0 (.notdef, never drawn) to U+0000 in their ToUnicode
    maps; PDF/UA forbids a mapping to U+0000, U+FEFF or U+FFFE. Those entries are dropped."""
    from pikepdf import Name

    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _, font in fonts.items():
            cmap = font.get("/ToUnicode")
            if cmap is None or cmap.objgen in seen:
                continue
            seen.add(cmap.objgen)
            data = cmap.read_bytes()

            def kept(m: re.Match[bytes]) -> bytes:
                body = _NULL.sub(b"", m.group(2))
                return str(body.count(b"\n")).encode() + b" beginbfchar\n" + body + b"endbfchar"

            fixed = _BFCHAR.sub(kept, data)
            if fixed != data:
                cmap.write(zlib.compress(fixed), filter=Name.FlateDecode)
