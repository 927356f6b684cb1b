"""Office Open XML, said once: the namespaces slidegen reads and writes, the units, the shape
types python-pptx reports, and the few helpers that make an element.

Every module that touches a part's XML (the template reader, the chart renderers, the PPTX
writer, the deck record, ``check`` and ``update``) takes its names from here, so a namespace is
spelled in one place and ``qn("c:dLbl")`` reads as the schema does.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

#: the namespaces, by the prefix Office gives them
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "c15": "http://schemas.microsoft.com/office/drawing/2012/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
A, C, C15, P, R = NS["a"], NS["c"], NS["c15"], NS["p"], NS["r"]
CUSTOM, VT = NS["cp"], NS["vt"]
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
    """A new element ``prefix:name`` with ``attrs`` (a ``c15`` element declares its namespace)."""
    prefix = tag.split(":")[0]
    made = etree.Element(qn(tag), nsmap={"c15": C15} if prefix == "c15" else None)
    for key, value in attrs.items():
        made.set(key, str(value))
    return made


def sub(parent: Any, tag: str, **attrs: Any) -> Any:
    """A new element ``tag`` appended to ``parent``."""
    child = element(tag, **attrs)
    parent.append(child)
    return child
