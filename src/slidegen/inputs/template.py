"""The deck template (.pptx) as the build reads it: slide size, each named layout's placeholders
with the text style each one shows, the lines the layouts draw, and the theme (colours, fonts).

A placeholder's style is resolved the way PowerPoint resolves it: the layout's own list style,
then the master's placeholder of the same kind, then the master's text styles (title, body,
other), then the presentation's default text style; a colour named by the theme
(``schemeClr accent2``) through the master's colour map, with its shades and tints. So the slide
model measures — and the PDF draws — the look the template states, at whichever level it states
it, and an office's template restyles the deck without any change here.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TemplateLayoutError
from ..ooxml import qn

#: the theme's colour slots, in the order the theme lists them
SCHEME = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)
#: how a master maps text and background names to slots when it says nothing
DEFAULT_MAP = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}
#: placeholder kinds whose text is a heading: the master's title style and the theme's major font
HEADING_KINDS = frozenset({"title", "ctrTitle"})


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class PlaceholderStyle:
    """A template placeholder: its box and the text style the template gives it, resolved."""

    idx: int
    box: Box
    size: float
    bold: bool
    align: str  # "l", "ctr" or "r"
    color: str  # RRGGBB, resolved through the theme
    heading: bool = False  # a title placeholder: its text is in the theme's major (heading) font
    anchor: str = "t"  # where the text sits in the box: "t", "ctr" or "b"
    outline: str | None = None  # RRGGBB of the frame the layout draws around the box, if any


@dataclass(frozen=True)
class Rule:
    """A line the layout draws (such as the rule under a heading): from (x1, y1) to (x2, y2)."""

    x1: int
    y1: int
    x2: int
    y2: int
    width: int  # EMU
    color: str


@dataclass(frozen=True)
class Layout:
    """A template layout: its placeholders by idx and the lines it draws."""

    placeholders: dict[int, PlaceholderStyle]
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Theme:
    """The template's theme: its colours by slot (``accent1`` … and, through the master's colour
    map, ``tx1``, ``bg1`` …) as RRGGBB, and its East Asian fonts for headings (major) and body text
    (minor) — the ``ea`` slot, else the font it names for Japanese script; ``None`` where it names none."""

    colors: dict[str, str] = field(default_factory=dict)
    major_font: str | None = None
    minor_font: str | None = None

    def rgb(self, color: str) -> str:
        """``#RRGGBB`` for a colour given as ``#RRGGBB``, as a theme slot (``accent1``, ``tx1``), or
        as a slot at a share of its luminance (``accent6:75``, as Office's lumMod darkens it)."""
        if color.startswith("#"):
            return color.upper()
        slot, share = shade(color)
        try:
            rgb = self.colors[slot]
        except KeyError:
            raise TemplateLayoutError(f"the template's theme has no colour {slot!r}") from None
        return "#" + (lum_mod(rgb, share / 100) if share is not None else rgb)


def shade(color: str) -> tuple[str, int | None]:
    """A theme colour as slidegen names it: its slot, and the share (in per cent) of its luminance
    it keeps — ``accent6:75`` is ``("accent6", 75)``, ``accent1`` is ``("accent1", None)``."""
    slot, _, share = color.partition(":")
    return slot, int(share) if share else None


@dataclass(frozen=True)
class Template:
    """What the build takes from a template file."""

    path: Path
    width: int
    height: int
    layouts: dict[str, Layout]
    theme: Theme


def _clamp(v: float) -> float:
    return min(max(v, 0.0), 1.0)


def _transform(rgb: str, element: Any) -> str:
    """A colour with the element's shades, tints and luminance changes applied as Office renders
    them (:func:`_apply`)."""
    return _apply(rgb, [(_local(t.tag), int(t.get("val", "100000")) / 100000) for t in element])


def lum_mod(rgb: str, share: float) -> str:
    """``rgb`` (RRGGBB) at ``share`` of its luminance, as Office applies ``lumMod``."""
    return _apply(rgb, [("lumMod", share)])


def _apply(rgb: str, steps: list[tuple[str, float]]) -> str:
    """``rgb`` (RRGGBB) with Office's colour steps (``lumMod``, ``lumOff``, ``tint``, ``shade``, each
    with its value as a share) applied in order, as Office renders them: lightness changes in HSL,
    tints and shades in linear RGB (a tint of 75 % on #222222 is #8C8C8C there, not the #595959
    the same arithmetic on sRGB values gives)."""
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    for name, val in steps:
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = _clamp(lum * val if name == "lumMod" else lum + val)
            r, g, b = colorsys.hls_to_rgb(h, lum, s)
        elif name == "tint":
            r, g, b = (_srgb(_linear(c) * val + (1 - val)) for c in (r, g, b))
        elif name == "shade":
            r, g, b = (_srgb(_linear(c) * val) for c in (r, g, b))
    return "".join(f"{round(_clamp(c) * 255):02X}" for c in (r, g, b))


def _linear(c: float) -> float:
    """An sRGB component as linear light."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _srgb(c: float) -> float:
    """Linear light as an sRGB component."""
    c = _clamp(c)
    return c * 12.92 if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def color_of(parent: Any, colors: dict[str, str]) -> str | None:
    """RRGGBB of the colour a fill (or a theme slot) element holds, or ``None`` where it holds none."""
    if parent is None:
        return None
    for element in parent:
        kind = _local(element.tag)
        if kind == "srgbClr":
            return _transform(element.get("val").upper(), element)
        if kind == "sysClr":
            return _transform(element.get("lastClr", "000000").upper(), element)
        if kind == "schemeClr" and element.get("val") in colors:
            return _transform(colors[element.get("val")], element)
    return None


def _theme_of(theme_xml: bytes, clr_map: Any) -> Theme:
    """The theme of a theme part's XML, its text and background names mapped by the master's ``clrMap``."""
    from lxml import etree

    root = etree.fromstring(theme_xml)
    scheme = root.find(f".//{qn('a:clrScheme')}")
    colors: dict[str, str] = {}
    for slot in SCHEME:
        value = color_of(scheme.find(qn(f"a:{slot}")), {}) if scheme is not None else None
        if value is not None:
            colors[slot] = value
    names = dict(clr_map.attrib) if clr_map is not None else dict(DEFAULT_MAP)
    for name, slot in names.items():
        if slot in colors:
            colors[name] = colors[slot]

    def east_asian(tag: str) -> str | None:
        fonts = root.find(f".//{qn('a:' + tag)}")
        if fonts is None:
            return None
        ea = fonts.find(qn("a:ea"))
        if ea is not None and ea.get("typeface"):
            return str(ea.get("typeface"))
        script = next((f.get("typeface") for f in fonts.findall(qn("a:font")) if f.get("script") == "Jpan"), None)
        return str(script) if script else None

    return Theme(colors, east_asian("majorFont"), east_asian("minorFont"))


def _theme(master: Any) -> Theme:
    part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
    return _theme_of(part.blob, master._element.find(qn("p:clrMap")))


def _kind(ph: Any) -> str:
    """A placeholder's type (``p:ph``'s, ``obj`` where it gives none) — its ``p:ph`` found as
    python-pptx finds it (``./*[1]/p:nvPr/p:ph``), without compiling an XPath each time."""
    for first in ph._element.iterchildren("{*}*"):  # the shape's first element: its non-visual properties
        found = first.find(f"{qn('p:nvPr')}/{qn('p:ph')}")
        return found.get("type", "obj") if found is not None else "obj"
    return "obj"


#: a master as read once: its element, and its placeholders with their kinds
Master = tuple[Any, list[tuple[str, Any]]]


def _style_chain(ph: Any, master: Master, defaults: Any) -> list[Any]:
    """The ``lvl1pPr`` elements a placeholder's first-level text takes its style from, nearest first
    (``master``: its master, and the master's placeholders with their kinds)."""
    kind = _kind(ph)
    base = "title" if kind in HEADING_KINDS else kind if kind in ("dt", "ftr", "sldNum") else "body"
    chain = [ph._element.find(f".//{qn('a:lstStyle')}/{qn('a:lvl1pPr')}")]
    master_element, placeholders = master
    for mp_kind, mp in placeholders:
        if mp_kind == base or (base == "body" and mp_kind == "obj"):
            chain.append(mp._element.find(f".//{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"))
            break
    styles = master_element.find(qn("p:txStyles"))
    which = "titleStyle" if base == "title" else "bodyStyle" if base == "body" else "otherStyle"
    if styles is not None:
        chain.append(styles.find(f"{qn('p:' + which)}/{qn('a:lvl1pPr')}"))
    if defaults is not None:
        chain.append(defaults.find(qn("a:lvl1pPr")))
    return [c for c in chain if c is not None]


def _resolve(ph: Any, master: Master, defaults: Any, theme: Theme) -> tuple[float, bool, str, str]:
    """Size (pt), bold, alignment and colour (RRGGBB) of a placeholder's text, as PowerPoint shows it."""
    size: float | None = None
    bold: bool | None = None
    align: str | None = None
    color: str | None = None
    for ppr in _style_chain(ph, master, defaults):
        align = align or ppr.get("algn")
        rpr = ppr.find(qn("a:defRPr"))
        if rpr is None:
            continue
        if size is None and rpr.get("sz"):
            size = int(rpr.get("sz")) / 100
        if bold is None and rpr.get("b") is not None:
            bold = rpr.get("b") in ("1", "true")
        if color is None:
            color = color_of(rpr.find(qn("a:solidFill")), theme.colors)
    return size or 18.0, bool(bold), align or "l", color or theme.colors.get("tx1", "000000")


def _rules(layout: Any, theme: Theme) -> tuple[Rule, ...]:
    rules = []
    for cxn in layout.shapes._spTree.iter(qn("p:cxnSp")):
        off = cxn.find(f".//{qn('a:xfrm')}/{qn('a:off')}")
        ext = cxn.find(f".//{qn('a:xfrm')}/{qn('a:ext')}")
        ln = cxn.find(f".//{qn('a:ln')}")
        if off is None or ext is None:
            continue
        x, y, cx, cy = (int(v) for v in (off.get("x"), off.get("y"), ext.get("cx"), ext.get("cy")))
        color = color_of(ln.find(qn("a:solidFill")), theme.colors) if ln is not None else None
        width = int(ln.get("w", "12700")) if ln is not None else 12700
        rules.append(Rule(x, y, x + cx, y + cy, width, color or theme.colors.get("tx1", "000000")))
    return tuple(rules)


def read_template(path: Path) -> Template:
    """Slide size, each named layout's placeholders (styles resolved) and lines, and the theme."""
    from pptx import Presentation

    try:
        prs = Presentation(str(path))
    except Exception as e:  # python-pptx raises several kinds for a file that is not a deck
        raise TemplateLayoutError(f"{path}: not a readable .pptx template ({e}).") from None
    master = prs.slide_masters[0]
    theme = _theme(master)
    defaults = prs.part._element.find(qn("p:defaultTextStyle"))
    layouts: dict[str, Layout] = {}
    masters: dict[Any, Master] = {}  # each master's placeholders, read once
    for layout in prs.slide_layouts:
        shapes: dict[int, PlaceholderStyle] = {}
        of = layout.slide_master
        if of._element not in masters:
            masters[of._element] = (of._element, [(_kind(mp), mp) for mp in of.placeholders])  # type: ignore[misc]
        for ph in layout.placeholders:  # type: ignore[misc]  # python-pptx's iterator confuses mypy
            if ph.width is None:
                continue
            size, bold, align, color = _resolve(ph, masters[of._element], defaults, theme)
            idx = ph.placeholder_format.idx
            body = ph._element.find(f".//{qn('a:bodyPr')}")
            line = ph._element.find(f"{qn('p:spPr')}/{qn('a:ln')}")
            shapes[idx] = PlaceholderStyle(
                idx,
                Box(int(ph.left), int(ph.top), int(ph.width), int(ph.height)),
                size,
                bold,
                align,
                color,
                _kind(ph) in HEADING_KINDS,
                str(body.get("anchor", "t")) if body is not None else "t",
                color_of(line.find(qn("a:solidFill")), theme.colors) if line is not None else None,
            )
        layouts[layout.name] = Layout(shapes, _rules(layout, theme))
    return Template(path, int(prs.slide_width or 0), int(prs.slide_height or 0), layouts, theme)


def read_theme(path: Path) -> Theme:
    """The theme of the template's first master (colours and fonts), read straight from the zip:
    quick enough for deciding, before any work, which font a build measures with."""
    import posixpath
    import zipfile

    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            presentation = etree.fromstring(z.read("ppt/presentation.xml"))
            rels = etree.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
            first = presentation.find(f"{qn('p:sldMasterIdLst')}/{qn('p:sldMasterId')}")
            rid = first.get(qn("r:id"))
            target = next(r.get("Target") for r in rels if r.get("Id") == rid)
            master = posixpath.normpath(posixpath.join("ppt", target))
            folder, name = posixpath.split(master)
            master_rels = etree.fromstring(z.read(f"{folder}/_rels/{name}.rels"))
            theme = next(r.get("Target") for r in master_rels if r.get("Type", "").endswith("/theme"))
            theme_path = posixpath.normpath(posixpath.join(folder, theme))
            if theme_path not in names:
                raise KeyError(theme_path)
            clr_map = etree.fromstring(z.read(master)).find(qn("p:clrMap"))
            return _theme_of(z.read(theme_path), clr_map)
    except (OSError, KeyError, StopIteration, AttributeError, zipfile.BadZipFile, etree.XMLSyntaxError) as e:
        raise TemplateLayoutError(f"{path}: not a readable .pptx template ({type(e).__name__}: {e}).") from None
