"""Figures: each figure of the deck drawn from its table in the house style.

:func:`describe` gives what a slide prints around a figure (caption, unit label, n,
footnotes) and its alt text; :func:`draw` draws it as a matplotlib figure of the size of its
slide area, choosing the kind of chart from the codebook; :func:`render` turns that into PNG
(for the slides) and SVG (vectors, for the PDF), the same bytes for the same data.

A drawn figure is checked before it is saved: every text inside the figure, no two texts
overlapping, every glyph in the font. What fails is an error naming the figure.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..aggregate import ANSWER_LABELS, UNIT_LABELS, FigureTable, ranked, share, shown_gains, shown_label, table_notes
from ..errors import FigureError
from ..inputs.codebook import Codebook, FigureSpec
from ..inputs.template import Theme
from . import style, wording
from .fonts import Font
from .jptext import full_width_digits
from .kinds import KINDS

if TYPE_CHECKING:  # matplotlib is imported only when a figure is drawn: a cached rebuild needs none of it
    from matplotlib.figure import Figure

    from .charts import Canvas


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


def draw(spec: FigureSpec, table: FigureTable, codebook: Codebook, slot: str, font: Font, theme: Theme) -> Figure:
    """The figure drawn at the size of its slot in ``theme``'s colours, checked to fit."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from .charts import Canvas
    from .layout import FitError

    for text in _strings(spec, table, codebook):
        font.check(text, f"figure {spec.number}")
    width, height = style.SLOTS[slot]
    fig = Figure(figsize=(width, height), dpi=72)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width * 72)
    ax.set_ylim(0, height * 72)
    ax.set_axis_off()
    c = Canvas(ax, width * 72, height * 72, font, theme)
    try:
        _draw_chart(c, spec, table, codebook, slot)
        _check_layout(fig)
    except FitError as e:
        raise FigureError(f"figure {spec.number} ({spec.title}, {slot} width): {e}") from None
    return fig


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


def _check_layout(fig: Figure) -> None:
    """Every text inside the figure and clear of every other text, and every leader clear of every
    text but its own and of every other leader, as the renderer draws them."""
    from .layout import FitError

    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # an Agg canvas has one
    texts = [t for t in fig.axes[0].texts if t.get_text()]
    # laying the texts out (no need to paint them) sets every glyph: a missing one warns here
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph .* missing from font")
        try:
            boxes = [(t, t.get_window_extent(renderer)) for t in texts]
        except UserWarning as e:
            raise FitError(f"the font cannot draw a character: {e}") from None
    frame = fig.bbox
    for t, box in boxes:
        if box.x0 < frame.x0 + 1 or box.y0 < frame.y0 or box.x1 > frame.x1 - 1 or box.y1 > frame.y1:
            raise FitError(f"the text {t.get_text()!r} runs outside the figure")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if box_a.overlaps(box_b):
                raise FitError(f"the texts {a.get_text()!r} and {b.get_text()!r} overlap")
    leaders = [line for line in fig.axes[0].lines if str(line.get_gid() or "").startswith("leader:")]
    paths = [line.get_path().transformed(line.get_transform()) for line in leaders]
    for line, path in zip(leaders, paths):
        own = f"label:{str(line.get_gid()).split(':', 1)[1]}"
        for t, box in boxes:
            if t.get_gid() != own and path.intersects_bbox(box, filled=False):
                raise FitError(f"the leader of {own[6:]!r} crosses the text {t.get_text()!r}")
        for other, other_path in zip(leaders, paths):
            if other is not line and path.intersects_path(other_path, filled=False):
                raise FitError(f"the leaders of {own[6:]!r} and {str(other.get_gid())[7:]!r} cross")


def render(fig: Figure, description: Description, png: bool = True) -> Rendered:
    """PNG and SVG bytes of a drawn figure; no dates or versions in their metadata. With ``png``
    False the figure is not rasterised (its PNG is empty): the PDF and the web page draw the SVG."""
    import matplotlib

    pixels, svg = io.BytesIO(), io.BytesIO()
    # SVG keeps its text as text (in the figure's font family), so the PDF draws it in the embedded
    # font: searchable, and far quicker to convert than one outline per character
    with matplotlib.rc_context({"svg.hashsalt": f"slidegen-{description.stem}", "svg.fonttype": "none"}):
        if png:
            fig.savefig(
                pixels, format="png", dpi=style.DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
            )
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return Rendered(description, pixels.getvalue(), svg.getvalue())


#: the code a figure's pixels depend on, relative to this package
_DRAWING_CODE = (
    "style.py",
    "wording.py",
    "charts.py",
    "layout.py",
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
    from importlib.metadata import version
    from pathlib import Path

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
    import dataclasses
    import hashlib
    import json

    options = [dataclasses.asdict(codebook.questions[s.question]) for s in spec.series]
    stat = font.path.stat()
    payload = {
        "spec": dataclasses.asdict(spec),
        "table": dataclasses.asdict(table),
        "options": options,
        "slot": slot,
        "colors": theme.colors,
        "font": [str(font.path), stat.st_size, stat.st_mtime_ns],
        **(drawing if drawing is not None else drawing_fingerprint()),
    }
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
