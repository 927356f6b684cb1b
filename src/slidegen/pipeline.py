"""The pipeline's entry points: load a survey year's inputs, then run each stage on them.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from typing import Callable

from .aggregate import Tables, aggregate
from .inputs.codebook import Codebook, load_codebook
from .inputs.deck import DeckSpec, load_deck
from .inputs.master import Body, load_master
from .inputs.project import Year
from .inputs.responses import Responses, load_responses

Progress = Callable[[str], None]

#: the libraries whose versions shape what a build computes and writes (in its fingerprint; the figure
#: cache key has those that draw, figures.DRAWING_LIBRARIES)
LIBRARIES = ("numpy", "pandas", "matplotlib", "fonttools", "pillow", "python-pptx", "reportlab", "svglib", "lxml", "openpyxl")


@dataclass(frozen=True)
class Inputs:
    """Everything one survey year is built from, loaded and checked."""

    year: Year
    codebook: Codebook
    master: dict[str, Body]
    responses: Responses
    deck: DeckSpec


def load_inputs(year: Year, data: Path | None = None) -> Inputs:
    """Load and check the codebook, master list and response table (``data`` overrides the
    year's ``responses.csv``)."""
    codebook = load_codebook(year.codebook)
    master = load_master(year.master)
    responses = load_responses(data or year.responses, codebook, master, year.corrections)
    deck = load_deck(year.deck, codebook)
    return Inputs(year, codebook, master, responses, deck)


def tables(inputs: Inputs) -> Tables:
    """The aggregates of a loaded survey year."""
    return aggregate(inputs.codebook, inputs.responses, inputs.master)


def figures(inputs: Inputs, result: Tables, font, cache: Path | None = None, counts: dict | None = None) -> list:
    """Every figure placed in the deck, drawn and rendered (PNG and SVG), in codebook order.

    With ``cache`` (a folder), a figure whose content hash is there is reused, not drawn again;
    ``counts`` (if given) receives how many were drawn and reused.
    """
    from . import figures as fig
    from .writers.outputs import write_atomic

    slots = inputs.deck.slots()
    results: dict[int, object] = {}
    jobs = []
    for spec in inputs.codebook.figures:
        if spec.number not in slots:
            continue
        table = result.figure(spec.number)
        slot = slots[spec.number]
        description = fig.describe(spec, table, inputs.codebook, slot)
        key = fig.figure_key(spec, table, inputs.codebook, slot, font) if cache is not None else None
        png, svg = (cache / f"{key}.png", cache / f"{key}.svg") if key else (None, None)
        if png is not None and png.exists() and svg.exists():
            results[spec.number] = fig.Rendered(description, png.read_bytes(), svg.read_bytes())
        else:
            jobs.append((spec, table, inputs.codebook, slot, font, description, png, svg))
    for job, r in zip(jobs, _render_all(jobs)):
        spec, *_, png, svg = job
        if png is not None:
            write_atomic(svg, r.svg)
            write_atomic(png, r.png)
        results[spec.number] = r
    drawn, reused = len(jobs), len(results) - len(jobs)
    rendered = [results[n] for n in sorted(results)]
    if counts is not None:
        counts.update(drawn=drawn, reused=reused)
    return rendered


_TASKS: list = []


def _run_task(i: int):
    return _TASKS[i]()


def _worker_start() -> None:
    """In each forked worker: die with the parent (even a SIGKILLed one, on Linux), and leave
    Ctrl-C and SIGTERM to the parent, which ends the pool itself."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own pipes end the workers
        pass


def _in_processes(tasks: list) -> list:
    """The results of ``tasks`` (functions of no argument), in order: run in forked processes on
    every core where the system can fork (a worker inherits them, nothing is pickled on the way
    in), one after another elsewhere. Workers end with the parent: on an error or an interrupt
    the pool is terminated, and a killed parent takes its workers with it."""
    import multiprocessing
    import os

    global _TASKS
    workers = min(os.cpu_count() or 1, len(tasks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [task() for task in tasks]
    _TASKS = tasks
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    try:
        results = pool.map(_run_task, range(len(tasks)), chunksize=1)
        pool.close()
        return results
    finally:
        pool.terminate()
        pool.join()
        _TASKS = []


def _render_all(jobs: list) -> list:
    """Draw and render each figure job, on every core (each figure is independent)."""
    from functools import partial

    from . import figures as fig

    def render(spec, table, codebook, slot, font, description):
        return fig.render(fig.draw(spec, table, codebook, slot, font), description)

    return _in_processes([partial(render, *job[:6]) for job in jobs])


def _write_both(deck, template: Path, drawings: Path | None) -> tuple[bytes, bytes | None]:
    """The PPTX, and the PDF when ``drawings`` (its cache folder) is given, written side by side."""
    from functools import partial

    from .writers.pdf import pdf_bytes
    from .writers.pptx import pptx_bytes

    if drawings is None:
        return pptx_bytes(deck, template), None
    pptx, pdf = _in_processes([partial(pptx_bytes, deck, template), partial(pdf_bytes, deck, drawings)])
    return pptx, pdf


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote: the output folder and each file in it."""

    out: Path
    files: tuple[Path, ...]
    font: str
    broken_claims: tuple[str, ...] = ()
    up_to_date: bool = False  # nothing changed: the previous build was kept as it was


def build(year: Year, data: Path | None = None, out: Path | None = None, template: Path | None = None,
          pdf: bool = False, progress: Progress = lambda _: None) -> BuildResult:
    """Build a survey year into ``out`` (default ``output/<year>/``): figures, the deck and its
    manifest, replacing the folder only when every stage has succeeded.

    ``out`` must be new, empty, or the folder of an earlier build that nobody added files to; it
    may not be or hold the project's data, the template or an input file
    (:func:`~slidegen.outputs.check_output_folder`).
    """
    import hashlib

    from .figures.fonts import resolve_font
    from .writers.outputs import GENERATOR, check_output_folder, made_files, staged_dir
    from .slides import build_deck

    out = out or year.output_dir
    template = template or year.root / "layouts" / "slidegen.pptx"
    data_path = data or year.responses
    inputs_files = [data_path, year.corrections, year.codebook, year.deck, year.master, template]
    check_output_folder(out, [year.root / "data", year.root / "layouts", *inputs_files])
    font = resolve_font()
    if font.fallback_for:
        progress(f"warning: {font.describe()}")
    stamp = fingerprint(year, data_path, template, font, pdf)
    done = _up_to_date(out, stamp)
    if done is not None:
        progress(f"up to date: nothing changed since the last build of {out}")
        return done
    progress(f"reading {data_path}")
    inputs = load_inputs(year, data)
    if inputs.responses.corrections:
        progress(f"corrections: applied {inputs.responses.corrections} from {year.corrections.name}")
    result = tables(inputs)
    progress(f"font: {font.describe()}")
    counts: dict = {}
    cache = year.root / "output" / ".cache" / year.name / "figures"
    rendered = figures(inputs, result, font, cache, counts)
    progress(f"figures: drew {counts['drawn']}, reused {counts['reused']} unchanged")
    digest = hashlib.sha256(data_path.read_bytes()).hexdigest()
    source = f"出典：{inputs.codebook.survey.author}「{inputs.codebook.survey.title}」（{inputs.codebook.survey.fiscal_year}）。" \
             f"集計：slidegen、回答データ {data_path.name}（SHA-256 {digest[:16]}…）、訂正 {inputs.responses.corrections}件"
    deck = build_deck(inputs.deck, result, inputs.codebook, rendered, template, font, source)
    progress(f"slides: laid out {len(deck.slides)}")
    for claim in deck.broken_claims:
        progress(f"warning: {claim}")
    name = f"{year.name}_deck"
    pptx, pdf_data = _write_both(deck, template, cache.parent / "drawings" if pdf else None)
    written = {f"figures/{r.description.stem}.{ext}": data for r in rendered for ext, data in (("png", r.png), ("svg", r.svg))}
    written[f"{name}.pptx"] = pptx
    if pdf_data is not None:
        written[f"{name}.pdf"] = pdf_data
    manifest = _manifest(inputs, result, deck, data_path, template, stamp, written)
    previous = out / "manifest.json"
    changes = None
    if previous.exists():
        from .compare import changes as ch

        lines = ch.compare(ch.load_manifest(previous), json.loads(manifest))
        changes = ch.report(lines, "manifest.json")
        for line in lines or ["前回のビルドから変更なし"]:
            progress(f"changed: {line}")
    dropped = sorted((made_files(out) or set()) - set(written) - {"manifest.json", "changes.txt"})
    with staged_dir(out) as staging:
        (staging / "figures").mkdir()
        for relative, data_bytes in written.items():
            (staging / relative).write_bytes(data_bytes)
        (staging / "manifest.json").write_text(manifest, encoding="utf-8")
        if changes is not None:
            (staging / "changes.txt").write_text(changes, encoding="utf-8")
    progress(f"deck: wrote {name}.pptx" + (f" and {name}.pdf" if pdf_data is not None else ""))
    for relative in dropped:
        hint = " (build with --pdf to keep a PDF beside the deck)" if relative.endswith(".pdf") else ""
        progress(f"removed: {relative}, which the previous build wrote and this one does not{hint}")
    files = tuple(sorted(p for p in out.rglob("*") if p.is_file()))
    return BuildResult(out, files, font.describe(), deck.broken_claims)


def snapshot(inputs: Inputs, result: Tables) -> dict:
    """What a build of these inputs would show, without drawing: tables and slide texts."""
    from .slides.sentences import Context
    from .slides import slide_texts

    context = Context(result, inputs.codebook)
    slides = []
    for number, s in enumerate(inputs.deck.slides, start=1):
        texts = slide_texts(s, context, f"{inputs.deck.path}: slide {number}")
        slides.append({"number": number, "texts": {k: "\n".join(v) for k, v in texts.items()}, "figures": list(s.figures)})
    return {"tables": result.to_dict(), "slides": slides,
            "inputs": {"corrections": {"applied": inputs.responses.corrections}}}


def fingerprint(year: Year, data: Path, template: Path, font, pdf: bool) -> str:
    """A hash of everything a build's output depends on: every input file's content, the font
    file, slidegen's own code, the libraries that draw, and the options."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    code = Path(__file__).parent
    files = [data, year.corrections, year.codebook, year.deck, year.master, template, font.path, *sorted(code.rglob("*.py"))]
    for path in files:
        digest.update((path.relative_to(code).as_posix() if code in path.parents else path.name).encode())
        digest.update(path.read_bytes() if path.exists() else b"(none)")
    for package in LIBRARIES:
        digest.update(f"{package}={version(package)}".encode())
    digest.update(f"pdf={pdf} font={font.name} source_date={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()


def _up_to_date(out: Path, stamp: str) -> BuildResult | None:
    """The previous build in ``out``, if it was made from exactly these inputs and every file it
    wrote is still there with the content it wrote (the hashes in its manifest)."""
    import hashlib

    manifest = out / "manifest.json"
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    written = previous.get("files") if isinstance(previous, dict) else None
    if previous.get("fingerprint") != stamp or not isinstance(written, dict) or not written:
        return None
    for name, sha in written.items():
        try:
            if hashlib.sha256((out / name).read_bytes()).hexdigest() != sha:
                return None
        except OSError:
            return None
    return BuildResult(out, tuple(sorted(p for p in out.rglob("*") if p.is_file())), previous.get("font", ""),
                       tuple(previous.get("broken_claims", [])), up_to_date=True)


def _manifest(inputs: Inputs, result: Tables, deck, data_path: Path, template: Path, stamp: str, files: dict[str, bytes]) -> str:
    """What a build was made from (the inputs' hashes) and everything it shows."""
    import hashlib
    import json

    from .writers.outputs import GENERATOR

    def sha(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    year = inputs.year
    manifest = {
        "generator": GENERATOR,
        "year": year.name,
        "inputs": {
            "responses": {"file": data_path.name, "sha256": sha(data_path)},
            "codebook": {"file": year.codebook.name, "sha256": sha(year.codebook)},
            "deck": {"file": year.deck.name, "sha256": sha(year.deck)},
            "master": {"file": year.master.name, "sha256": sha(year.master)},
            "template": {"file": template.name, "sha256": sha(template)},
            "corrections": {"file": year.corrections.name, "applied": inputs.responses.corrections,
                            "sha256": sha(year.corrections) if year.corrections.exists() else None},
        },
        "fingerprint": stamp,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        "font": deck.font.describe().split(" (")[0],
        "tables": result.to_dict(),
        "slides": [
            {"number": s.number, "layout": s.layout, "heading": s.heading,
             "texts": {b.role: b.text for b in s.blocks}, "figures": [p.figure for p in s.pictures]}
            for s in deck.slides
        ],
        "broken_claims": list(deck.broken_claims),
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
