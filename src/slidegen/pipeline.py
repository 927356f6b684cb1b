"""The pipeline's entry points: load a survey year's inputs, then run each stage on them.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .aggregate import FigureTable, Tables, aggregate
from .build.cache import FigureCache
from .build.folders import check_output_file, check_output_folder, made_files, staged_dir
from .build.manifest import MANIFEST, Manifest, SlideText, Snapshot, fingerprint
from .build.parallel import run_all
from .compare.changes import compare, report
from .errors import DeckSpecError, ProjectError, UpdateError
from .figures.kinds import KINDS
from .inputs.codebook import Codebook, FigureSpec, load_codebook
from .inputs.deck import DeckSpec, load_deck
from .inputs.kinds import CHARTS_NATIVE, CHARTS_PICTURE
from .inputs.layouts import load_layouts
from .inputs.master import Body, load_master
from .inputs.project import Corrections, Year, which_corrections
from .inputs.responses import Responses, load_responses
from .inputs.template import Theme, read_theme
from .slides.sentences import Context, render

if TYPE_CHECKING:  # the figures and the slide model import matplotlib and python-pptx: only a build needs them
    from .figures import Description, Rendered
    from .figures.fonts import DeckFonts, Font
    from .record import Record
    from .slides import Deck

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Inputs:
    """Everything one survey year is built from, loaded and checked."""

    year: Year
    codebook: Codebook
    master: dict[str, Body]
    responses: Responses
    deck: DeckSpec | None  # None where the year has no deck.yaml: tables and verify need none
    corrections: Corrections = Corrections(None)  # which were applied


def load_inputs(year: Year, data: Path | None = None, corrections: Path | str | None = None) -> Inputs:
    """Load and check the codebook, master list and response table (``data`` overrides the
    year's ``responses.csv``) with its corrections (``corrections``: see
    :func:`~slidegen.inputs.project.which_corrections`), and the deck spec where the year has one."""
    codebook = load_codebook(year.codebook, KINDS)
    master = load_master(year.master)
    chosen = which_corrections(year, corrections)
    responses = load_responses(data or year.responses, codebook, master, chosen.log, chosen.sheets)
    deck = load_deck(year.deck, codebook, load_layouts(year.layouts)) if year.deck.exists() else None
    return Inputs(year, codebook, master, responses, deck, chosen)


def tables(inputs: Inputs) -> Tables:
    """The aggregates of a loaded survey year."""
    return aggregate(inputs.codebook, inputs.responses, inputs.master)


def figures(
    inputs: Inputs,
    result: Tables,
    font: Font,
    cache: FigureCache | None = None,
    counts: dict[str, int] | None = None,
    theme: Theme | None = None,
) -> list[Rendered]:
    """Every figure placed in the deck, drawn and rendered (PNG and SVG) in the colours of
    ``theme`` (default: the year's template's), in codebook order.

    With ``cache``, a figure drawn before from the same content is reused, not drawn again;
    ``counts`` (if given) receives how many were drawn and reused.
    """
    theme = theme if theme is not None else read_theme(inputs.year.template)
    rendered, _ = _draw(_plan(inputs, result, font, theme, cache), cache, [], counts)
    return rendered


@dataclass(frozen=True)
class _Plan:
    """The figures of a deck before drawing: each one's description, those the cache has, and the
    drawing jobs (cache key, task) of the others."""

    descriptions: dict[int, Description]
    found: dict[int, Rendered]
    jobs: list[tuple[str, Callable[[], Rendered]]]


def _plan(inputs: Inputs, result: Tables, font: Font, theme: Theme, cache: FigureCache | None) -> _Plan:
    from . import figures as fig

    slots = _deck_of(inputs).slots()
    descriptions: dict[int, Description] = {}
    found: dict[int, Rendered] = {}
    jobs: list[tuple[str, Callable[[], Rendered]]] = []
    drawing = fig.drawing_fingerprint() if cache is not None else None
    for spec in inputs.codebook.figures:
        if spec.number not in slots:
            continue
        table = result.figure(spec.number)
        slot = slots[spec.number]
        description = descriptions[spec.number] = fig.describe(spec, table, inputs.codebook, slot)
        key = fig.figure_key(spec, table, inputs.codebook, slot, font, theme, drawing) if cache is not None else ""
        cached = cache.lookup(key) if cache is not None else None
        if cached is not None:
            found[spec.number] = fig.Rendered(description, *cached)
        else:
            jobs.append((key, partial(_render, spec, table, inputs.codebook, slot, font, theme, description)))
    return _Plan(descriptions, found, jobs)


def _draw(
    plan: _Plan, cache: FigureCache | None, alongside: list[Callable[[], Any]], counts: dict[str, int] | None = None
) -> tuple[list[Rendered], list[Any]]:
    """Draw the planned figures on every core — and the ``alongside`` tasks with them — storing
    what was drawn in the cache; the figures in codebook order, and the tasks' results."""
    results = dict(plan.found)
    done = run_all([task for _, task in plan.jobs] + list(alongside))
    for (key, _), r in zip(plan.jobs, done):
        if cache is not None:
            cache.store(key, r.png, r.svg)
        results[r.description.number] = r
    if counts is not None:
        counts.update(drawn=len(plan.jobs), reused=len(plan.found))
    return [results[n] for n in sorted(results)], done[len(plan.jobs) :]


def _with_images(deck: Deck, rendered: list[Rendered]) -> Deck:
    """The deck with each picture's PNG and SVG filled in from the drawn figures."""
    import dataclasses

    images = {r.description.number: r for r in rendered}
    slides = tuple(
        dataclasses.replace(
            s,
            pictures=tuple(
                dataclasses.replace(p, png=images[p.figure].png, svg=images[p.figure].svg) for p in s.pictures
            ),
        )
        for s in deck.slides
    )
    return dataclasses.replace(deck, slides=slides)


def _render(
    spec: FigureSpec,
    table: FigureTable,
    codebook: Codebook,
    slot: str,
    font: Font,
    theme: Theme,
    description: Description,
) -> Rendered:
    from . import figures as fig

    return fig.render(fig.draw(spec, table, codebook, slot, font, theme), description)


def _deck_of(inputs: Inputs) -> DeckSpec:
    if inputs.deck is None:
        raise DeckSpecError(
            f"{inputs.year.deck}: the deck spec is missing; a deck needs it (the slides, their "
            "headings and sentences), though `slidegen tables` and `verify` do not."
        )
    return inputs.deck


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
) -> BuildResult:
    """Build a survey year into ``out`` (default ``output/<year>/``): figures, the deck and its
    manifest, replacing the folder only when every stage has succeeded.

    ``out`` must be new, empty, or the folder of an earlier build that nobody added files to; it
    may not be or hold the project's data, the template or an input file
    (:func:`~slidegen.build.folders.check_output_folder`). Drawn figures are cached beside it
    (:class:`~slidegen.build.cache.FigureCache`). ``charts`` ``native`` puts the figures whose
    kind has a native renderer into the PPTX as PowerPoint charts; ``picture`` as images.
    """
    from .figures import Rendered
    from .figures.fonts import deck_fonts
    from .writers.pdf import pdf_bytes
    from .writers.pptx import pptx_bytes
    from .writers.tables_xlsx import file_name as xlsx_name

    if charts not in (CHARTS_NATIVE, CHARTS_PICTURE):
        raise ProjectError(f"charts={charts!r}: expected {CHARTS_PICTURE!r} or {CHARTS_NATIVE!r}")
    out = out or year.output_dir
    template = template or year.template
    data_path = data or year.responses
    chosen = which_corrections(year, corrections)
    logs = [chosen.log] if chosen.log is not None else []
    input_files = [data_path, *logs, *chosen.sheets, year.codebook, year.deck, year.layouts, year.master, template]
    check_output_folder(out, [year.root / "data", year.root / "layouts", *input_files])
    theme = read_theme(template)
    fonts = deck_fonts(theme.major_font, theme.minor_font)
    font = fonts.body
    if font.fallback_for:
        progress(f"warning: {font.describe()}")
    heading = fonts.heading.path if fonts.heading is not None else None
    stamp = fingerprint(
        input_files,
        Path(__file__).parent,
        font.path,
        f"pdf={pdf} font={font.name} heading={heading} theme={fonts.theme} charts={charts} "
        f"corrections={[p.name for p in logs]} sheets={[p.name for p in chosen.sheets]}",
    )
    previous = Manifest.read(out / MANIFEST)
    if previous is not None and previous.fingerprint == stamp and previous.intact(out):
        progress(f"up to date: nothing changed since the last build of {out}")
        return BuildResult(out, _files(out), previous.font, previous.broken_claims, up_to_date=True)
    inputs, spec, result, source = _current(year, data, progress, corrections)
    progress(f"font: {fonts.summary()} ({font.path})")
    counts: dict[str, int] = {}
    cache = FigureCache.beside(out)
    plan = _plan(inputs, result, font, theme, cache)
    name = f"{year.name}_deck"
    # one path: the slides are laid out before any figure is drawn (they need its size, not its
    # pixels); what needs no picture — the 集計表, and a deck of native charts — is written while
    # the figures are drawn; the rest (a deck of pictures, the PDF) once they are
    drafts = [Rendered(d, b"", b"") for _, d in sorted(plan.descriptions.items())]
    deck = _lay_out(inputs, spec, result, drafts, template, fonts, source)
    progress(f"slides: laid out {len(deck.slides)}")
    pictures = charts == CHARTS_PICTURE
    alongside: list[Callable[[], bytes]] = [partial(workbook, inputs, result, template)]
    if not pictures:
        alongside.append(partial(pptx_bytes, deck, template, charts))
    rendered, early = _draw(plan, cache, alongside, counts)
    progress(f"figures: drew {counts['drawn']}, reused {counts['reused']} unchanged")
    deck = _with_images(deck, rendered)
    after: list[Callable[[], bytes]] = []
    if pictures:
        after.append(partial(pptx_bytes, deck, template, charts))
    if pdf:
        after.append(partial(pdf_bytes, deck, cache.drawings))
    late = run_all(after)
    xlsx = early[0]
    pptx = late.pop(0) if pictures else early[1]
    pdf_data = late.pop(0) if pdf else None
    for claim in deck.broken_claims:
        progress(f"warning: {claim}")
    written = {
        f"figures/{r.description.stem}.{ext}": data for r in rendered for ext, data in (("png", r.png), ("svg", r.svg))
    }
    written[f"{name}.pptx"] = pptx
    written[xlsx_name(year.name)] = xlsx
    if pdf_data is not None:
        written[f"{name}.pdf"] = pdf_data
    manifest = _manifest(inputs, result, deck, data_path, template, stamp, written)
    changes = None
    if previous is not None:
        lines = compare(previous.snapshot, manifest.snapshot)
        changes = report(lines, MANIFEST)
        for line in lines or ["前回のビルドから変更なし"]:
            progress(f"changed: {line}")
    dropped = sorted((made_files(out) or set()) - set(written) - {MANIFEST, "changes.txt"})
    with staged_dir(out) as staging:
        (staging / "figures").mkdir()
        for relative, data_bytes in written.items():
            (staging / relative).write_bytes(data_bytes)
        (staging / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
        if changes is not None:
            (staging / "changes.txt").write_text(changes, encoding="utf-8")
    progress(f"deck: wrote {name}.pptx" + (f", {name}.pdf" if pdf else "") + f" and {xlsx_name(year.name)}")
    for relative in dropped:
        hint = " (build with --pdf to keep a PDF beside the deck)" if relative.endswith(".pdf") else ""
        progress(f"removed: {relative}, which the previous build wrote and this one does not{hint}")
    return BuildResult(out, _files(out), font.summary(), deck.broken_claims)


@dataclass(frozen=True)
class UpdateResult:
    """What ``update`` wrote: the refreshed deck, the report beside it, and the report's lines."""

    deck: Path
    report: Path
    lines: tuple[str, ...]


#: the first words of an update report: slidegen replaces a report only where it starts with them
REPORT_HEADER = "slidegen update"


def update_paths(deck: Path, out: Path | None) -> tuple[Path, Path]:
    """Where ``update`` writes the refreshed deck (default: beside ``deck``, 「_更新」 before the
    suffix) and its report (the deck's name with .txt)."""
    target = out or deck.with_name(f"{deck.stem}_更新{deck.suffix}")
    return target, target.with_suffix(".txt")


def read_built_deck(year: Year, deck_path: Path, command: str) -> tuple[bytes, Record]:
    """The bytes of a deck slidegen built for ``year`` and the record it carries; an
    :class:`~slidegen.errors.UpdateError` naming the fix where it is none."""
    from .record import DamagedRecord
    from .refresh import NotADeck, record_of

    if not deck_path.is_file():
        raise UpdateError(
            f"{deck_path}: no such file; name a deck slidegen built (output/{year.name}/{year.name}_deck.pptx)."
        )
    original = deck_path.read_bytes()
    try:
        record = record_of(original)
    except NotADeck as e:
        raise UpdateError(f"{deck_path}: not a readable .pptx deck ({e}).") from None
    except DamagedRecord as e:
        raise UpdateError(
            f"{deck_path}: the record slidegen keeps in this deck (its custom properties slidegen.record.*) is "
            f"damaged ({e}), so slidegen cannot tell its own text from people's; build the deck afresh with "
            f"`slidegen build --year {year.name}`."
        ) from None
    if record is None:
        raise UpdateError(
            f"{deck_path}: slidegen did not build this deck (it carries no slidegen record); "
            f"`slidegen {command}` reads a deck from `slidegen build --year {year.name}` and the edits made to it since."
        )
    if record.year != year.name:
        raise UpdateError(
            f"{deck_path}: this deck was built for the survey year {record.year}, not {year.name}; "
            f"run `slidegen {command} --year {record.year} {deck_path}`."
        )
    return original, record


@dataclass(frozen=True)
class CheckResult:
    """What ``check`` found, and the lines it prints."""

    ok: bool
    lines: tuple[str, ...]


def check(
    year: Year,
    deck_path: Path,
    *,
    data: Path | None = None,
    template: Path | None = None,
    progress: Progress = lambda _: None,
    corrections: Path | str | None = None,
) -> CheckResult:
    """Audit ``deck_path`` — a deck slidegen built, however it was edited since — against the
    current data: every number it cannot vouch for (:func:`slidegen.compare.check.audit`)."""
    from .compare.check import audit

    original, record = read_built_deck(year, deck_path, "check")
    inputs, deck = current_deck(year, record.charts, data, corrections, template, progress)
    found = audit(original, deck, record)
    head = f"slidegen check：{deck_path.name}（{year.name}、データ：{(data or year.responses).name}、訂正 {inputs.responses.corrections}件）"
    return CheckResult(found.ok, (head, *found.lines()))


def update(
    year: Year,
    deck_path: Path,
    *,
    data: Path | None = None,
    out: Path | None = None,
    template: Path | None = None,
    progress: Progress = lambda _: None,
    corrections: Path | str | None = None,
) -> UpdateResult:
    """Refresh ``deck_path`` — a deck slidegen built, which people may have edited since — with the
    current data (corrections applied, as ``build`` does), into a new file; the input is never
    modified. Charts and the texts slidegen wrote follow the data; every human edit stays; what
    could not be done safely is reported (:func:`slidegen.refresh.refresh`)."""
    from .record import DamagedRecord
    from .refresh import NotADeck, record_of, refresh
    from .writers.outputs import write_atomic

    target, report_path = update_paths(deck_path, out)
    if target.suffix.lower() != ".pptx":
        raise UpdateError(
            f"--out {target}: expected the name of the .pptx deck to write, such as {deck_path.stem}_更新.pptx "
            "(the report is written beside it, with .txt)."
        )
    check_output_file(target, "--out", [year.root / "data", year.root / "layouts"])
    if deck_path.is_file() and target.resolve() == deck_path.resolve():
        raise UpdateError(
            f"{target}: that is the deck to refresh; slidegen never changes its input — choose another --out."
        )
    original, record = read_built_deck(year, deck_path, "update")
    if target.exists():
        try:
            made = record_of(target.read_bytes()) is not None
        except NotADeck:
            made = False
        except DamagedRecord:
            made = True  # slidegen's own file, its record damaged: it may be replaced
        if not made:
            raise UpdateError(
                f"{target}: a file slidegen did not make is there; slidegen replaces only its own files — choose another --out."
            )
    if report_path.exists() and not report_path.read_text(encoding="utf-8", errors="replace").startswith(REPORT_HEADER):
        raise UpdateError(
            f"{report_path}: a file slidegen did not make is there; slidegen replaces only its own files — choose another --out."
        )
    from .compare.check import audit

    inputs, deck = current_deck(year, record.charts, data, corrections, template, progress)
    refreshed, report = refresh(original, deck, deck.created)
    rest = record_of(refreshed)
    assert rest is not None
    found = audit(refreshed, deck, rest)  # what the refreshed deck still shows that the data does not give
    revised = inputs.responses.revisions
    lines = [
        f"{REPORT_HEADER}：{deck_path.name} → {target.name}（{year.name}）",
        f"データ：{(data or year.responses).name}、訂正 {inputs.responses.corrections}件"
        + (
            f"、再提出 {len(revised.sheets)}件（差し替え {len(revised.replaced)}、追加 {len(revised.added)}）"
            if revised.sheets
            else ""
        )
        + (f"、取り下げ {len(revised.withdrawn)}件" if revised.withdrawn else ""),
        *report.lines(deck.broken_claims),
        f"■ 要確認：更新後もデータと食い違う数値（slidegen check）：{len(found.findings)}件",
        *(f"  {line}" for line in found.finding_lines()),
    ]
    write_atomic(target, refreshed)
    write_atomic(report_path, ("\n".join(lines) + "\n").encode("utf-8"))
    return UpdateResult(target, report_path, tuple(lines))


def current_deck(
    year: Year,
    charts: str,
    data: Path | None = None,
    corrections: Path | str | None = None,
    template: Path | None = None,
    progress: Progress = lambda _: None,
) -> tuple[Inputs, Deck]:
    """The slide model of the year's current data (corrections applied, as ``build`` does) on
    ``template``: what a deck built today would show, to refresh or audit an older deck by. Figures
    are drawn only for a deck of pictures (``charts``), from the cache where unchanged."""
    from .figures import Rendered
    from .figures.fonts import deck_fonts

    template = template or year.template
    inputs, spec, result, source = _current(year, data, progress, corrections)
    theme = read_theme(template)
    fonts = deck_fonts(theme.major_font, theme.minor_font)
    progress(f"font: {fonts.summary()} ({fonts.body.path})")
    cache = FigureCache.beside(year.output_dir)
    plan = _plan(inputs, result, fonts.body, theme, cache)
    if charts == CHARTS_PICTURE:  # its figures are pictures: draw them (the cache keeps unchanged ones)
        rendered, _ = _draw(plan, cache, [], None)
    else:
        rendered = [Rendered(d, b"", b"") for _, d in sorted(plan.descriptions.items())]
    return inputs, _lay_out(inputs, spec, result, rendered, template, fonts, source)


def revisions_said(inputs: Inputs) -> list[str]:
    """What was applied over the submitted table, as progress lines."""
    r, chosen = inputs.responses.revisions, inputs.corrections
    lines = []
    if r.sheets:
        lines.append(
            f"resubmissions: {len(r.sheets)} sheet(s) in {inputs.year.resubmissions.name}/ replaced "
            f"{len(r.replaced)} bodies' answers and added {len(r.added)} late ones"
        )
    if inputs.responses.corrections and chosen.log is not None:
        withdrawn = f" (withdrawing {len(r.withdrawn)} bodies' answers)" if r.withdrawn else ""
        lines.append(f"corrections: applied {inputs.responses.corrections} from {chosen.log.name}{withdrawn}")
    if chosen.log is None and not chosen.sheets:
        lines.append("corrections: none applied (the table as submitted)")
    return lines


def _lay_out(
    inputs: Inputs,
    spec: DeckSpec,
    result: Tables,
    rendered: list[Rendered],
    template: Path,
    fonts: DeckFonts,
    source: str,
) -> Deck:
    """The slide model of the deck on ``template``, its texts measured in ``fonts``."""
    from .slides import build_deck

    return build_deck(
        spec,
        result,
        inputs.codebook,
        rendered,
        template,
        fonts.body,
        source,
        heading_font=fonts.heading,
        theme_font=fonts.theme,
    )


def workbook(inputs: Inputs, result: Tables, template: Path | None = None) -> bytes:
    """The 集計表 workbook of a survey year: in the deck's font, with the deck's 出典 line (where
    the year has a deck spec)."""
    from .figures.fonts import deck_fonts
    from .writers.tables_xlsx import workbook_bytes

    theme = read_theme(template or inputs.year.template)
    body = deck_fonts(theme.major_font, theme.minor_font).body
    source = ""
    if inputs.deck is not None and inputs.deck.source:
        data_path = inputs.responses.path
        source = render(inputs.deck.source, Context(result, inputs.codebook, _provenance(inputs, data_path)))
    return workbook_bytes(result, inputs.codebook, source, body.fallback_for or body.name)


def workbook_target(year: Year, path: Path | None = None) -> Path:
    """Where ``tables --xlsx`` writes the 集計表 workbook — ``path``, by default
    ``output/<year>/<year>_集計表.xlsx`` beside the deck — checked before any work: an Excel name,
    not among the inputs, and not a file slidegen did not write."""
    from .writers.tables_xlsx import file_name, made_by_slidegen

    target = path or year.output_dir / file_name(year.name)
    if target.is_dir() or target.suffix.lower() != ".xlsx":
        raise ProjectError(f"--xlsx {target}: expected the name of an Excel workbook to write, such as 集計表.xlsx.")
    check_output_file(target, "--xlsx", [year.root / "data", year.root / "layouts"])
    if target.exists() and not made_by_slidegen(target):
        raise ProjectError(
            f"--xlsx {target}: this file exists and slidegen did not write it; it would be replaced. "
            "Give a new file name, or move the file away first."
        )
    return target


def write_workbook(inputs: Inputs, result: Tables, path: Path | None = None) -> Path:
    """Write the 集計表 workbook where :func:`workbook_target` says, replacing only a workbook
    slidegen wrote; the path written."""
    from .writers.outputs import write_atomic

    target = workbook_target(inputs.year, path)
    write_atomic(target, workbook(inputs, result))
    return target


def _current(
    year: Year, data: Path | None, progress: Progress, corrections: Path | str | None = None
) -> tuple[Inputs, DeckSpec, Tables, str]:
    """The year's data as a deck shows it: the inputs loaded and checked (corrections applied, and
    said), the deck spec, the aggregates, and the notes' source line."""
    data_path = data or year.responses
    progress(f"reading {data_path}")
    inputs = load_inputs(year, data, corrections)
    spec = _deck_of(inputs)
    for line in revisions_said(inputs):
        progress(line)
    result = tables(inputs)
    context = Context(result, inputs.codebook, _provenance(inputs, data_path))
    return inputs, spec, result, render(spec.source, context) if spec.source else ""


def _files(out: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in out.rglob("*") if p.is_file()))


def _provenance(inputs: Inputs, data_path: Path) -> dict[str, object]:
    """What the deck's source line may say of the data: the response file, its hash, the corrections."""
    digest = hashlib.sha256(data_path.read_bytes()).hexdigest()
    return {
        "file": data_path.name,
        "sha256": digest,
        "digest": digest[:16],
        "corrections": inputs.responses.corrections,
    }


def snapshot(inputs: Inputs, result: Tables) -> Snapshot:
    """What a build of these inputs would show, without drawing: tables, slide texts, every value
    shown and what was done to the submitted table."""
    from .slides import slide_texts

    context = Context(result, inputs.codebook)
    slides = []
    for number, s in enumerate(inputs.deck.slides if inputs.deck else (), start=1):
        texts = slide_texts(s, context, f"{inputs.year.deck}: slide {number}")
        slides.append(SlideText(number, {k: "\n".join(v) for k, v in texts.items()}, tuple(s.figures)))
    return _snapshot(inputs, result, tuple(slides))


def _snapshot(inputs: Inputs, result: Tables, slides: tuple[SlideText, ...]) -> Snapshot:
    from .slides import shown_values

    shown = shown_values(inputs.deck, result, inputs.codebook) if inputs.deck is not None else {}
    r = inputs.responses.revisions
    revisions = r.to_dict()
    codes = {*r.replaced, *r.added, *r.corrected, *r.withdrawn}
    revisions["names"] = {c: inputs.master[c].name for c in sorted(codes) if c in inputs.master}
    return Snapshot(result.to_dict(), slides, inputs.responses.corrections, shown, revisions)


def _manifest(
    inputs: Inputs, result: Tables, deck: Deck, data_path: Path, template: Path, stamp: str, files: dict[str, bytes]
) -> Manifest:
    """What a build was made from (the inputs' hashes) and everything it shows."""

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

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
