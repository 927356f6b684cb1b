"""Figures: each figure of the deck drawn from its table in the house style.

:func:`describe` gives what a slide prints around a figure (caption, unit label, n,
footnotes) and its alt text; :func:`draw` draws it as a :class:`~slidegen.figures.vector.Drawing`
of the size of its slide area, choosing the kind of chart from the codebook; :func:`render` turns
that into SVG (vectors: the web page, and the PDF, which draws it with reportlab) and, where
wanted, PNG (matplotlib rasterises it), the same bytes for the same data.

A drawn figure is checked before it is saved: every text inside the figure, no two texts
overlapping, every glyph in the font — measured with the font's own metrics, as every output
sets the text. What fails is an error naming the figure.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..aggregate import ANSWER_LABELS, UNIT_LABELS, FigureTable, ranked, share, shown_gains, shown_label, table_notes
from ..errors import FigureError
from ..inputs.codebook import Codebook, FigureSpec
from . import style, wording
from .jptext import full_width_digits
from .kinds import KINDS

if TYPE_CHECKING:  # a drawing's modules (and the template's reader, lxml) are imported to draw: a
    # process that reads the codebook against the kinds (counting the data) needs none of them
    from ..inputs.template import Theme
    from .charts import Canvas
    from .fonts import Font
    from .vector import Drawing, Line


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]')


def figure_label(number: int) -> str:
    """図１ … 図９ with a full-width digit, 図10 and on with half-width digits, as the deck writes them."""
    return f"図{full_width_digits(str(number)) if number < 10 else number}"


@dataclass(frozen=True)
class Description:
    """What the slide prints around a figure, and what describes it to those who cannot see it."""

    number: int
    chart: str
    slot: str
    caption: str  # 【図１】金融機関との連携状況（択一回答）
    subcaption: str | None  # （地方創生が本格化してからの10年間）
    unit_label: str  # （回答比率：％）
    n_label: str  # (n=1,403)
    footnotes: tuple[str, ...]  # ※1：…
    alt_text: str
    stem: str  # file name without extension: fig01_金融機関との連携状況


@dataclass(frozen=True)
class Rendered:
    """A drawn figure as files: PNG for slides, SVG for the PDF."""

    description: Description
    png: bytes
    svg: bytes


def describe(spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> Description:
    caption = spec.caption or f"【{figure_label(spec.number)}】{spec.title}（{ANSWER_LABELS[table.answer]}）"
    footnotes: list[str] = []
    if spec.series:
        options = codebook.questions[spec.series[0].question].options
        footnotes = [f"※{i}：{o.footnote}" for i, o in enumerate((o for o in options if o.footnote), start=1)]
    footnotes += table_notes(table, codebook.survey.sample_data)
    alt = f"{figure_label(spec.number)} {spec.title}（n={table.n:,}）。" + "。".join(
        [*_alt_parts(spec, table, codebook), *(d.removeprefix("※") for d in table.departures)]
    )
    stem = _UNSAFE.sub("_", f"fig{spec.number:02d}_{spec.title}")
    return Description(
        spec.number,
        spec.chart,
        slot,
        caption,
        f"（{spec.subtitle}）" if spec.subtitle else None,
        f"（{UNIT_LABELS[table.unit]}）",
        f"(n={table.n:,}、参考値)" if table.reference else f"(n={table.n:,})",
        tuple(footnotes),
        alt,
        stem,
    )


#: how many of a series' options its alt text names, in the order the figure shows them
ALT_OPTIONS = 5


def _alt_parts(spec: FigureSpec, table: FigureTable, codebook: Codebook) -> list[str]:
    """What a figure's alt text says after its title: each series' first options and values (its
    name first where there are several), then the numbers its annotations print — a band's bracket
    sum, a doughnut's centre share, a paired figure's gains."""
    several = len(table.series) > 1
    parts = []
    for series in table.series:
        rows = ranked(series.rows, KINDS[spec.chart].ranked)[:ALT_OPTIONS]
        values = "、".join(f"{r.label} {wording.alt_value(r.value, table.unit)}" for r in rows)
        parts.append(f"{series.name}：{values}" if several else values)
    if spec.bracket is not None:
        parts.append(f"{spec.bracket.label} 計{wording.percent_text(share(table, spec.bracket.codes))}")
    if spec.center is not None:
        option = codebook.questions[spec.series[0].question].option(spec.center)
        value = next(r.value for r in table.series[0].rows if r.code == spec.center)
        parts.append(f"中央に{option.short_label or option.label} {wording.percent_text(value)}")
    gains = shown_gains(table, spec.gain_min)
    if gains:
        said = "、".join(f"{r.label} {wording.gain_alt(g)}" for r, g in gains)
        parts.append(f"{table.series[1].name}が{table.series[0].name}を{spec.gain_min:g}ポイント以上上回る項目：{said}")
    return parts


def _strings(spec: FigureSpec, table: FigureTable, codebook: Codebook) -> list[str]:
    texts = [r.label for s in table.series for r in s.rows]
    texts += [s.legend or s.name for s in spec.series]
    if spec.bracket:
        texts.append(spec.bracket.label)
    if spec.center is not None:
        option = codebook.questions[spec.series[0].question].option(spec.center)
        texts.append(option.short_label or option.label)
    return texts + ["0123456789.％倍＋－pt→†※"]


def draw(spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str, font: Font, theme: Theme) -> Drawing:
    """The figure drawn at the size of its slot in ``theme``'s colours, checked to fit."""
    from .charts import Canvas
    from .layout import FitError
    from .vector import Drawing

    for text in _strings(spec, table, codebook):
        font.check(text, f"figure {spec.number}")
    width, height = style.SLOTS[slot]
    drawing = Drawing(width * 72, height * 72, font)
    try:
        _draw_chart(Canvas(drawing, font, theme), spec, table, codebook, slot)
        check_layout(drawing)
    except FitError as e:
        raise FigureError(f"figure {spec.number} ({spec.title}, {slot} width): {e}") from None
    return drawing


def marked(table: FigureTable, spec: FigureSpec, codebook: Codebook) -> FigureTable:
    """The table with ※1, ※2 … after the labels of options that carry a footnote, and — in a
    sample deck — † after the options it invented."""
    marks: dict[int | None, str] = {}
    if spec.series:
        options = codebook.questions[spec.series[0].question].options
        marks = {o.code: f"※{i}" for i, o in enumerate((o for o in options if o.footnote), start=1)}
    sample = codebook.survey.sample_data
    series = tuple(
        replace(s, rows=tuple(replace(r, label=shown_label(r, sample) + marks.get(r.code, "")) for r in s.rows))
        for s in table.series
    )
    return replace(table, series=series)


def _draw_chart(c: Canvas, spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str) -> None:
    """Draw with the picture renderer of the figure's chart kind (:mod:`slidegen.figures.kinds`)."""
    KINDS[spec.chart].picture(c, spec, marked(table, spec, codebook), codebook, slot)


def check_layout(drawing: Drawing) -> None:
    """Every text inside the figure and clear of every other text, and every leader clear of every
    text but its own and of every other leader — measured as every output sets them
    (:func:`~slidegen.figures.vector.lines_of`)."""
    from .layout import FitError
    from .vector import Line, text_box

    texts = [t for t in drawing.texts() if t.text]
    boxes = [(t, text_box(t, drawing.font)) for t in texts]
    for t, (x0, y0, x1, y1) in boxes:
        if x0 < 1 or y0 < 0 or x1 > drawing.width - 1 or y1 > drawing.height:
            raise FitError(f"the text {t.text!r} runs outside the figure")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if _overlap(box_a, box_b):
                raise FitError(f"the texts {a.text!r} and {b.text!r} overlap")
    leaders = [s for s in drawing.find("leader:") if isinstance(s, Line)]
    for line in leaders:
        own = f"label:{line.gid.split(':', 1)[1]}"
        for t, box in boxes:
            if t.gid != own and any(_crosses_box(seg, box) for seg in _segments(line)):
                raise FitError(f"the leader of {own[6:]!r} crosses the text {t.text!r}")
        for other in leaders:
            if other is not line and any(_cross(p, q) for p in _segments(line) for q in _segments(other)):
                raise FitError(f"the leaders of {own[6:]!r} and {other.gid[7:]!r} cross")


Segment = tuple[tuple[float, float], tuple[float, float]]


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _segments(line: Line) -> list[Segment]:
    points = list(zip(line.xs, line.ys))
    return list(zip(points, points[1:]))


def _cross(p: Segment, q: Segment) -> bool:
    """Whether two segments meet (touching ends included)."""

    def side(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    (a, b), (c, d) = p, q
    d1, d2, d3, d4 = side(c, d, a), side(c, d, b), side(a, b, c), side(a, b, d)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True
    return any(
        s == 0 and min(u[0], v[0]) <= w[0] <= max(u[0], v[0]) and min(u[1], v[1]) <= w[1] <= max(u[1], v[1])
        for s, (u, v), w in ((d1, q, a), (d2, q, b), (d3, p, c), (d4, p, d))
    )


def _crosses_box(seg: Segment, box: tuple[float, float, float, float]) -> bool:
    """Whether a segment enters a box: an end inside it, or crossing one of its sides."""
    x0, y0, x1, y1 = box
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in seg):
        return True
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return any(_cross(seg, (corners[i], corners[(i + 1) % 4])) for i in range(4))


def render(drawing: Drawing, description: Description, png: bool = True) -> Rendered:
    """PNG and SVG bytes of a drawn figure; no dates or versions in their metadata. The SVG is
    written straight from the drawing (:func:`~slidegen.figures.vector.to_svg`); the PNG — only
    where ``png``: a deck of pictures, the figures/ folder — is rasterised by matplotlib
    (:func:`rasterise`; empty otherwise: the PDF and the web page draw the SVG)."""
    from .vector import to_svg

    return Rendered(description, rasterise(drawing) if png else b"", to_svg(drawing))


def rasterise(drawing: Drawing) -> bytes:
    """The drawing as a PNG at :data:`~slidegen.figures.style.DPI`, rasterised by matplotlib."""
    from matplotlib.font_manager import FontProperties

    from .vector import to_matplotlib

    _register(drawing.font)
    family = drawing.font.family
    fig = to_matplotlib(drawing, lambda size: FontProperties(family=family, size=size))
    pixels = io.BytesIO()
    fig.savefig(pixels, format="png", dpi=style.DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return pixels.getvalue()


_registered: set[str] = set()


def _register(font: Font) -> None:
    """Make matplotlib find ``font``'s family in the very file slidegen chose."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    key = str(font.path)
    if key not in _registered:
        font_manager.fontManager.addfont(key)
        _registered.add(key)
        # never a silent fallback to another family (the same family installed elsewhere is fine)
        font_manager.findfont(FontProperties(family=font.family), fallback_to_default=False)


#: the code a figure's pixels depend on, relative to this package
_DRAWING_CODE = (
    "style.py",
    "wording.py",
    "charts.py",
    "layout.py",
    "vector.py",
    "__init__.py",
    "jptext.py",
    "fonts.py",
    "kinds/__init__.py",
    "kinds/base.py",
    *(f"kinds/{name}.py" for name in KINDS),
)
#: the libraries a figure's bytes depend on: another version may draw or encode differently
DRAWING_LIBRARIES = ("matplotlib", "numpy", "pillow", "fonttools")


def drawing_fingerprint() -> dict[str, object]:
    """What every figure's pixels depend on beyond its own data: the versions of the libraries that
    draw and encode it, and the drawing code itself (so a style change redraws every figure).
    Worked out once per build and handed to :func:`figure_key`."""
    import hashlib
    from pathlib import Path

    from ..inputs.versions import version

    here = Path(__file__).parent
    return {
        "libraries": {name: version(name) for name in DRAWING_LIBRARIES},
        "code": [hashlib.sha256((here / name).read_bytes()).hexdigest() for name in _DRAWING_CODE],
    }


def figure_key(
    spec: FigureSpec,
    table: FigureTable,
    codebook: Codebook,
    slot: str,
    font: Font,
    theme: Theme,
    drawing: dict[str, object] | None = None,
) -> str:
    """A hash of everything a figure's pixels depend on: its spec and table, the options it labels,
    its slot, the font file, the theme's colours and the :func:`drawing_fingerprint` (worked out
    here where ``drawing`` is not given)."""
    import hashlib

    questions = [codebook.questions[s.question] for s in spec.series]
    stat = font.path.stat()
    font_file = (str(font.path), stat.st_size, stat.st_mtime_ns)
    drawn_with = drawing if drawing is not None else drawing_fingerprint()
    # a frozen dataclass's repr names every field and value (a float as it reads back), and these
    # hold no set, whose order could differ between runs: quick and whole
    shown = repr((spec, table, questions, slot, theme.colors, font_file, drawn_with))
    return hashlib.sha256(shown.encode()).hexdigest()
