"""``build``: a survey year made into its deck, PDF, figures, 集計表 and manifest, replacing the
output folder only when every stage has succeeded."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..aggregate import Tables
from ..build.cache import FigureCache
from ..build.folders import KEPT, check_output_folder, made_files, remove_stale, staged_dir
from ..build.manifest import MANIFEST, Manifest, SlideText, Snapshot, fingerprint
from ..build.parallel import Parts, run_each, started, started_parts
from ..compare.changes import compare, report
from ..errors import ProjectError
from ..inputs.deck import DeckSpec
from ..inputs.kinds import CHARTS_NATIVE, CHARTS_PICTURE
from ..inputs.project import Year, which_corrections
from ..slides.sentences import Context
from .drawing import Plan, draw, lay_out, plan, with_images
from .loading import Hashes, Inputs, Look, Progress, current, input_files
from .xlsx import counted_parts, workbook

if TYPE_CHECKING:  # the slide model imports python-pptx: only a build needs it
    from datetime import datetime

    from ..inputs.template import Theme
    from ..slides import Deck, Picture
    from .segmenting import FellBack, Segment

#: slidegen's own code, which every output depends on (its hash is in the build's fingerprint)
CODE = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the output folder and each file in it."""

    out: Path
    files: tuple[Path, ...]
    font: str
    broken_claims: tuple[str, ...] = ()
    up_to_date: bool = False  # nothing changed: the previous build was kept as it was


def build(
    year: Year,
    *,
    data: Path | None = None,
    out: Path | None = None,
    template: Path | None = None,
    pdf: bool = False,
    progress: Progress = lambda _: None,
    charts: str = CHARTS_NATIVE,
    corrections: Path | str | None = None,
    figures: bool = False,
) -> BuildResult:
    """Build a survey year into ``out`` (default ``output/<year>/``): figures, the deck and its
    manifest, replacing the folder only when every stage has succeeded.

    ``out`` must be new, empty, or the folder of an earlier build that nobody added files to; it
    may not be or hold the project's data, the template or an input file
    (:func:`~slidegen.build.folders.check_output_folder`). Drawn figures are cached beside it
    (:class:`~slidegen.build.cache.FigureCache`). ``charts`` ``native`` puts the figures into the
    PPTX as PowerPoint charts; ``picture`` as images. ``figures`` also writes each figure as PNG
    (200 dpi) and SVG into ``figures/``, to paste elsewhere; without it no figure is rasterised
    unless the deck is one of pictures. The template's look and every input's hash are worked out
    once and handed to each stage.
    """
    out = out or year.output_dir
    # the data read, checked and counted on another core while this one finds the fonts; the
    # table stays there (only counting needs it), so this process never imports pandas
    read = FigureCache.beside(out).folder / "inputs.pickle"  # the input files as read, for the next build
    # the template's theme read here, once: the counting process writes the 集計表 in its font
    from ..inputs.template import read_theme

    theme = read_theme(template or year.template)
    counting = partial(counted_parts, year, data, corrections, theme, read)
    with _font_notes(out), started_parts(counting) as loaded:
        run, files, stamp_of = _prepare(year, data, template, pdf, progress, charts, corrections, figures, theme=theme)
        check_output_folder(out, [year.root / "data", year.root / "layouts", *files])
        stamp = stamp_of("")
        previous = Manifest.read(out / MANIFEST)
        kept = _kept(out, previous, stamp)
        if kept is not None:
            progress(f"up to date: nothing changed since the last build of {out}")
            return kept
        _ready(run, year, loaded)
        inputs, spec, result, source = current(year, data, progress, corrections, run.hashes, partial(loaded, 0))
        progress(f"font: {run.look.fonts.summary()} ({run.look.font.path})")
        with _kept_layouts(out):
            return _write(run, out, stamp, previous, inputs, spec, result, source, partial(loaded, 1))


def _kept_layouts(out: Path) -> AbstractContextManager[None]:
    """The texts laid out by the last build of ``out`` taken as they were where nothing they
    depend on changed, kept in its cache (:func:`~slidegen.slides.kept_layouts`), under a hash of
    slidegen's code (:func:`~slidegen.inputs.versions.code_version`) and BudouX's version."""
    import hashlib

    from ..inputs.versions import code_version, version
    from ..slides import kept_layouts
    from ..writers.outputs import write_atomic

    salt = hashlib.sha256(f"budoux={version('budoux')}\0{code_version()}".encode()).hexdigest()
    return kept_layouts(FigureCache.beside(out).folder / "layouts.pickle", salt, write_atomic)


@contextmanager
def _font_notes(out: Path) -> Iterator[None]:
    """The fonts found and measured from the notes in the cache of ``out``, kept there after
    (:func:`~slidegen.figures.fonts.kept_notes`), and the PDF's faces as reportlab reads them
    (:func:`~slidegen.writers.pdf_faces.kept_faces`): a rebuild opens no font it measured or
    parsed before."""
    from ..figures.fonts import kept_notes
    from ..writers.outputs import write_atomic
    from ..writers.pdf_faces import kept_faces

    folder = FigureCache.beside(out).folder
    with kept_notes(folder / "fonts.json", write_atomic), kept_faces(folder / "pdf-fonts", write_atomic):
        yield


@dataclass(frozen=True)
class SegmentBuild:
    """One segment's deck of a ``build --by`` run: the segment, what its build wrote, and the
    sentences of the national deck that fell back there (:func:`segment_deck`)."""

    value: str
    result: BuildResult
    fell_back: tuple[FellBack, ...]


def build_by(
    year: Year,
    axis: str,
    *,
    data: Path | None = None,
    out: Path | None = None,
    template: Path | None = None,
    pdf: bool = False,
    progress: Progress = lambda _: None,
    charts: str = CHARTS_NATIVE,
    corrections: Path | str | None = None,
    figures: bool = False,
    each: Callable[[int, int, str], None] = lambda done, total, value: None,
) -> tuple[list[SegmentBuild], Path]:
    """A deck for every segment of ``axis`` (data/segments.yaml), each with all a build writes, in
    ``<out>/segments/<axis>/<value>/`` (``out`` defaults to ``output/<year>/``), and the axis's
    比較表 beside them; the segments' builds and where the 比較表 went.

    One run for the axis: the inputs are loaded, the look resolved and every segment aggregated
    once (:func:`~slidegen.pipeline.segmenting.cut`). Each segment's deck shows its own tables
    with small cells withheld (:meth:`~slidegen.aggregate.Protected.shown_table`) and its own
    sentences (:func:`~slidegen.pipeline.segmenting.segment_deck`). The decks are made a core's
    worth at a time, each whole in its own forked worker (layout, files, PDF one after another —
    a deck's own steps gain nothing from more processes once every core has a deck), and written
    as a build writes, whole or not at all, so an interrupted run leaves every finished deck and no
    half one (a stopped worker's staging folder is removed). ``each(done, total, value)`` is
    called at the start and as each deck is finished, in order, naming the next (a progress
    bar's steps)."""
    from ..writers.comparison_xlsx import file_name as comparison_file
    from .segmenting import cut, segment_view
    from .xlsx import write_comparison

    root = (out or year.output_dir) / "segments" / axis
    with _font_notes(root):
        run, files, stamp_of = _prepare(
            year, data, template, pdf, progress, charts, corrections, figures, also=(year.segments,)
        )
        protected = [year.root / "data", year.root / "layouts", *files]
        inputs, spec, _, source = current(year, data, progress, corrections, run.hashes)
        by = cut(inputs, axis)
        progress(f"font: {run.look.fonts.summary()} ({run.look.font.path})")
        quiet = dataclasses.replace(run, progress=lambda _: None)  # a deck's own lines: the bar says enough
        targets = [root / _folder_name(segment.value) for segment in by.segments]
        for target in targets:  # every refusal before any deck is written
            check_output_folder(target, protected)

        def one(segment: Segment, target: Path) -> SegmentBuild:
            stamp = stamp_of(f" segment={axis}/{segment.value}")
            previous = Manifest.read(target / MANIFEST)
            mine, deck_spec, shown, fell = segment_view(inputs, spec, segment)
            result = _kept(target, previous, stamp) or _write(
                quiet, target, stamp, previous, mine, deck_spec, shown, source
            )
            return SegmentBuild(segment.value, result, fell)

        values = [segment.value for segment in by.segments]
        _prepare_writers(run.look, pdf, with_workbook=True)  # once, here: else each worker does it for its first deck
        _prepare_text(run.look, year, "".join(values))
        each(0, len(values), values[0] if values else "")
        try:
            # a deck per core at a time, each whole (its own worker: layout, files, PDF, one after another)
            built = run_each(
                [partial(one, segment, target) for segment, target in zip(by.segments, targets)],
                lambda k, _: each(k + 1, len(values), values[k + 1] if k + 1 < len(values) else ""),
            )
        except BaseException:
            for target in targets:  # a worker stopped mid-deck left its staging folder: never a half deck
                remove_stale(target)
            raise
        comparison = write_comparison(inputs, by, root / comparison_file(year.name, axis))
        return built, comparison


def _ready(run: _Run, year: Year, counting: Parts) -> None:
    """What the deck is laid out and written with, made ready while the data are being counted in
    another process (``counting``): the template's layouts read and the writers' modules
    imported, and — only where that process is counting them (:func:`~slidegen.build.parallel.jobs`):
    else it costs what it saves — every character of the year's deck spec and codebook looked up
    in every face the text is measured in, BudouX's model loaded, and what each writer needs
    before there is a deck (:func:`_prepare_writers`) for as long as the data have not come: the
    writers, each in its own process, do the rest side by side."""
    from ..build.parallel import jobs, stops_held

    with stops_held():  # mostly imports: a Ctrl-C is taken after each step
        from ..figures.jptext import phrase_ends
        from ..writers import html, pdf, pptx  # noqa: F401

        run.look.layouts  # noqa: B018 - a cached property: read now, kept for the layout
    if jobs() < 2:
        return
    with stops_held():
        phrase_ends("")
    _prepare_text(run.look, year)
    _prepare_writers(run.look, run.pdf, until=lambda: counting.ready(0))


def _prepare_text(look: Look, year: Year, also: str = "") -> None:
    """Every character of the year's deck spec and codebook, and of ``also``, looked up in every
    face the text is measured in: the processes forked after find them read, and the font notes
    keep them (:func:`_font_notes`)."""
    chars = also + "".join(f.read_bytes().decode("utf-8", "ignore") for f in (year.deck, year.codebook) if f.is_file())
    for face in look.fonts.measured():
        face.prepare(chars)


def _prepare_writers(
    look: Look, pdf: bool, until: Callable[[], bool] = lambda: False, with_workbook: bool = False
) -> None:
    """Each writer's libraries imported and its fonts read in this process (a PDF's only with
    ``pdf``; the 集計表's only with ``with_workbook``: a single deck's is written by the process that
    counts the data), before it forks the process that writes the PPTX, which inherits them: the
    PPTX's first (it is written in a process of its own, the longest task), then the PDF's (written
    in this process after) and the 集計表's. Each is begun only while ``until()`` is false."""
    from ..build.parallel import stops_held
    from ..writers import pdf as pdf_writer
    from ..writers import pptx, tables_xlsx

    steps: list[Callable[[], None]] = [pptx.prepare]
    steps += pdf_writer.preparing(look.font) if pdf else []  # in steps: the PDF's writer does the rest
    steps += [tables_xlsx.prepare] if with_workbook else []
    for step in steps:
        if until():
            return
        with stops_held():
            step()


def _folder_name(value: str) -> str:
    """A segment's folder: its name, with what a file system refuses in a name replaced."""
    return "".join("_" if c in '/\\:*?"<>|' else c for c in value).strip(". ") or "_"


def _kept(out: Path, previous: Manifest | None, stamp: str) -> BuildResult | None:
    """The build already in ``out``, where it was made from the very inputs ``stamp`` fingerprints
    and is intact: nothing to do."""
    if previous is None or previous.fingerprint != stamp or not previous.intact(out):
        return None
    return BuildResult(out, files_in(out), previous.font, previous.broken_claims, up_to_date=True)


def _prepare(
    year: Year,
    data: Path | None,
    template: Path | None,
    pdf: bool,
    progress: Progress,
    charts: str,
    corrections: Path | str | None,
    figures: bool,
    also: tuple[Path, ...] = (),
    theme: Theme | None = None,
) -> tuple[_Run, list[Path], Callable[[str], str]]:
    """What every deck of a run is made with (the look resolved once: ``theme``, the template's,
    where it is read already), the files it reads, and its fingerprint as a function of what else
    a deck depends on (a segment's name)."""
    if charts not in (CHARTS_NATIVE, CHARTS_PICTURE):
        raise ProjectError(f"charts={charts!r}: expected {CHARTS_PICTURE!r} or {CHARTS_NATIVE!r}")
    look = Look.of(template or year.template, theme)
    data_path = data or year.responses
    chosen = which_corrections(year, corrections)
    logs = [chosen.log] if chosen.log is not None else []
    files = input_files(year, data, chosen, look.template)
    fonts, font = look.fonts, look.font
    if font.fallback_for:
        progress(f"warning: {font.describe()}")
    heading = fonts.heading.path if fonts.heading is not None else None
    hashes = Hashes()
    settings = (
        f"pdf={pdf} figures={figures} font={font.name} heading={heading} theme={fonts.theme} charts={charts} "
        f"corrections={[p.name for p in logs]} sheets={[p.name for p in chosen.sheets]}"
    )

    def stamp_of(more: str) -> str:
        return fingerprint([*files, *also], CODE, font.path, settings + more, hashes)

    return _Run(look, hashes, charts, pdf, figures, progress, data_path), files, stamp_of


@dataclass(frozen=True)
class _Run:
    """What every deck of one run is made with: the look, the files' hashes, the options."""

    look: Look
    hashes: Hashes
    charts: str
    pdf: bool
    figures: bool
    progress: Progress
    data_path: Path


def _write(
    run: _Run,
    out: Path,
    stamp: str,
    previous: Manifest | None,
    inputs: Inputs,
    spec: DeckSpec,
    result: Tables,
    source: str,
    book: Callable[[], bytes] | None = None,
) -> BuildResult:
    """The deck of ``result`` (the survey's tables, or a segment's) made and written into ``out``,
    which is replaced only when every file is made; what changed since ``previous`` said. ``book``
    gives the 集計表 where it is being written elsewhere (by the process that counted the data);
    else it is written here."""
    look, progress, charts, pdf, figures = run.look, run.progress, run.charts, run.pdf, run.figures
    font = look.font
    cache = FigureCache.beside(out)
    planned = plan(inputs, result, font, look.theme, cache, png=figures or charts == CHARTS_PICTURE)
    deck, written = _make(inputs, result, spec, planned, cache, look, source, charts, pdf, figures, progress, book)
    for claim in deck.broken_claims:
        progress(f"warning: {claim}")
    manifest = _manifest(inputs, result, deck, run.data_path, look.template, stamp, written, run.hashes)
    changes = None
    if previous is not None:
        lines = compare(previous.snapshot, manifest.snapshot)
        changes = report(lines, MANIFEST)
        for line in lines or ["前回のビルドから変更なし"]:
            progress(f"changed: {line}")
    dropped = sorted((made_files(out) or set()) - set(written) - {MANIFEST, "changes.txt"})
    with staged_dir(out) as staging:
        for relative, data_bytes in written.items():
            (staging / relative).parent.mkdir(exist_ok=True)
            (staging / relative).write_bytes(data_bytes)
        (staging / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if changes is not None:
            (staging / "changes.txt").write_text(changes, encoding="utf-8")
    name = f"{inputs.year.name}_deck"
    progress(
        f"deck: wrote {name}.pptx" + (f", {name}.pdf" if pdf else "") + f", {name}.html and {_xlsx_name(inputs.year)}"
    )
    for relative in dropped:
        hint = " (build with --pdf to keep a PDF beside the deck)" if relative.endswith(".pdf") else ""
        progress(f"removed: {relative}, which the previous build wrote and this one does not{hint}")
    return BuildResult(out, files_in(out), font.summary(), deck.broken_claims)


def _xlsx_name(year: Year) -> str:
    from ..writers.tables_xlsx import file_name

    return file_name(year.name)


def _make(
    inputs: Inputs,
    result: Tables,
    spec: DeckSpec,
    planned: Plan,
    cache: FigureCache,
    look: Look,
    source: str,
    charts: str,
    pdf: bool,
    figures: bool,
    progress: Progress,
    book: Callable[[], bytes] | None = None,
) -> tuple[Deck, dict[str, bytes]]:
    """Every file of the build, by its path in the output folder, on one schedule: most native
    charts are begun in a process of their own (:func:`_made_apart`); the slides are laid out
    before any figure is drawn (they need its size, not its pixels) and a deck of native charts
    begun in a process of its own; the figures are drawn as shapes and SVG; then what needs no
    picture is written on every core — the PDF, the web page and the 集計表 in this one — while
    the figures' PNGs are rasterised (where wanted); a deck of pictures once they are. ``book``, where
    given, gives the 集計表 instead (written by the process that counted the data), taken once
    the rest is made. The slide model, with its pictures."""
    from ..figures import Rendered
    from ..slides import deck_date, placed_figures
    from ..writers.html import html_bytes
    from ..writers.pdf import pdf_bytes
    from ..writers.pptx import pptx_bytes

    drafts = [Rendered(d, b"", b"") for _, d in sorted(planned.descriptions.items())]
    pictures = charts == CHARTS_PICTURE
    kept = cache.folder / "charts"  # native figures kept between builds
    name = f"{inputs.year.name}_deck"
    pptx_name, pdf_name, html_name, xlsx_name = f"{name}.pptx", f"{name}.pdf", f"{name}.html", _xlsx_name(inputs.year)
    counts: dict[str, int] = {}
    with ExitStack() as helpers:
        # most native figures begun in a process of their own before the slides are laid out:
        # a figure's place is its placeholder's, whatever its slide's texts
        placed = [] if pictures else placed_figures(spec, result, inputs.codebook, drafts, look.layouts)
        premade = _made_apart(helpers, placed, look.template, charts, kept, deck_date(inputs.codebook))
        deck = lay_out(inputs, spec, result, drafts, look, source, look.layouts)
        progress(f"slides: laid out {len(deck.slides)}")

        def pptx_task(laid: Deck) -> Callable[[], bytes]:
            return partial(pptx_bytes, laid, look.template, charts, kept, premade)

        # a deck whose every figure is a native chart needs no drawing: it is begun now, in a
        # process of its own, while the figures are drawn for the PDF and the web page
        early = None
        if not pictures and all(p.chart is not None and p.area is not None for s in deck.slides for p in s.pictures):
            early = helpers.enter_context(started(pptx_task(deck)))

        def writers(svgs: list[Rendered]) -> list[Callable[[], Any]]:  # what needs no picture, on every core
            with_svg = with_images(deck, svgs)
            tasks: list[Callable[[], Any]] = [] if pictures or early is not None else [pptx_task(with_svg)]
            # the PDF (where wanted), the web page and the 集計表 (where written here) one after
            # the other: together about as long as the PPTX
            in_turn = {
                **({pdf_name: partial(pdf_bytes, with_svg)} if pdf else {}),
                html_name: partial(html_bytes, with_svg, source),
                **({xlsx_name: partial(workbook, inputs, result, look.theme, source)} if book is None else {}),
            }
            return [*tasks, partial(_in_turn, in_turn)]

        rendered, made = draw(planned, cache, writers, counts)
        made_pptx = early() if early is not None else None if pictures else made.pop(0)
    progress(f"figures: drew {counts['drawn']}, reused {counts['reused']} unchanged")
    deck = with_images(deck, rendered)
    in_turn = made.pop()
    written = {
        f"figures/{r.description.stem}.{ext}": data
        for r in (rendered if figures else [])
        for ext, data in (("png", r.png), ("svg", r.svg))
    }
    written[pptx_name] = pptx_bytes(deck, look.template, charts) if made_pptx is None else made_pptx
    written[html_name] = in_turn[html_name]
    if pdf:
        written[pdf_name] = in_turn[pdf_name]
    written[xlsx_name] = in_turn[xlsx_name] if book is None else book()
    return deck, written


#: the least number of native figures a deck must make for a process of their own to make most of them
APART_FROM = 4


def _made_apart(
    helpers: ExitStack, pictures: list[Picture], template: Path, charts: str, kept: Path, when: datetime
) -> dict[str, Callable[[], Any]] | None:
    """The native figures of ``pictures`` (a deck's, placed: :func:`~slidegen.slides.placed_figures`)
    begun in a process of their own (held open by ``helpers``), their workbooks dated ``when``, by
    key, for the PPTX writer to take as it meets them (:func:`~slidegen.writers.pptx.made_apart`):
    where there are cores to spare and at least :data:`APART_FROM` figures to make, the later three
    quarters of them — begun before the slides are laid out; the writer makes the first quarter,
    then lays out the slides and zips the deck while that process makes the rest. None where the
    writer makes them all. A figure the laid-out deck places otherwise has another key: the writer
    makes it itself."""
    from ..build.parallel import jobs
    from ..writers.pptx import made_apart, to_make

    making = list(to_make(pictures, charts, kept).items())
    if jobs() < 2 or len(making) < APART_FROM:
        return None
    apart = making[len(making) // 4 :]
    parts = helpers.enter_context(started_parts(partial(made_apart, [p for _, p in apart], template, when)))
    return {key: partial(parts, i) for i, (key, _) in enumerate(apart)}


def _in_turn(tasks: Mapping[str, Callable[[], bytes]]) -> dict[str, bytes]:
    """The files ``tasks`` make, by name, made one after another (one worker's share of the writing)."""
    return {name: task() for name, task in tasks.items()}


def files_in(out: Path) -> tuple[Path, ...]:
    """Every file a build wrote in its output folder, sorted — not the :data:`KEPT` folders other
    runs write there (``segments/``: the decks of ``build --by`` and their figure cache)."""
    return tuple(sorted(p for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] not in KEPT))


def snapshot(inputs: Inputs, result: Tables) -> Snapshot:
    """What a build of these inputs would show, without drawing: tables, slide texts, every value
    shown and what was done to the submitted table."""
    from ..slides import slide_texts

    context = Context(result, inputs.codebook)
    slides = []
    for number, s in enumerate(inputs.deck.slides if inputs.deck else (), start=1):
        texts = slide_texts(s, context, f"{inputs.year.deck}: slide {number}")
        slides.append(SlideText(number, {k: "\n".join(v) for k, v in texts.items()}, tuple(s.figures)))
    return _snapshot(inputs, result, tuple(slides))


def _snapshot(inputs: Inputs, result: Tables, slides: tuple[SlideText, ...]) -> Snapshot:
    from ..slides import shown_values

    shown = shown_values(inputs.deck, result, inputs.codebook) if inputs.deck is not None else {}
    r = inputs.responses.revisions
    revisions = r.to_dict()
    codes = {*r.replaced, *r.added, *r.corrected, *r.withdrawn}
    revisions["names"] = {c: inputs.master[c].name for c in sorted(codes) if c in inputs.master}
    return Snapshot(result.to_dict(), slides, inputs.responses.corrections, shown, revisions)


def _manifest(
    inputs: Inputs,
    result: Tables,
    deck: Deck,
    data_path: Path,
    template: Path,
    stamp: str,
    files: dict[str, bytes],
    sha: Hashes,
) -> Manifest:
    """What a build was made from (the inputs' hashes) and everything it shows."""
    import hashlib

    year = inputs.year
    log = inputs.corrections.log
    sources: dict[str, dict[str, Any]] = {
        "responses": {"file": data_path.name, "sha256": sha(data_path)},
        "codebook": {"file": year.codebook.name, "sha256": sha(year.codebook)},
        "deck": {"file": year.deck.name, "sha256": sha(year.deck)},
        "master": {"file": year.master.name, "sha256": sha(year.master)},
        "template": {"file": template.name, "sha256": sha(template)},
        "corrections": {
            "file": log.name if log is not None else None,
            "applied": inputs.responses.corrections,
            "sha256": sha(log) if log is not None and log.exists() else None,
        },
        "resubmissions": {"files": {p.name: sha(p) for p in inputs.corrections.sheets}},
    }
    slides = tuple(
        SlideText(
            s.number, {b.role: b.text for b in s.blocks}, tuple(p.figure for p in s.pictures), s.layout, s.heading
        )
        for s in deck.slides
    )
    return Manifest(
        year.name,
        sources,
        stamp,
        {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        deck.font.summary(),
        _snapshot(inputs, result, slides),
        deck.broken_claims,
    )
