"""Office Open XML, said once: the namespaces slidegen reads and writes, the units, the shape
types python-pptx reports, and the few helpers that make an element.

Every module that touches a part's XML (the template reader, the chart renderers, the PPTX
writer, the deck record, ``check`` and ``update``) takes its names from here, so a namespace is
spelled in one place and ``qn("c:dLbl")`` reads as the schema does.
"""

from __future__ import annotations

from typing import Any

#: the namespaces, by the prefix Office gives them
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "c15": "http://schemas.microsoft.com/office/drawing/2012/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}
A, C, C15, P, R = NS["a"], NS["c"], NS["c15"], NS["p"], NS["r"]
CUSTOM, VT, EXTENDED, ADEC = NS["cp"], NS["vt"], NS["ep"], NS["adec"]
#: the extension under a shape's cNvPr that marks it decorative (PowerPoint's 「装飾用にする」)
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
#: the relationship type of a package's custom properties part
CUSTOM_PROPERTIES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"

#: English Metric Units in a point (914,400 in an inch)
EMU_PER_PT = 12700

#: python-pptx's MSO_SHAPE_TYPE values slidegen tells apart: a group, a connector (line), a picture
GROUP, LINE, PICTURE = 6, 9, 13


def qn(tag: str) -> str:
    """The Clark name of ``prefix:name``: ``qn("a:ea")`` → ``{http://…/drawingml/2006/main}ea``."""
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def element(tag: str, **attrs: Any) -> Any:
    """A new element ``prefix:name`` with ``attrs`` (an extension's element — ``c15``, ``adec`` —
    declares its namespace)."""
    from lxml import etree  # here: what only names a namespace or a unit does not load lxml

    prefix = tag.split(":")[0]
    made = etree.Element(qn(tag), nsmap={prefix: NS[prefix]} if prefix in ("c15", "adec") else None)
    for key, value in attrs.items():
        made.set(key, str(value))
    return made


def decorative(c_nv_pr: Any) -> None:
    """Mark a shape decorative (its ``p:cNvPr``): a screen reader passes over it, and its group's
    alt text speaks for it — as PowerPoint's 「装飾用にする」 writes it."""
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = sub(c_nv_pr, "a:extLst")
    if not any(e.get("uri") == DECORATIVE_EXT for e in ext_lst):
        sub(sub(ext_lst, "a:ext", uri=DECORATIVE_EXT), "adec:decorative", val=1)


def positive_axis_ids(chart_space: Any) -> None:
    """A chart's axis ids as the schema wants them, unsigned (python-pptx writes negative ones):
    each id taken modulo 2³¹, so an axis and the axis it crosses still name each other."""
    for element in chart_space.iter(qn("c:axId"), qn("c:crossAx")):
        element.set("val", str(int(element.get("val")) % 2**31))


def sub(parent: Any, tag: str, **attrs: Any) -> Any:
    """A new element ``tag`` appended to ``parent``."""
    child = element(tag, **attrs)
    parent.append(child)
    return child
