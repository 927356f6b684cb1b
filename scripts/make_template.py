"""Make the deck template layouts/slidegen.pptx: a 16:9 master with the named layouts the build fills.

    python scripts/make_template.py

Open the result in PowerPoint to restyle it (colours, fonts, logo, placeholder positions); keep
the layout names and placeholder numbers (idx), which is how the build finds them. A
template of an office's own can be used with ``slidegen build --template PATH``.

Which placeholder (idx) takes which role is ``layouts/layouts.yaml``, which the build reads too;
this script adds only the look: each role's kind of placeholder, box, size, weight and alignment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from slidegen.writers.outputs import stable_ooxml, write_atomic  # noqa: E402

from datetime import datetime, timezone  # noqa: E402

#: the template is not a dated document: one fixed date keeps its bytes the same
TEMPLATE_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
from slidegen.writers.pptx import set_theme_fonts  # noqa: E402
from slidegen.figures.style import FONT_NAME  # noqa: E402
from slidegen.inputs.layouts import Layouts, load_layouts  # noqa: E402

W, H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 in, 16:9

#: the deck's colours, as the theme's slots: the figures take theirs from the accents
#: (slidegen.figures.style), so a template with other accents recolours every chart
COLORS = {
    "dk1": "222222",  # text
    "lt1": "FFFFFF",
    "dk2": "1F4E79",  # headings and the rule under them
    "lt2": "E7E6E6",
    "accent1": "1F4E79",  # the main series
    "accent2": "2E75B6",
    "accent3": "9DC3E6",  # the first of a pair (実績)
    "accent4": "DEEBF7",
    "accent5": "F4B183",
    "accent6": "C55A11",  # gains and annotations
    "hlink": "0563C1",
    "folHlink": "954F72",
}
#: the master's text styles: headings and body text, which the layouts' placeholders inherit
TITLE_STYLE = (24, True, "tx2")
BODY_STYLE = (14, False, "tx1")


def box(left, top, width, height):
    return Inches(left), Inches(top), Inches(width), Inches(height)


#: a sample deck's stamp: red, in a red frame
STAMP = {"color": "C00000", "outline": "C00000"}

# layout: [(role, type, (left, top, width, height) in inches, size pt, bold, align[, look])], in the shapes' order
GEOMETRY = {
    "表紙": [
        ("title", "ctrTitle", box(0.9, 1.7, 11.5, 1.3), 30, True, "ctr"),
        ("subtitle", "subTitle", box(0.9, 1.0, 11.5, 0.6), 20, False, "ctr"),
        ("byline", "body", box(0.9, 3.35, 11.5, 0.9), 16, False, "ctr"),
        ("overview", "body", box(1.2, 4.55, 10.9, 2.2), 13, False, "l"),
        ("stamp", "body", box(10.0, 0.35, 2.9, 0.5), 14, True, "ctr", STAMP),
    ],
    "結果概要": [
        ("heading", "title", box(0.5, 0.3, 12.33, 0.65), 24, True, "l"),
        ("bullets", "body", box(0.6, 1.15, 12.13, 5.85), 14, False, "l"),
    ],
    "図1": [
        ("heading", "title", box(0.5, 0.3, 12.33, 0.65), 24, True, "l"),
        ("bullets", "body", box(0.6, 1.05, 12.13, 1.12), 14, False, "l"),
        ("caption1", "body", box(0.67, 2.24, 8.0, 0.46), 12, True, "l"),
        ("unit1", "body", box(8.67, 2.24, 4.0, 0.46), 11, False, "r"),
        ("figure1", "pic", box(0.67, 2.72, 12.0, 4.0), 11, False, "l"),
        ("footnotes", "body", box(0.67, 6.76, 12.0, 0.4), 10, False, "l"),
    ],
    "図2": [
        ("heading", "title", box(0.5, 0.3, 12.33, 0.65), 24, True, "l"),
        ("bullets", "body", box(0.6, 1.05, 12.13, 0.9), 14, False, "l"),
        ("subheading", "body", box(0.67, 1.97, 12.0, 0.25), 12, True, "l"),
        ("caption1", "body", box(0.67, 2.24, 3.9, 0.46), 12, True, "l"),
        ("unit1", "body", box(4.57, 2.24, 2.0, 0.46), 11, False, "r"),
        ("figure1", "pic", box(0.67, 2.72, 5.9, 4.0), 11, False, "l"),
        ("caption2", "body", box(6.77, 2.24, 3.9, 0.46), 12, True, "l"),
        ("unit2", "body", box(10.67, 2.24, 2.0, 0.46), 11, False, "r"),
        ("figure2", "pic", box(6.77, 2.72, 5.9, 4.0), 11, False, "l"),
        ("footnotes", "body", box(0.67, 6.76, 12.0, 0.4), 10, False, "l"),
    ],
}
FOOTER = ("ftr", box(0.67, 7.18, 9.0, 0.24), 9, False, "l")  # on the footnotes' left edge
NUMBER = ("sldNum", box(11.83, 7.18, 1.0, 0.24), 10, False, "r")


def layout_shapes(layouts: Layouts) -> dict[str, list[tuple]]:
    """Each layout's placeholders as (idx, type, box, size, bold, align): the idx from layouts.yaml."""
    shapes = {}
    for name, roles in layouts.roles.items():
        shapes[name] = [(roles[role], *rest) for role, *rest in GEOMETRY[name]]
        shapes[name] += [(layouts.footer, *FOOTER), (layouts.number, *NUMBER)]
    return shapes


def shape_xml(idx, kind, geometry, size, bold, align, look=None, sid=2):
    """A layout placeholder; its list style states only what differs from the master's text
    style for its kind (heading or body), so restyling the master restyles every layout."""
    left, top, width, height = geometry
    name = {"ctrTitle": "Title", "title": "Title", "subTitle": "Subtitle", "pic": "Figure",
            "ftr": "Footer", "sldNum": "Slide Number"}.get(kind, "Text")
    ph_type = f' type="{kind}"'
    # a title is idx 0 by default, and is left so: LibreOffice places a title that says idx="0"
    # where the master's title is (12 pt to the right here), not where its layout puts it
    ph_idx = "" if kind in ("ctrTitle", "title") and idx == 0 else f' idx="{idx}"'
    base_size, base_bold, _ = TITLE_STYLE if kind in ("ctrTitle", "title") else BODY_STYLE
    differs = (f' sz="{int(size * 100)}"' if size != base_size else "") + (f' b="{1 if bold else 0}"' if bold != base_bold else "")
    look = look or {}
    fill = f'<a:solidFill><a:srgbClr val="{look["color"]}"/></a:solidFill>' if "color" in look else ""
    outline = (f'<a:ln w="19050"><a:solidFill><a:srgbClr val="{look["outline"]}"/></a:solidFill></a:ln>'
               if "outline" in look else "")
    own_align = align != "l" or kind in ("ftr", "sldNum")  # the master's footers are centred
    level = f'<a:lvl1pPr{f" algn={chr(34)}{align}{chr(34)}" if own_align else ""}><a:defRPr{differs}>{fill}</a:defRPr></a:lvl1pPr>'
    lst_style = level if differs or own_align or fill else ""
    return f"""<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">
      <p:nvSpPr><p:cNvPr id="{sid}" name="{name} {idx}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>
        <p:nvPr><p:ph{ph_type}{ph_idx}{' sz="quarter"' if kind == 'body' else ''}/></p:nvPr></p:nvSpPr>
      <p:spPr><a:xfrm><a:off x="{int(left)}" y="{int(top)}"/><a:ext cx="{int(width)}" cy="{int(height)}"/></a:xfrm>{outline}</p:spPr>
      <p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="{'ctr' if outline else 'b' if kind == 'ctrTitle' else 't'}"><a:noAutofit/></a:bodyPr>
        <a:lstStyle>{lst_style}</a:lstStyle>
        <a:p><a:r><a:rPr lang="ja-JP" altLang="en-US"/><a:t>{name}</a:t></a:r></a:p></p:txBody></p:sp>"""


def _level(size, bold, color, major):
    """A master text style's first level: no bullet, no indent, the theme's fonts."""
    font = "mj" if major else "mn"
    return (f'<a:lvl1pPr marL="0" indent="0" algn="l" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
            f'<a:lnSpc><a:spcPct val="110000"/></a:lnSpc><a:spcBef><a:spcPts val="0"/></a:spcBef><a:buNone/>'
            f'<a:defRPr sz="{size * 100}" b="{1 if bold else 0}" kern="1200"><a:solidFill><a:schemeClr val="{color}"/></a:solidFill>'
            f'<a:latin typeface="+{font}-lt"/><a:ea typeface="+{font}-ea"/><a:cs typeface="+{font}-cs"/></a:defRPr></a:lvl1pPr>')


def set_master_styles(master) -> None:
    """The master's heading and body text styles: the deck's sizes, weights and theme colours."""
    styles = master._element.find(qn("p:txStyles"))
    for tag, spec, major in (("p:titleStyle", TITLE_STYLE, True), ("p:bodyStyle", BODY_STYLE, False)):
        style = styles.find(qn(tag))
        old = style.find(qn("a:lvl1pPr"))
        new = etree.fromstring(f'<x xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">{_level(*spec, major)}</x>')[0]
        style.replace(old, new)


def set_theme_colors(prs) -> None:
    """The theme's colour scheme: the deck's colours in its slots."""
    master = prs.slide_masters[0]
    part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
    theme = etree.fromstring(part.blob)
    theme.set("name", "slidegen")
    scheme = theme.find(f".//{qn('a:clrScheme')}")
    scheme.set("name", "slidegen")
    for slot, value in COLORS.items():
        element = scheme.find(qn(f"a:{slot}"))
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, qn("a:srgbClr"), val=value)
    theme.find(f".//{qn('a:fontScheme')}").set("name", "slidegen")
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def fill_layout(layout, name, shapes) -> None:
    layout._element.cSld.set("name", name)
    tree = layout.shapes._spTree
    for sp in list(tree.iterchildren()):
        if sp.tag in (qn("p:sp"), qn("p:pic"), qn("p:graphicFrame"), qn("p:grpSp"), qn("p:cxnSp")):
            tree.remove(sp)
    for sid, spec in enumerate(shapes, start=2):
        tree.append(etree.fromstring(shape_xml(*spec, sid=sid)))
    if name in ("図1", "図2", "結果概要"):  # a rule under the heading
        tree.append(etree.fromstring(f"""<p:cxnSp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"
          xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><p:nvCxnSpPr><p:cNvPr id="40" name="Rule"/><p:cNvCxnSpPr/><p:nvPr userDrawn="1"/></p:nvCxnSpPr>
          <p:spPr><a:xfrm><a:off x="{int(Inches(0.5))}" y="{int(Inches(0.97))}"/><a:ext cx="{int(Inches(12.33))}" cy="0"/></a:xfrm>
          <a:prstGeom prst="line"><a:avLst/></a:prstGeom><a:ln w="19050"><a:solidFill><a:schemeClr val="tx2"/></a:solidFill></a:ln></p:spPr></p:cxnSp>"""))


def readable_grey(element) -> None:
    """The footers' grey (the sample notice, the page number) dark enough to read: python-pptx's
    master gives them the text colour tinted to 75 %, which Office renders #8C8C8C on white —
    3.4:1, under the 4.5:1 WCAG AA asks. 75 % of the text colour's lightness plus 25 % (Office's
    「黒、テキスト 1、白 + 基本色 25%」) gives #595959, 7.0:1."""
    for tint in element.iter(qn("a:tint")):
        color = tint.getparent()
        color.remove(tint)
        etree.SubElement(color, qn("a:lumMod"), val="75000")
        etree.SubElement(color, qn("a:lumOff"), val="25000")


def main() -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    set_theme_fonts(prs, FONT_NAME, latin=True)
    set_theme_colors(prs)
    set_master_styles(prs.slide_masters[0])
    layouts = list(prs.slide_layouts)
    shapes_of = layout_shapes(load_layouts(ROOT / "layouts" / "layouts.yaml"))
    keep = layouts[: len(shapes_of)]
    for layout in layouts[len(shapes_of):]:
        prs.slide_layouts.remove(layout)
    for layout, (name, shapes) in zip(keep, shapes_of.items()):
        fill_layout(layout, name, shapes)
    master = prs.slide_masters[0]
    for sp in master.placeholders:  # the master's own placeholders, scaled to 16:9
        sp.left, sp.width = int(sp.left * W / Emu(9144000)), int(sp.width * W / Emu(9144000))
        readable_grey(sp._element)
    core = prs.core_properties
    core.author = core.last_modified_by = "slidegen"
    core.title = "slidegen deck template"
    core.revision = 1
    out = ROOT / "layouts" / "slidegen.pptx"
    import io

    buf = io.BytesIO()
    prs.save(buf)
    write_atomic(out, stable_ooxml(buf.getvalue(), TEMPLATE_DATE))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
