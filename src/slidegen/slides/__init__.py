"""The slide model: every slide of the deck, laid out, as both writers draw it.

:func:`build_deck` evaluates the deck spec's templates on the data, places each text in the
box its template layout gives it, wraps it into lines with the font's metrics and kinsoku
(:mod:`slidegen.figures.jptext`), shrinks it within set limits where it is too long, and fails naming
the slide where it still cannot fit. The PPTX and PDF writers draw this model as it is — the
same lines, sizes and boxes — so the two outputs cannot drift.

Geometry is in EMU (914,400 to the inch, 12,700 to the point), as the template states it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path

from ..aggregate import Tables, shown_label
from ..errors import SlideFitError, TemplateLayoutError
from ..figures import Rendered, marked
from ..figures.fonts import Font, bold_of, fallback_font
from ..figures.jptext import Fillable, break_faults, fill, wrap_balanced, wrap_even
from ..figures.kinds import chart_spec
from ..figures.native import ChartSpec
from ..inputs.codebook import Codebook, document_time
from ..inputs.deck import DeckSpec, SlideSpec
from ..inputs.template import Box, Layout, PlaceholderStyle, Rule, Template, Theme, read_template
from ..ooxml import EMU_PER_PT
from . import sentences

#: a place between a Latin letter or digit and a Japanese character (U+2E80 on), either way round
#: (the class written as "not below U+2E80": the same characters, compiled in a fifth of the time)
_BOUNDARY = re.compile(r"(?<=[A-Za-z0-9])(?=[^\x00-\u2e7f])|(?<=[^\x00-\u2e7f])(?=[A-Za-z0-9])")


@lru_cache(maxsize=1 << 16)
def _boundaries(text: str) -> int:
    """How many times ``text`` passes between Japanese and Latin letters or digits (kept per text:
    wrapping measures the same beginnings of a line again at each width it tries)."""
    return len(_BOUNDARY.findall(text)) if not text.isascii() else 0


def measure(font: Font, size: float, spacing: float = 0.0) -> LineMeasure:
    """Width of a line at ``size``, with room for autospace: what a line may take in any renderer;
    ``spacing`` points added after every character (:attr:`Paragraph.spacing`)."""
    return LineMeasure(font, size, spacing)


class LineMeasure:
    """The width of a line of text in ``font`` at ``size`` points, with room for autospace and
    ``spacing`` points after every character (:func:`measure`): called on a text; and, for a
    wrapper trying line after line of the same pieces, :meth:`spans`."""

    __slots__ = ("font", "size", "spacing", "_upem")

    def __init__(self, font: Font, size: float, spacing: float = 0.0) -> None:
        self.font, self.size, self.spacing = font, size, spacing
        self._upem: int | None = None

    def __call__(self, text: str) -> float:
        return self._width(self.font.units(text), _boundaries(text), len(text))

    def _width(self, units: int, boundaries: int, length: int) -> float:
        # the width of a text of these counts (font units, Latin/Japanese boundaries, characters)
        if self._upem is None:
            self._upem = self.font.upem
        size = self.size
        return units * size / self._upem + AUTOSPACE * size * boundaries + self.spacing * length

    def spans(self, parts: Sequence[str]) -> Callable[[int, int], float]:
        """``span(s, e)``: the width of ``"".join(parts[s:e]).strip()`` — the same number as this
        measure gives that text — from counts summed once over ``parts`` (pieces such as
        :func:`~slidegen.figures.jptext.units` gives: a whitespace piece is all whitespace, no other
        piece holds any), not by joining and measuring each line tried (a wrapper tries every line
        of a paragraph as it grows: the text measured again and again)."""
        blank = [p.isspace() for p in parts]
        units, lengths, inner, joins = [0], [0], [0], [0, 0]
        for k, (part, width) in enumerate(zip(parts, self.font.each_units(parts))):
            units.append(units[-1] + width)
            lengths.append(lengths[-1] + len(part))
            inner.append(inner[-1] + _boundaries(part))
            if k:
                joins.append(joins[-1] + _boundaries(parts[k - 1][-1] + part[0]))

        def span(s: int, e: int) -> float:
            s += blank[s]  # the line's leading and trailing whitespace stripped, as strip() does
            e -= e > s and blank[e - 1]
            if s >= e:
                return self._width(0, 0, 0)
            boundaries = inner[e] - inner[s] + joins[e] - joins[s + 1]
            return self._width(units[e] - units[s], boundaries, lengths[e] - lengths[s])

        return span


LEADING = 1.3  # line height as a multiple of the font size, in both writers
PARAGRAPH_GAP = 0.35  # space after a paragraph, as a multiple of the font size
#: roles whose paragraphs follow one another with no space between: footnotes, each opened by its
#: mark (※, †), so two notes fit the footnote box at the deck's 10 pt (issue 23: one size per role)
GAPLESS = frozenset({"footnotes"})
# Measuring is conservative so that no renderer has to wrap a line again: LibreOffice puts a
# quarter em between Japanese and Latin letters or digits (autospace), and lines keep 2 % spare.
AUTOSPACE = 0.25
SPARE = 0.98

#: the smallest size a role may shrink to when its text is long
MIN_SIZE = {
    "bullets": 11.0,
    "overview": 11.0,
    "title": 20.0,
    "heading": 18.0,
    "caption1": 10.0,
    "caption2": 10.0,
    "subheading": 10.0,
    "footnotes": 9.0,
    "unit1": 10.0,
    "unit2": 10.0,
}


#: roles whose lines are balanced at natural break points rather than filled (titles read as phrases)
BALANCED = {"title", "heading", "subtitle", "subheading", "caption1", "caption2"}


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its text as written, the lines it wraps into in the configured font (which
    the PDF draws), and its bullet mark (if any). The PPTX gives PowerPoint the text unbroken.
    ``spacing``: points added after every character — PowerPoint's 文字間隔 (``spc``), the PDF's
    character spacing — where a paragraph is set a little looser or tighter so that its lines
    break where a reader accepts (:func:`arrange_breaks`); 0 for nearly every paragraph."""

    lines: tuple[str, ...]
    bullet: str | None = None
    source: str = ""  # the text as written; "" where it is the lines joined
    spacing: float = 0.0

    @property
    def text(self) -> str:
        return self.source or "".join(self.lines)


@dataclass(frozen=True)
class TextBlock:
    """Text placed in a placeholder: wrapped, sized and styled."""

    role: str
    style: PlaceholderStyle
    size: float
    paragraphs: tuple[Paragraph, ...]
    indent: float = 0.0  # points from the box's left edge to the text of bulleted lines
    #: per paragraph, the phrases the data put into it (「約7割」): empty for a text that computes nothing
    phrases: tuple[tuple[str, ...], ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def gap(self) -> float:
        """The space after each paragraph but the last, in points (both writers set it)."""
        return paragraph_gap(self.role, self.size)


def paragraph_gap(role: str, size: float) -> float:
    """The space after a paragraph of ``role`` at ``size`` points (:data:`GAPLESS`)."""
    return 0.0 if role in GAPLESS else size * PARAGRAPH_GAP


@dataclass(frozen=True)
class Picture:
    """A figure placed in a picture placeholder, its aspect kept, with its alt text."""

    idx: int
    box: Box
    figure: int
    png: bytes
    svg: bytes
    alt_text: str
    area: Box | None = None  # the placeholder's whole box, where a native chart goes
    chart: ChartSpec | None = None  # the figure as a native chart, for the kinds that have one


@dataclass(frozen=True)
class Slide:
    number: int
    layout: str
    heading: str
    blocks: tuple[TextBlock, ...]
    pictures: tuple[Picture, ...]
    notes: str
    rules: tuple[Rule, ...] = ()


@dataclass(frozen=True)
class Deck:
    """The whole deck as the writers draw it."""

    width: int
    height: int
    title: str
    author: str
    subject: str
    font: Font
    slides: tuple[Slide, ...]
    created: datetime  # the documents' date (see inputs.codebook.document_time), never the clock
    broken_claims: tuple[str, ...] = field(default=())
    theme: Theme = field(default_factory=Theme)  # the template's theme, as the text was laid out in it
    theme_font: str | None = None  # the East Asian font the PPTX writes into the theme; None: keep the theme's
    year: str = ""  # the survey year (R6)
    segment: tuple[str, str] | None = None  # a segment's deck (build --by): its axis and value


def _faces(style: PlaceholderStyle, font: Font, also: tuple[Font, ...] = ()) -> list[Font]:
    """The fonts a text must fit in: ``font``, ``also``, and the bundled fallback of other widths —
    their bold faces where the placeholder sets its text in bold."""
    return [bold_of(f) if style.bold else f for f in dict.fromkeys((font, *also, fallback_font()))]


#: the text blocks laid out before (:func:`kept_layouts`), by all they were laid out from
_FITTED: dict[str, TextBlock] = {}
#: the keys of the blocks this run laid out or took from :data:`_FITTED`
_USED: set[str] = set()


@contextmanager
def kept_layouts(file: Path, salt: str, write: Callable[[Path, bytes], None]) -> Iterator[None]:
    """Inside the ``with``, a text laid out by an earlier build with the same ``salt`` (slidegen's
    code and the libraries it lays text out with) into the same box, in the same fonts (their
    files' sizes and times), is taken as that build laid it out, from ``file``; on leaving without
    an error, the blocks this build laid out are written back with ``write`` (whole or not at all)
    — a rebuild after a correction lays out only the texts whose words changed. Everything in the
    file can be deleted at any time: it is only laid out again."""
    import pickle

    try:
        kept = pickle.loads(file.read_bytes())  # noqa: S301 - slidegen's own cache, beside its output
        blocks = kept["blocks"] if isinstance(kept, dict) and kept.get("salt") == salt else {}
    except Exception:  # noqa: BLE001 - unreadable, or from another version: laid out again
        blocks = {}
    _FITTED.clear()
    _FITTED.update(blocks)
    _USED.clear()
    yield
    mine = {key: _FITTED[key] for key in sorted(_USED)}
    if mine != blocks:
        write(file, pickle.dumps({"salt": salt, "blocks": mine}, protocol=pickle.HIGHEST_PROTOCOL))


def _fit_key(
    role: str,
    style: PlaceholderStyle,
    texts: list[str],
    faces: list[Font],
    font: Font,
    bullet: str | None,
    start: float | None,
    arrange: bool,
) -> str:
    """What a laid-out text depends on: its role, box and words, the fonts — each file's size and
    time — and how it is laid out."""
    stamps: list[tuple[object, ...]] = []
    for face in (font, *faces):
        try:
            st = face.path.stat()
            stamps.append((face.name, face.family, str(face.path), face.fallback_for, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((face.name, str(face.path), None, None, None, None))
    return repr((role, style, tuple(texts), stamps, bullet, start, arrange))


def fit(
    role: str,
    style: PlaceholderStyle,
    texts: list[str],
    font: Font,
    bullet: str | None,
    where: str,
    also: tuple[Font, ...] = (),
    start: float | None = None,
    arrange: bool = True,
) -> TextBlock:
    """Wrap ``texts`` (one paragraph each) into ``style``'s box, shrinking to fit within limits
    (from ``start`` where given: the size its siblings on the slide shrank to, :func:`one_size`).

    The text must fit twice: in ``font`` and in the bundled fallback font, a Japanese font of other
    widths (what PowerPoint on a computer without the configured font lays the text out in), so
    that wherever the deck is opened its text stays in its box. Sentences are wrapped in each font
    as PowerPoint would fill them; a title or caption (:data:`BALANCED`) keeps the phrase breaks
    chosen in ``font``, and each of its lines must fit in both. The lines kept are ``font``'s.
    ``also``: more fonts it must fit in (a heading font the template's theme names). A text the
    renderer wraps (:data:`ARRANGED`) is then given the box in which it breaks well
    (:func:`arrange_breaks`). A text laid out before from all the same (:func:`kept_layouts`) is
    taken as it was.
    """
    key = _fit_key(role, style, texts, _faces(style, font, also), font, bullet, start, arrange)
    _USED.add(key)
    if key in _FITTED:  # laid out before, from all the same
        return _FITTED[key]
    for t in texts:
        font.check(t, f"{where}, {role}")
    size = style.size if start is None else min(start, style.size)
    floor = MIN_SIZE.get(role, style.size)
    width = style.box.width / EMU_PER_PT * SPARE
    height = style.box.height / EMU_PER_PT
    faces = _faces(style, font, also)
    balanced = role in BALANCED
    while True:
        laid: list[tuple[tuple[Paragraph, ...], float, float, float, Font]] = []
        for face in faces:
            fits = measure(face, size)
            indent = face.width(bullet + "　", size) if bullet else 0.0
            if balanced and laid:  # the phrase breaks of the configured font, measured in this one
                paragraphs = laid[0][0]
            elif balanced:
                paragraphs = tuple(
                    Paragraph(tuple(wrap_balanced(t, width - indent, fits, max_lines=3)), bullet, t) for t in texts
                )
            else:
                paragraphs = tuple(Paragraph(tuple(wrap_even(t, width - indent, fits)), bullet, t) for t in texts)
            lines = sum(len(p.lines) for p in paragraphs)
            needed = lines * size * LEADING + max(len(paragraphs) - 1, 0) * paragraph_gap(role, size)
            widest = max((fits(line) + indent for p in paragraphs for line in p.lines), default=0)
            laid.append((paragraphs, indent, needed, widest, face))
        if all(needed <= height + 0.5 and widest <= width + 0.5 for _, _, needed, widest, _ in laid):
            paragraphs, indent = laid[0][0], laid[0][1]
            block = TextBlock(role, style, size, paragraphs, indent)
            _FITTED[key] = arrange_breaks(block, faces, where) if arrange and role in ARRANGED else block
            return _FITTED[key]
        if size - 0.5 < floor - 1e-9:
            _, _, needed, widest, face = max(laid, key=lambda item: max(item[2] / height, item[3] / width))
            raise SlideFitError(
                f"{where}: the {role} text needs {needed:.0f} pt of height and {widest:.0f} pt of width at "
                f"{size:g} pt in {face.name}, but its box is {width:.0f} × {height:.0f} pt; shorten it or enlarge the box "
                "in the template"
            )
        size -= 0.5


#: the most of its box a unit line (「（回答比率：％） (n=8、参考値)」) may take on one line: beyond it
#: LibreOffice, which spaces digits and Latin letters from Japanese, broke 「参考/値」 in a half slot
UNIT_ROOM = 0.9
#: the roles whose paragraphs PowerPoint and LibreOffice wrap, whose line breaks slidegen arranges
ARRANGED = frozenset({"bullets", "overview", "footnotes"})
#: what a rendered line takes beyond its glyphs' advances, in points: found by comparing
#: :func:`~slidegen.figures.jptext.filled` with LibreOffice's renders of the R6 deck (5–7 pt)
RENDER_SLACK = 6.0
#: how far either way a renderer may set a line wider or narrower than predicted, in ems (one
#: character: LibreOffice with IPAexゴシック broke a line one character off the prediction): a
#: break is arranged only where it holds across that range, in half-em steps
RENDER_DOUBT = 0.5
#: the most a box narrows to move a break, as a share of its width
NARROW_MOST = 0.2
#: the step the box narrows by, in points
NARROW_STEP = 4.0


#: the most a paragraph is set looser or tighter to move a break, in points a character: at 14 pt
#: a line of 60 characters gains or loses up to four; the R6 summary's tightest paragraph (−0.9 pt)
#: reads a shade denser than its neighbours, as Japanese typesetters' 詰め does
TRACK_MOST = 1.0
#: the step of that search, in points: PowerPoint states character spacing in hundredths of a point
TRACK_STEP = 0.1


def arrange_breaks(block: TextBlock, faces: list[Font], where: str) -> TextBlock:
    """``block`` arranged so that every paragraph, filled as PowerPoint and LibreOffice fill it
    (:func:`~slidegen.figures.jptext.filled`, a closing 。 hanging), breaks well in every one of
    ``faces`` — no last line of fewer than four characters, no katakana word or kanji compound
    split (:func:`~slidegen.figures.jptext.break_faults`) — and still fits at its size: in the
    widest box that does it (its right edge moved in, never out, by at most :data:`NARROW_MOST`);
    where no box width suits every paragraph (issue 23: slide 2's eight), each paragraph that
    breaks badly is set a little looser or tighter (:attr:`Paragraph.spacing`, at most
    :data:`TRACK_MOST`) where that moves its breaks to good places in every face without adding a
    line (:func:`_tracked`). Unchanged where it already breaks well."""
    full = block.style.box.width / EMU_PER_PT
    widths = {face: partial(face.width, size=block.size) for face in faces}  # (each text measured once: Font.width)

    indents = {
        face: face.width(block.paragraphs[0].bullet + "　", block.size) if block.paragraphs[0].bullet else 0.0
        for face in faces
    }
    doubt = RENDER_DOUBT * block.size
    prepared = {(face, p.text): Fillable.of(p.text, widths[face]) for face in faces for p in block.paragraphs}

    def good(p: Paragraph, spacing: float, width: float = full) -> int:
        """How many of the widths within the renderer's doubt — ``width`` slidegen predicts, then
        half the doubt either way, then all of it — ``p`` breaks well at in every face, set at
        ``spacing``: the count up to the first that fails, so 5 where it breaks well at all."""
        count = 0
        texts = {face: prepared[face, p.text].spaced(spacing) if spacing else prepared[face, p.text] for face in faces}
        for w in (width, width - doubt / 2, width + doubt / 2, width - doubt, width + doubt):
            for face in faces:
                if break_faults(p.text, fill(texts[face], w - RENDER_SLACK - indents[face])):
                    return count
            count += 1
        return count

    def bad(p: Paragraph, width: float) -> bool:
        """Whether ``p`` breaks badly in a box ``width`` wide, in any face, anywhere within the
        renderer's doubt."""
        return good(p, 0.0, width) < 5

    order = list(block.paragraphs)

    def faults(width: float) -> bool:
        """Whether any paragraph breaks badly at ``width`` — the one that did last time asked first
        (on a slide no width suits, one paragraph fails at nearly every width)."""
        for k, p in enumerate(order):
            if bad(p, width):
                order.insert(0, order.pop(k))
                return True
        return False

    if not faults(full):
        return block
    texts = [p.text for p in block.paragraphs]
    bullet = block.paragraphs[0].bullet if block.paragraphs else None
    narrowed = NARROW_STEP
    while narrowed <= full * NARROW_MOST:
        if not faults(full - narrowed):
            box = block.style.box
            style = dataclasses.replace(
                block.style, box=dataclasses.replace(box, width=box.width - round(narrowed * EMU_PER_PT))
            )
            try:
                again = fit(
                    block.role, style, texts, faces[0], bullet, where, tuple(faces[1:]), block.size, arrange=False
                )
            except SlideFitError:
                again = None
            if again is not None and again.size == block.size:
                return dataclasses.replace(again, phrases=block.phrases)
        narrowed += NARROW_STEP
    return _tracked(block, faces, full, good)


def _tracked(block: TextBlock, faces: list[Font], full: float, good: Callable[[Paragraph, float], int]) -> TextBlock:
    """``block`` with each paragraph that breaks badly somewhere within the renderer's doubt set at
    the spacing, looser or tighter, at which it breaks well in every face over the most of the
    doubt (``good``: the predicted width first, then half the doubt either way, then all of it),
    the least such spacing, without giving it another line in any face. Where no spacing breaks it
    well over all the doubt, the most of it wins (slide 2's longest paragraph: BIZ UDPゴシック and
    IPAexゴシック end its first line a few characters apart, inside a run of kanji compounds, and no
    one spacing moves both ends to good places for every width). Its lines (which the PDF draws)
    are wrapped again at that spacing; a paragraph no spacing helps is left as it was."""
    width = full * SPARE
    steps = round(TRACK_MOST / TRACK_STEP)
    tries = [round(sign * k * TRACK_STEP, 2) for k in range(1, steps + 1) for sign in (-1, 1)]

    def lines(p: Paragraph, face: Font, spacing: float) -> list[str]:
        indent = face.width(p.bullet + "　", block.size) if p.bullet else 0.0
        return wrap_even(p.text, width - indent, measure(face, block.size, spacing))

    paragraphs = []
    for p in block.paragraphs:
        best = good(p, 0.0)
        if best < 5:
            counts = [len(p.lines) if face is faces[0] else len(lines(p, face, 0.0)) for face in faces]
            spaced = None
            for s in tries:
                score = good(p, s)
                # (a tighter paragraph never takes more lines: only a looser one is wrapped to see)
                if score > best and (s < 0 or all(len(lines(p, f, s)) <= n for f, n in zip(faces, counts))):
                    best, spaced = score, s
                    if score == 5:
                        break
            if spaced is not None:
                p = dataclasses.replace(p, lines=tuple(lines(p, faces[0], spaced)), spacing=spaced)
        paragraphs.append(p)
    return dataclasses.replace(block, paragraphs=tuple(paragraphs))


def family(role: str) -> str:
    """The role a block plays whatever figure it belongs to: caption1 and caption2 are captions."""
    return role.rstrip("0123456789")


def one_size(blocks: list[TextBlock], font: Font, where: str, also: dict[str, tuple[Font, ...]]) -> list[TextBlock]:
    """The slide's blocks with one type size per role (issue 23): where one block of a role — a
    caption, a unit line — had to shrink to fit, the others of that role on the slide shrink with
    it, so two captions side by side never read at 11 and 12 pt. ``also``: the further fonts a
    role's text must fit in (:func:`fit`)."""
    smallest: dict[str, float] = {}
    for b in blocks:
        smallest[family(b.role)] = min(b.size, smallest.get(family(b.role), b.size))
    out = []
    for b in blocks:
        size = smallest[family(b.role)]
        if b.size > size:
            texts = [p.text for p in b.paragraphs]
            bullet = b.paragraphs[0].bullet if b.paragraphs else None
            refit = fit(b.role, b.style, texts, font, bullet, where, also.get(b.role, ()), start=size)
            b = dataclasses.replace(refit, phrases=b.phrases)
        out.append(b)
    return out


#: what separates two notes that share a line
NOTE_GAP = "　"


def pack(notes: list[str], style: PlaceholderStyle, font: Font) -> list[str]:
    """Notes joined, in order, onto as few lines as the box's width allows at its size — in the
    deck's font and the fallback — so three short footnotes need not take three lines."""
    width = style.box.width / EMU_PER_PT * SPARE
    faces = _faces(style, font)

    def fits(text: str) -> bool:
        return all(measure(face, style.size)(text) <= width for face in faces)

    lines: list[str] = []
    for note in notes:
        if lines and fits(lines[-1] + NOTE_GAP + note):
            lines[-1] += NOTE_GAP + note
        else:
            lines.append(note)
    return lines


def _picture(idx: int, style: PlaceholderStyle, rendered: Rendered, tables: Tables, codebook: Codebook) -> Picture:
    """A figure's picture in its placeholder, with its native chart."""
    n = rendered.description.number
    figure_spec = codebook.figure(n)
    table = marked(tables.figure(n), figure_spec, codebook)
    return _fit_picture(idx, style, rendered, chart_spec(figure_spec, table, codebook, rendered.description.alt_text))


def placed_figures(
    spec: DeckSpec, tables: Tables, codebook: Codebook, rendered: list[Rendered], template: Template
) -> list[Picture]:
    """Every figure's picture as :func:`build_deck` places it — its box on its slide's layout,
    its native chart — in slide order, without laying out any text (a figure's place is its
    placeholder's): what the PPTX writer can begin making while the slides are laid out. A figure
    whose slide or placeholder the template lacks is left out (laying the slide out says why)."""
    figures = {r.description.number: r for r in rendered}
    placed = []
    for s in spec.slides:
        roles = spec.layouts.roles.get(s.layout, {}) if spec.layouts is not None else {}
        layout = template.layouts.get(s.layout)
        for k, n in enumerate(s.figures, start=1):
            idx = roles.get(f"figure{k}")
            if layout is not None and idx in layout.placeholders and n in figures:
                placed.append(_picture(idx, layout.placeholders[idx], figures[n], tables, codebook))
    return placed


def _fit_picture(idx: int, style: PlaceholderStyle, rendered: Rendered, chart: ChartSpec | None = None) -> Picture:
    """The figure scaled into the placeholder's box, aspect kept, centred."""
    from ..figures.style import SLOTS

    w_in, h_in = SLOTS[rendered.description.slot]
    box = style.box
    scale = min(box.width / (w_in * 914400), box.height / (h_in * 914400))
    w, h = int(w_in * 914400 * scale), int(h_in * 914400 * scale)
    placed = Box(box.left + (box.width - w) // 2, box.top + (box.height - h) // 2, w, h)
    return Picture(
        idx, placed, rendered.description.number, rendered.png, rendered.svg, rendered.description.alt_text, box, chart
    )


def _notes(figures: list[Rendered], tables: Tables, codebook: Codebook, source: str) -> str:
    """Speaker notes: each figure's table as 「label: value」 lines, its annotations, and the source."""
    from ..aggregate import shown_gains
    from ..figures.wording import bracket_text, gain_text, percent_text, value_text

    def shown(value: float, unit: str) -> str:
        return percent_text(value) if unit == "percent" else value_text(value, unit)

    lines = []
    context = sentences.Context(tables, codebook)
    for r in figures:
        d = r.description
        table = tables.figure(d.number)
        spec = codebook.figure(d.number)
        lines.append(f"{d.caption} {d.n_label} {d.unit_label}")
        for i, s in enumerate(table.series):
            if len(table.series) > 1:
                legend = spec.series[i].legend if i < len(spec.series) else None
                lines.append(f"［{s.name}］{legend or s.name}")
            lines += [f"{shown_label(row, tables.sample_data)}: {shown(row.value, table.unit)}" for row in s.rows]
        if spec.center is not None:
            option = codebook.questions[spec.series[0].question].option(spec.center)
            lines.append(f"{option.short_label or option.label}: {percent_text(context.value(d.number, spec.center))}")
        if spec.bracket:
            lines.append(bracket_text(spec.bracket.label, context.bracket(d.number)))
        lines += [f"{row.label}: {gain_text(g)}" for row, g in shown_gains(table, spec.gain_min)]
        lines += list(d.footnotes)
        lines.append("")
    lines.append(source)
    return "\n".join(lines)


def _templates(s: SlideSpec) -> dict[str, list[str]]:
    """A slide spec's text templates by role (heading, bullets, …)."""
    return {
        "subtitle": [s.subtitle] if s.subtitle else [],
        "title": [s.title] if s.title else [],
        "byline": list(s.byline),
        "overview": list(s.overview),
        "heading": [s.heading] if s.heading else [],
        "bullets": [b.text for b in s.bullets],
        "subheading": [s.subheading] if s.subheading else [],
    }


def slide_phrases(s: SlideSpec, context: sentences.Context, where: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Each text of a slide spec evaluated on the data with the phrases the data put into it, by role."""

    def parts(template_text: str) -> tuple[str, tuple[str, ...]]:
        try:
            return sentences.render_parts(template_text, context)
        except sentences.TemplateError as e:
            raise sentences.TemplateError(f"{where}: {e}") from None

    return {role: [parts(t) for t in templates] for role, templates in _templates(s).items() if templates}


def slide_texts(s: SlideSpec, context: sentences.Context, where: str) -> dict[str, list[str]]:
    """The texts of a slide spec evaluated on the data, by role (heading, bullets, …)."""
    return {role: [text for text, _ in parts] for role, parts in slide_phrases(s, context, where).items()}


@dataclass
class _Placing:
    """One slide being laid out: its layout's roles and placeholders, its phrased texts, and the
    text blocks placed so far, each fitted to its placeholder."""

    where: str
    layout: str
    template: Path
    roles: dict[str, int]
    shapes: dict[int, PlaceholderStyle]
    font: Font
    heading_font: Font | None
    phrased: dict[str, list[tuple[str, tuple[str, ...]]]]
    blocks: list[TextBlock] = field(default_factory=list)

    def style_of(self, role: str) -> PlaceholderStyle:
        idx = self.roles.get(role)
        if idx is None or idx not in self.shapes:
            raise TemplateLayoutError(
                f"{self.template}: layout {self.layout!r} has no placeholder for {role} (idx {idx}); {self.where} needs it"
            )
        return self.shapes[idx]

    @property
    def also(self) -> dict[str, tuple[Font, ...]]:
        """The further fonts each placed role's text must fit in: a heading's, the theme's."""
        return {b.role: self._also(b.style) for b in self.blocks}

    def _also(self, style: PlaceholderStyle) -> tuple[Font, ...]:
        return (self.heading_font,) if style.heading and self.heading_font is not None else ()

    def add(self, role: str, texts: list[str], bullet: str | None = None) -> None:
        if texts:
            style = self.style_of(role)
            block = fit(role, style, texts, self.font, bullet, self.where, self._also(style))
            phrases = tuple(p for _, p in self.phrased.get(role, []))
            self.blocks.append(dataclasses.replace(block, phrases=phrases) if any(phrases) else block)


@dataclass(frozen=True)
class _DeckLayout:
    """What every slide of a deck is laid out with: the deck spec, the template's layouts, the
    data and its figures, the fonts and the source line."""

    spec: DeckSpec
    template: Path
    layouts: dict[str, Layout]
    context: sentences.Context
    tables: Tables
    codebook: Codebook
    figures: dict[int, Rendered]
    font: Font
    heading_font: Font | None
    source: str

    def slide(self, number: int, s: SlideSpec) -> tuple[Slide, list[str]]:
        """Slide ``number`` laid out from ``s``, and the claims of its wording the data breaks."""
        if s.layout not in self.layouts:
            raise TemplateLayoutError(
                f"{self.template}: the template has no layout {s.layout!r}, which slide {number} of "
                f"{self.spec.path.name} uses; its layouts are {', '.join(self.layouts)}"
            )
        assert self.spec.layouts is not None
        where = f"slide {number} ({s.heading or s.layout})"
        shapes = self.layouts[s.layout].placeholders
        roles = self.spec.layouts.roles.get(s.layout, {})
        phrased = slide_phrases(s, self.context, f"{self.spec.path}: {where}")
        placing = _Placing(where, s.layout, self.template, roles, shapes, self.font, self.heading_font, phrased)
        texts = {role: [text for text, _ in parts] for role, parts in phrased.items()}
        heading = (texts.get("heading") or texts.get("title") or [""])[0]
        for role in ("subtitle", "title", "byline", "overview", "heading", "bullets", "subheading"):
            placing.add(role, texts.get(role, []), s.bullet if role == "bullets" else None)
        broken = broken_claims(s, self.context, f"スライド{number}（{heading or s.layout}）", self.spec.path)
        pictures, shown = self._figures(s, placing)
        placing.blocks = one_size(placing.blocks, self.font, where, placing.also)
        self._furniture(number, s, placing)
        notes = _notes(shown, self.tables, self.codebook, self.source) if shown else self.source
        laid = Slide(
            number, s.layout, heading, tuple(placing.blocks), tuple(pictures), notes, self.layouts[s.layout].rules
        )
        return laid, broken

    def _figures(self, s: SlideSpec, placing: _Placing) -> tuple[list[Picture], list[Rendered]]:
        """Each figure of the slide — caption, unit line, picture with its native chart — and the
        footnotes they carry, once each."""
        pictures, shown, footnotes = [], [], []
        for k, n in enumerate(s.figures, start=1):
            r = self.figures[n]
            shown.append(r)
            d = r.description
            placing.add(f"caption{k}", [d.caption] + ([d.subcaption] if d.subcaption else []))
            placing.add(f"unit{k}", [f"{d.unit_label} {d.n_label}"])
            role = f"figure{k}"
            pictures.append(_picture(placing.roles[role], placing.style_of(role), r, self.tables, self.codebook))
            footnotes += list(d.footnotes)
        blocks = placing.blocks
        units = [b for b in blocks if b.role.startswith("unit")]
        crowded = any(  # a line a renderer that spaces 「n=8、参考値」 wider may break inside its words
            measure(self.font, b.size)(b.paragraphs[0].text) > b.style.box.width / EMU_PER_PT * UNIT_ROOM
            for b in units
            if len(b.paragraphs[0].lines) == 1
        )
        if crowded or any(len(b.paragraphs[0].lines) > 1 for b in units):
            # a unit line too long for one line breaks between its unit and its n, not inside
            # 「(n=8、参考値)」, and a pair alike: each (n=…) on a line of its own
            for b, n in zip(units, s.figures):
                d = self.figures[n].description
                blocks[blocks.index(b)] = fit(
                    b.role, b.style, [d.unit_label, d.n_label], self.font, None, placing.where
                )
        if footnotes:  # a note two figures share, once; short notes share a line
            placing.add("footnotes", pack(list(dict.fromkeys(footnotes)), placing.style_of("footnotes"), self.font))
        return pictures, shown

    def _furniture(self, number: int, s: SlideSpec, placing: _Placing) -> None:
        """The footer (a sample deck's notice), the cover's sample stamp and the page number."""
        assert self.spec.layouts is not None
        survey, shapes = self.codebook.survey, placing.shapes
        footer = survey.sample_note if survey.sample_data else None
        footer_at, number_at = self.spec.layouts.footer, self.spec.layouts.number
        cover = self.spec.layouts.is_cover(s.layout)
        if footer and not cover and footer_at in shapes:
            placing.blocks.append(fit("footer", shapes[footer_at], [footer], self.font, None, placing.where))
        if survey.sample_data and "stamp" in placing.roles:  # a sample deck says so on its cover
            placing.add("stamp", [survey.sample_mark])
        if number_at in shapes and not cover:  # no page number on a cover
            placing.blocks.append(
                TextBlock("number", shapes[number_at], shapes[number_at].size, (Paragraph((str(number),)),))
            )


def build_deck(
    spec: DeckSpec,
    tables: Tables,
    codebook: Codebook,
    rendered: list[Rendered],
    template: Path | Template,
    font: Font,
    source: str,
    *,
    heading_font: Font | None = None,
    theme_font: str | None = None,
) -> Deck:
    """Lay out every slide of ``spec`` on ``template`` (a file, or one read already) in ``font`` (and, for headings, in
    ``heading_font`` too); broken claims are collected, not printed silently. ``theme_font``: the
    East Asian font the deck's theme is to name, where the template's is not kept."""
    laid_on = template if isinstance(template, Template) else read_template(template)
    if spec.layouts is None:
        raise TemplateLayoutError(f"{spec.path}: the deck spec was read without the template's layouts (layouts.yaml)")
    figures = {r.description.number: r for r in rendered}
    context = sentences.Context(tables, codebook)
    deck = _DeckLayout(
        spec, laid_on.path, laid_on.layouts, context, tables, codebook, figures, font, heading_font, source
    )
    broken: list[str] = []
    slides = []
    for number, s in enumerate(spec.slides, start=1):
        slide, breaks = deck.slide(number, s)
        slides.append(slide)
        broken += breaks
    survey = codebook.survey
    return Deck(
        laid_on.width,
        laid_on.height,
        survey.title,
        survey.author,
        f"{survey.fiscal_year} {survey.title}",
        font,
        tuple(slides),
        deck_date(codebook),
        tuple(broken),
        laid_on.theme,
        theme_font,
        survey.year,
        tables.segment,
    )


def deck_date(codebook: Codebook) -> datetime:
    """The date every document of the deck carries (:func:`~slidegen.inputs.codebook.document_time`
    of the survey's publication), never the clock."""
    return document_time(codebook.survey.published_date)


def broken_claims(s: SlideSpec, context: sentences.Context, where: str, path: Path) -> list[str]:
    """What the data no longer supports of the slide's published wording: one line per broken
    claim, in Japanese, naming the slide, the sentence, what it rests on and what the data gives
    now (:func:`~slidegen.slides.sentences.explain`), and the claim as deck.yaml writes it."""
    broken = []
    for b in s.bullets:
        for claim in b.claims:
            try:
                holds = bool(sentences.evaluate(claim, context))
            except sentences.TemplateError as e:
                raise sentences.TemplateError(f"{path}: {where}: {e}") from None
            if not holds:
                sentence = sentences.render(b.text, context)
                broken.append(
                    f"{where}：「{sentence}」は、{sentences.explain(claim, context)}を前提とするが、"
                    f"今のデータでは成り立たない（deck.yaml の claims: {claim}）"
                )
    return broken


def shown_values(spec: DeckSpec, tables: Tables, codebook: Codebook) -> dict[str, tuple[str, tuple[int, ...]]]:
    """Every value the deck shows, as it prints it, with the slides that show it: the cover's
    response counts and rates, each option's share and count, each figure's n, the bracket sums,
    the point gains of a paired figure and the rows of a gap figure by rank. What a change report
    compares, so no change to the deck goes unsaid."""
    from ..aggregate import share, shown_gains
    from ..figures.wording import gain_text

    shown: dict[str, tuple[str, tuple[int, ...]]] = {}
    covers = tuple(
        number
        for number, s in enumerate(spec.slides, start=1)
        if spec.layouts is not None and spec.layouts.is_cover(s.layout)
    )
    overview = tables.survey
    shown["有効回答数"] = (f"{overview.responses:,}", covers)
    shown["有効回答率"] = (f"{overview.response_rate:.1f}", covers)
    for kind, count in overview.responses_by_kind.items():
        shown[f"有効回答数（{kind}）"] = (f"{count:,}", covers)
    for kind, rate in overview.response_rate_by_kind.items():
        shown[f"有効回答率（{kind}）"] = (f"{rate:.1f}", covers)
    on: dict[int, tuple[int, ...]] = {}
    for number, s in enumerate(spec.slides, start=1):
        for n in s.figures:
            on[n] = (*on.get(n, ()), number)
    for n, slides in sorted(on.items()):
        table, figure = tables.figure(n), codebook.figure(n)
        several = len(table.series) > 1
        for series in table.series:
            for row in series.rows:
                key = f"図{n} {series.name + ' ' if several else ''}{row.label}"
                shown[key] = (f"{row.value:.1f}", slides)
                if row.count is not None:
                    shown[f"{key}（件数）"] = (f"{row.count:,}", slides)
            if figure.gap is not None:
                for rank, row in enumerate(series.rows, start=1):
                    shown[f"図{n} {rank}位"] = (row.label, slides)
        shown[f"図{n} n"] = (f"{table.n:,}", slides)
        if figure.bracket is not None:
            shown[f"図{n} ブラケット「{figure.bracket.label}」"] = (f"{share(table, figure.bracket.codes):.1f}", slides)
        for row, gain in shown_gains(table, figure.gain_min):
            shown[f"図{n} 増加幅「{row.label}」"] = (gain_text(gain), slides)
    return shown
