"""The deck as one web page (``R6_deck.html``), written by every build beside the PPTX and the PDF
from the same slide model, so the three cannot drift.

One self-contained file — no script, no network, ``lang="ja"`` — for a ministry's website, where
a PDF comes with an HTML page and a chart needs a short summary and its data as a real table:

- a skip link to the content and a table of contents (every slide's heading, linked);
- per slide a section: its heading, its sentences (bullets as a list), and each figure as a
  ``figure``: its caption and unit line, the drawing as inline SVG whose ``title`` and ``desc`` are
  the figure's title and alt text, and beside it the figure's data as a table — options as row
  headers, one column per series, the values as the slide shows them (※ and † marks kept) — then
  the figure's notes;
- the sample notice and the 出典 line at the foot of the page;
- text in the deck's font family with Japanese fallbacks, and a print stylesheet.

Each SVG's ids are prefixed with its figure's, so ids stay unique on the page.
"""

from __future__ import annotations

import html

from lxml import etree

from ..slides import Deck, Picture, Slide
from .figure_data import block as _block
from .figure_data import data_table, figure_name, unit_line
from .figure_data import paragraphs as _paragraphs

#: roles whose text is the slide's body, in reading order (the figures' blocks come with each figure)
BODY_ROLES = ("subtitle", "byline", "overview", "bullets", "subheading")
#: fonts after the deck's own, for a reader without it
FALLBACK_FONTS = ('"BIZ UDPGothic"', '"BIZ UDPゴシック"', '"Hiragino Sans"', '"Yu Gothic"', "Meiryo", "sans-serif")

STYLE = """
:root { color: #1a1a1a; background: #fff; }
body { font-family: FONTS; line-height: 1.7; margin: 0 auto; max-width: 60rem; padding: 0 1rem 2rem; }
a { color: #0b4f8a; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: 1rem; }
h1 { font-size: 1.6rem; margin: 1.5rem 0 .5rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #0b4f8a; padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; }
figure { margin: 1.5rem 0; }
figcaption { font-weight: bold; }
figcaption .unit { font-weight: normal; display: block; }
svg { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
table { border-collapse: collapse; margin: .5rem 0; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #767676; padding: .2rem .6rem; }
thead th { background: #e8eef6; }
tbody th { text-align: left; font-weight: normal; }
td { text-align: right; font-variant-numeric: tabular-nums; }
.notes { font-size: .9rem; }
footer { border-top: 1px solid #767676; margin-top: 3rem; font-size: .9rem; }
@media print {
  .skip, nav { display: none; }
  section { break-before: page; }
  a { color: inherit; text-decoration: none; }
}
"""


def html_bytes(deck: Deck, source: str = "") -> bytes:
    """The page as UTF-8 bytes, the same for the same deck; ``source`` the 出典 line."""
    fonts = ", ".join(dict.fromkeys((f'"{deck.font.family}"', *FALLBACK_FONTS)))
    cover, *rest = deck.slides
    title = _text(cover, "title") or deck.title
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(deck.subject)}</title>",
        f'<meta name="author" content="{_e(deck.author)}">',
        f"<style>{STYLE.replace('FONTS', fonts)}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">本文へ移動</a>',
        "<header>",
        f"<h1>{_e(title)}</h1>",
        *(f"<p>{_e(t)}</p>" for role in ("subtitle", "byline", "stamp") if (t := _text(cover, role))),
        "</header>",
        '<nav aria-labelledby="toc"><h2 id="toc">目次</h2><ol>',
        *(f'<li><a href="#slide-{s.number}">{_e(s.heading)}</a></li>' for s in rest),
        "</ol></nav>",
        '<main id="main">',
        *(_section(s) for s in rest),
        "</main>",
        "<footer>",
        *(f"<p>{_e(t)}</p>" for t in dict.fromkeys(_text(s, "footer") for s in rest) if t),
        f"<p>{_e(source)}</p>" if source else "",
        "</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(p for p in parts if p != "").encode("utf-8") + b"\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _text(slide: Slide, role: str) -> str:
    block = _block(slide, role)
    return "\n".join(_paragraphs(block)) if block else ""


def _section(slide: Slide) -> str:
    """One slide: its heading, its sentences, its figures with their data, its notes."""
    out = [f'<section id="slide-{slide.number}" aria-labelledby="slide-{slide.number}-h">']
    out.append(f'<h2 id="slide-{slide.number}-h">{_e(slide.heading)}</h2>')
    for role in BODY_ROLES:
        block = _block(slide, role)
        if block is None:
            continue
        texts = _paragraphs(block)
        if role == "bullets":
            out.append("<ul>" + "".join(f"<li>{_e(t)}</li>" for t in texts) + "</ul>")
        elif role == "subheading":
            out += [f"<h3>{_e(t)}</h3>" for t in texts]
        else:
            out += [f"<p>{_e(t)}</p>" for t in texts]
    for k, picture in enumerate(slide.pictures, start=1):
        out.append(_figure(slide, k, picture))
    notes = _block(slide, "footnotes")
    if notes is not None:
        out.append('<div class="notes">' + "".join(f"<p>{_e(t)}</p>" for t in _paragraphs(notes)) + "</div>")
    out.append("</section>")
    return "\n".join(out)


def _figure(slide: Slide, k: int, picture: Picture) -> str:
    """A figure: caption and unit line, the drawing (inline SVG, titled and described) and its data."""
    n = picture.figure
    caption = _paragraphs(b) if (b := _block(slide, f"caption{k}")) else []
    unit = unit_line(slide, k)
    head = _e(caption[0]) if caption else f"図{n}"
    sub = "".join(f'<span class="unit">{_e(t)}</span>' for t in [*caption[1:], unit] if t)
    return "\n".join(
        [
            f'<figure id="figure-{n}" aria-labelledby="figure-{n}-cap">',
            f'<figcaption id="figure-{n}-cap">{head}{sub}</figcaption>',
            _svg(picture),
            _table(slide, k, picture),
            "</figure>",
        ]
    )


def _svg(picture: Picture) -> str:
    """The figure's SVG inline: its ids prefixed with the figure's, a title and the alt text as its
    description, named as an image by them."""
    if not picture.svg:
        return ""
    prefix = f"f{picture.figure}-"
    root = etree.fromstring(picture.svg, etree.XMLParser(resolve_entities=False, no_network=True))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, prefix + value)
            elif name.endswith("href") and value.startswith("#"):
                element.set(name, "#" + prefix + value[1:])
            elif "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{prefix}"))
    svg_ns = root.nsmap.get(None, "http://www.w3.org/2000/svg")
    title = etree.Element(f"{{{svg_ns}}}title", id=f"{prefix}title")
    title.text = figure_name(picture)
    desc = etree.Element(f"{{{svg_ns}}}desc", id=f"{prefix}desc")
    desc.text = picture.alt_text
    root.insert(0, desc)
    root.insert(0, title)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}title {prefix}desc")
    return etree.tostring(root, encoding="unicode")


def _table(slide: Slide, k: int, picture: Picture) -> str:
    """The figure's data (:func:`~slidegen.writers.figure_data.data_table`): options as row headers,
    a column per series."""
    table = data_table(slide, k, picture)
    if table is None:
        return ""
    option, *series = table.columns
    head = "".join(f'<th scope="col">{_e(name)}</th>' for name in series)
    rows = "".join(
        f'<tr><th scope="row">{_e(label)}</th>' + "".join(f"<td>{v}</td>" for v in values) + "</tr>"
        for label, values in table.rows
    )
    return (
        f"<table><caption>{_e(table.caption)}</caption>"
        f'<thead><tr><th scope="col">{_e(option)}</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
