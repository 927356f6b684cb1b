"""The template's look wins: an office's template — its theme colours, theme fonts and a title
style it keeps on the master — restyles the deck, its native charts, its figures and its PDF,
with no change to slidegen. The office template here is made from slidegen's own, as an office
would restyle it in PowerPoint."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from lxml import etree
from pptx import Presentation
from pptx.enum.dml import MSO_COLOR_TYPE
from pypdf import PdfReader
from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str

from slidegen import pipeline
from slidegen.figures.fonts import resolve_font
from slidegen.inputs.template import read_template, read_theme

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
ACCENTS = {"accent1": "7A1F3D", "accent2": "B8860B", "accent3": "E6B8C6", "accent4": "F3DCE3", "accent5": "8FBC8F", "accent6": "2F6F4F"}


def office_template(path: Path, east_asian: str, latin: str = "Arial") -> Path:
    """slidegen's template restyled: other accents, other theme fonts (``east_asian`` "" for none),
    and the heading style set on the master — 26 pt, regular, in accent2 — which every layout's
    title inherits (its own list style emptied)."""
    prs = Presentation(str(ROOT / "layouts" / "slidegen.pptx"))
    master = prs.slide_masters[0]
    part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
    theme = etree.fromstring(part.blob)
    for slot, value in ACCENTS.items():
        element = theme.find(f".//{A}clrScheme/{A}{slot}")
        for child in list(element):
            element.remove(child)
        etree.SubElement(element, f"{A}srgbClr", val=value)
    for which in ("majorFont", "minorFont"):
        fonts = theme.find(f".//{A}{which}")
        fonts.find(f"{A}latin").set("typeface", latin)
        fonts.find(f"{A}ea").set("typeface", east_asian)
        for script in fonts.findall(f"{A}font"):
            if script.get("script") == "Jpan":
                script.set("typeface", east_asian) if east_asian else fonts.remove(script)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    title = master._element.find(f"{P}txStyles/{P}titleStyle/{A}lvl1pPr/{A}defRPr")
    title.set("sz", "2600")
    title.set("b", "0")
    fill = title.find(f"{A}solidFill")
    for child in list(fill):
        fill.remove(child)
    etree.SubElement(fill, f"{A}schemeClr", val="accent2")
    for layout in prs.slide_layouts:
        for ph in layout.placeholders:
            if ph.placeholder_format.type is not None and ph._element.ph.get("type") == "title":
                style = ph._element.find(f".//{A}lstStyle")
                for child in list(style):
                    style.remove(child)
    prs.save(str(path))
    return path


@pytest.fixture(scope="module")
def office(tmp_path_factory, r6):
    """The R6 deck and PDF built on the office template: (output folder, progress messages, template)."""
    folder = tmp_path_factory.mktemp("office")
    template = office_template(folder / "office.pptx", "IPAexゴシック")
    messages: list[str] = []
    result = pipeline.build(r6, out=folder / "R6", template=template, pdf=True, progress=messages.append)
    return result.out, messages, template


def test_the_build_measures_with_the_templates_east_asian_font_and_says_so(office):
    _, messages, _ = office
    font = next(m for m in messages if m.startswith("font: "))
    assert font.startswith(
        "font: IPAexゴシック (the template's theme font); text measured with IPAexゴシック and with IPAexゴシック"
    )


def test_the_templates_theme_fonts_and_colours_are_kept(office):
    out, _, _ = office
    with zipfile.ZipFile(out / "R6_deck.pptx") as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
    for which in ("majorFont", "minorFont"):
        assert theme.find(f".//{A}{which}/{A}latin").get("typeface") == "Arial"
        assert theme.find(f".//{A}{which}/{A}ea").get("typeface") == "IPAexゴシック"
    kept = read_theme(out / "R6_deck.pptx")
    assert {slot: kept.colors[slot] for slot in ACCENTS} == ACCENTS


def test_the_charts_take_the_templates_accents(office):
    """The native charts name theme slots, so they show the office's accents: the ranking bars of
    figure 3 in its accent1; the band of figure 2 its favourable answers in accent1 and accent2,
    the others in accent5 and accent6."""
    out, _, _ = office
    prs = Presentation(str(out / "R6_deck.pptx"))
    theme = read_theme(out / "R6_deck.pptx")
    shapes = {s.name: s for slide in prs.slides for s in slide.shapes}
    ranking = shapes["slidegen:図3"].chart.plots[0].series[0].points
    fills = [p.format.fill.fore_color for p in ranking]
    assert fills[0].type == MSO_COLOR_TYPE.SCHEME
    assert theme.rgb(fills[0].theme_color.name.lower().replace("_", "")) == f"#{ACCENTS['accent1']}"
    band = next(s for s in shapes["slidegen:図2"].shapes if s.has_chart).chart.plots[0].series
    slots = [s.format.fill.fore_color.theme_color.name.lower().replace("_", "") for s in band][:4]
    assert [theme.rgb(s) for s in slots] == [f"#{ACCENTS[f'accent{i}']}" for i in (1, 2, 5, 6)]


def test_the_titles_follow_the_master(office):
    """The headings carry no size, weight or colour of their own: they show the master's title
    style (26 pt regular, accent2), which the slide model measured them in."""
    out, _, template = office
    style = read_template(template).layouts["図1"].placeholders[0]
    assert (style.size, style.bold, style.color) == (26.0, False, ACCENTS["accent2"])
    prs = Presentation(str(out / "R6_deck.pptx"))
    headings = 0
    for slide in prs.slides:
        for shape in slide.placeholders:
            if shape._element.ph.get("type") != "title":
                continue
            for rpr in shape._element.iter(f"{A}rPr"):
                assert rpr.get("b") is None and rpr.find(f"{A}solidFill") is None
                assert rpr.get("sz") in (None, *[str(s) for s in range(1800, 2600, 50)])  # only where it was shrunk
            headings += 1
    assert headings == 15


def test_the_pdf_and_the_figures_take_the_same_theme(office):
    """The figures (their SVG, as the web page holds it, and so the PDF) are drawn in the office's
    accents; the PDF draws the headings in the colour the master gives them."""
    out, _, _ = office
    page = (out / "R6_deck.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 18 and f"#{ACCENTS['accent1']}".lower() in page.lower()
    heading = HexColor(f"#{ACCENTS['accent2']}")
    operator = f"{fp_str(heading.red, heading.green, heading.blue)} rg"
    page = PdfReader(io.BytesIO((out / "R6_deck.pdf").read_bytes())).pages[1]
    assert operator in page.get_contents().get_data().decode("latin-1")


def test_a_theme_without_an_east_asian_font_gets_the_configured_one(tmp_path, r6):
    """Where the template's theme names no East Asian font, slidegen writes the configured font into
    that slot alone (the office's Latin font stays) and measures with it."""
    template = office_template(tmp_path / "latin-only.pptx", "")
    messages: list[str] = []
    result = pipeline.build(r6, out=tmp_path / "R6", template=template, progress=messages.append)
    font = resolve_font()
    name = font.fallback_for or font.name
    assert any(m.startswith(f"font: {name} (the template's theme names no East Asian font)") for m in messages)
    with zipfile.ZipFile(result.out / "R6_deck.pptx") as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
    assert theme.find(f".//{A}minorFont/{A}ea").get("typeface") == name
    assert theme.find(f".//{A}minorFont/{A}latin").get("typeface") == "Arial"


def test_a_tint_is_computed_as_office_renders_it_and_the_footer_reads_at_aa():
    """Issue 23, item 5: Office tints in linear light — #222222 at 75 % is #8C8C8C on screen (3.4:1
    on white), which is how the sample notice rendered; slidegen's template now sets the footers'
    grey by lightness (#595959, 7.0:1), and reads a tint as Office does, so PPTX and PDF agree."""
    from slidegen.inputs.template import _transform

    tint = etree.fromstring(f'<a:schemeClr xmlns:a="{A[1:-1]}" val="tx1"><a:tint val="75000"/></a:schemeClr>')
    assert _transform("222222", tint) == "8C8C8C"

    def luminance(rgb: str) -> float:
        c = [int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    layouts = read_template(ROOT / "layouts" / "slidegen.pptx").layouts
    checked = []
    for name, layout in layouts.items():
        for idx in (11, 12):  # the footer (the sample notice) and the page number
            if idx in layout.placeholders:
                color = layout.placeholders[idx].color
                assert 1.05 / (luminance(color) + 0.05) >= 4.5, (name, idx, color)
                checked.append(color)
    assert len(checked) >= 6 and set(checked) == {"595959"}


@pytest.mark.parametrize("minor", [None, "BIZ UDPゴシック", "IPAexゴシック", "存在しないフォント"])
@pytest.mark.parametrize("explicit", ["", "IPAexゴシック"])
def test_the_deck_font_is_named_without_looking_for_it_as_the_fonts_found_name_it(minor, explicit, monkeypatch):
    """The 集計表 names the deck's font without looking for any file (its process has none found):
    the very name the fonts the deck is measured in give — the body font's, or the one it stands in for."""
    from slidegen.figures import fonts

    monkeypatch.setenv("SLIDEGEN_FONT", explicit)
    fonts.resolve_font.cache_clear()
    try:
        body = fonts.deck_fonts(None, minor).body
    finally:
        fonts.resolve_font.cache_clear()
    assert fonts.deck_font_name(minor) == (body.fallback_for or body.name)


def test_a_placeholders_kind_is_read_as_python_pptx_reads_it(r6):
    """The template reader finds each placeholder's type without python-pptx's XPath (compiled
    again for every shape: half of reading the template): the same type for every placeholder
    of every layout and master, and none for a shape that is not one."""
    from pptx import Presentation

    from slidegen.inputs.template import _kind

    prs = Presentation(str(r6.template))
    shapes = [s for m in prs.slide_masters for s in m.shapes]
    shapes += [s for layout in prs.slide_layouts for s in layout.shapes]
    assert len(shapes) > 30
    for shape in shapes:
        ph = shape._element.ph
        assert _kind(shape) == (ph.get("type", "obj") if ph is not None else "obj")
    assert {_kind(s) for s in shapes} >= {"title", "body", "ftr", "sldNum"}
