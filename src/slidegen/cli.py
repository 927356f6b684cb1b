"""The ``slidegen`` command: a thin layer over the library.

Heavy libraries (pandas, openpyxl, later matplotlib and reportlab) are imported inside the
commands, so ``slidegen --help`` answers at once.

The one error boundary is :class:`SlidegenGroup`: a :class:`~slidegen.errors.SlidegenError`
becomes one message on stderr and its exit status (1); Ctrl-C and SIGTERM unwind the command
(so nothing is left half-written) and exit 130 and 143; anything else is a bug: its traceback is
written to a log file in the output's cache folder, and the user reads one line naming that file
(exit 70). No Python traceback reaches the terminal.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    SlidegenError,
    Terminated,
    os_refusal,
)


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` in the main thread while the block runs, so a stopped
    build unwinds like Ctrl-C: its staging folder is removed, its workers are ended."""

    def stop(signum: int, frame: object) -> None:
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _crash_log(root: Path | None) -> Path:
    """Write the traceback being handled, the command line and the versions to a new log file in
    the project's ``output/.cache/logs/`` (the system's temporary folder outside a project)."""
    import os
    import platform
    import tempfile
    import time
    import traceback

    from .inputs.project import find_root

    try:
        folder = find_root(root) / "output" / ".cache" / "logs"
        folder.mkdir(parents=True, exist_ok=True)
    except (SlidegenError, OSError):
        folder = Path(tempfile.gettempdir())
    path = folder / f"slidegen-crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    text = (
        f"slidegen {_version()} on Python {platform.python_version()} ({platform.platform()})\n"
        f"command: {' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    )
    path.write_text(text, encoding="utf-8")
    return path


class SlidegenGroup(click.Group):
    """A click group that is slidegen's one error boundary: messages and exit codes, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        with _sigterm_as_interrupt():
            try:
                return super().invoke(ctx)
            except SlidegenError as e:
                click.echo(f"Error: {e}", err=True)
                ctx.exit(e.exit_code)
            except (click.ClickException, click.exceptions.Exit, click.Abort):
                raise
            except (
                BrokenPipeError
            ):  # the reader went away (`slidegen check … | head -1`): end quietly, as Unix tools do
                import os

                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
                ctx.exit(EXIT_BROKEN_PIPE)
            except OSError as e:  # the machine, not slidegen: a full or read-only disk, a permission, a vanished file
                click.echo(f"Error: {os_refusal(e)}; nothing was written; the previous output is as it was.", err=True)
                ctx.exit(1)
            except (KeyboardInterrupt, Terminated) as e:
                what = "Interrupted" if isinstance(e, KeyboardInterrupt) else "Stopped (SIGTERM)"
                click.echo(f"{what}: nothing was written; the previous output is as it was.", err=True)
                ctx.exit(EXIT_INTERRUPTED if isinstance(e, KeyboardInterrupt) else EXIT_TERMINATED)
            except Exception as e:  # a bug: the details go to a file, the user reads one line
                try:
                    where = f"the details are in {_crash_log(ctx.obj)}"
                except OSError:
                    where = "no log could be written"
                click.echo(
                    f"Error: slidegen failed unexpectedly ({type(e).__name__}: {e}); nothing was written; "
                    f"{where}. Please report it with that file.",
                    err=True,
                )
                ctx.exit(EXIT_INTERNAL)


def _version() -> str:
    from .inputs.versions import version

    try:
        return version("slidegen")
    except ModuleNotFoundError:  # importlib.metadata's PackageNotFoundError: not installed
        return "unknown"


@click.group(cls=SlidegenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), prog_name="slidegen")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder holding data/ and layouts/ (default: the current folder).",
)
@click.pass_context
def main(ctx: click.Context, root: Path | None) -> None:
    """Build the survey result deck of a year from its response table."""
    ctx.obj = root


year_option = click.option(
    "--year", required=True, metavar="YEAR", help="Survey year, such as R6: the folder data/YEAR/."
)
data_option = click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Response table (CSV or .xlsx) to use instead of data/YEAR/responses.csv.",
)
corrections_option = click.option(
    "--corrections",
    metavar="FILE|none",
    help="Corrections log to apply instead of data/YEAR/corrections.csv; 'none' for the table as submitted "
    "(no log, no resubmitted sheets).",
)


@main.command()
@year_option
@data_option
@corrections_option
@click.option("--json", "as_json", is_flag=True, help="Print the tables as JSON (a stable, machine-readable contract).")
@click.option(
    "--xlsx",
    type=click.Path(path_type=Path),
    is_flag=False,
    flag_value=Path("."),  # --xlsx with no name: the default place
    help="Also write the tables as an Excel workbook (集計表): to this file, or with no name to "
    "output/YEAR/YEAR_集計表.xlsx; with --by, the 比較表 of every segment side by side "
    "(output/YEAR/segments/AXIS/YEAR_AXIS_比較表.xlsx).",
)
@click.option(
    "--by",
    "axis",
    metavar="AXIS",
    help="One set of tables per segment of AXIS, an axis of data/segments.yaml (団体区分, 都道府県, 財務局): "
    "each segment's bodies and answers, small cells withheld.",
)
@click.pass_obj
def tables(
    root: Path | None,
    year: str,
    data: Path | None,
    corrections: str | None,
    as_json: bool,
    xlsx: Path | None,
    axis: str | None,
) -> None:
    """Print each figure's table: n, counts and percentages."""
    from . import pipeline
    from .inputs.project import find_root, open_year

    y = open_year(find_root(root), year)
    if axis is not None:
        if xlsx is not None:  # refused before any work
            pipeline.comparison_target(y, axis, None if xlsx == Path(".") else xlsx)
        inputs = pipeline.load_inputs(y, data, corrections)
        by = pipeline.cut(inputs, axis)
        if xlsx is not None:
            written = pipeline.write_comparison(inputs, by, None if xlsx == Path(".") else xlsx)
            click.echo(f"Wrote {written}", err=True)
        if as_json:
            click.echo(json.dumps(by.to_dict(), ensure_ascii=False, indent=2))
            return
        from .writers.tables_text import render_text

        for segment in by.segments:
            click.echo(f"■ {by.axis}：{segment.value}")
            click.echo(render_text(segment.tables, inputs.codebook.survey, segment.figures))
        return
    if xlsx is not None:  # refused before any work
        pipeline.workbook_target(y, None if xlsx == Path(".") else xlsx)
    inputs = pipeline.load_inputs(y, data, corrections)
    result = pipeline.tables(inputs)
    if xlsx is not None:
        written = pipeline.write_workbook(inputs, result, None if xlsx == Path(".") else xlsx)
        click.echo(f"Wrote {written}", err=True)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        from .writers.tables_text import render_text

        click.echo(render_text(result, inputs.codebook.survey), nl=False)


@main.command()
@year_option
@data_option
@corrections_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: output/YEAR/).")
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A .pptx template with the layouts and placeholder numbers of layouts/layouts.yaml (default: layouts/slidegen.pptx).",
)
@click.option(
    "--charts",
    type=click.Choice(["native", "picture"]),  # slidegen.inputs.kinds.CHARTS_NATIVE, CHARTS_PICTURE
    default="native",
    show_default=True,
    help="Figures in the PPTX as native PowerPoint charts with their data, or as pictures (the PNGs).",
)
@click.option("--pdf", is_flag=True, help="Also write the same deck as PDF (fonts embedded, figures as vectors).")
@click.option(
    "--figures",
    is_flag=True,
    help="Also write each figure as PNG (200 dpi) and SVG into figures/, to paste into other documents.",
)
@click.option(
    "--by",
    "axis",
    metavar="AXIS",
    help="A deck for every segment of AXIS (団体区分, 都道府県 or 財務局: data/segments.yaml), small cells "
    "withheld, into output/YEAR/segments/AXIS/VALUE/, with the 比較表 beside them.",
)
@click.pass_obj
def build(
    root: Path | None,
    year: str,
    data: Path | None,
    corrections: str | None,
    out: Path | None,
    template: Path | None,
    charts: str,
    pdf: bool,
    figures: bool,
    axis: str | None,
) -> None:
    """Build the year's deck (PPTX, and PDF with --pdf; the figures as files with --figures), its web
    page, its 集計表 and a manifest into output/YEAR/; with --by, one deck per segment."""
    from contextlib import nullcontext

    from .build.parallel import stops_held, warmed

    # a deck's data are counted in a process begun now, which imports pandas meanwhile
    with warmed(_counting_ready) if axis is None else nullcontext():
        with stops_held():  # a Ctrl-C while the pipeline is imported is taken after
            from . import pipeline
            from .inputs.project import find_root, open_year

        options: dict[str, Any] = {
            "data": data,
            "out": out,
            "template": template,
            "pdf": pdf,
            "progress": lambda m: click.echo(m, err=True),
            "charts": charts,
            "corrections": corrections,
            "figures": figures,
        }
        if axis is not None:
            _build_by(open_year(find_root(root), year), axis, options)
            return
        result = pipeline.build(open_year(find_root(root), year), **options)
        verb = "Up to date:" if result.up_to_date else "Wrote"
        click.echo(f"{verb} {len(result.files)} files in {result.out}:")
        for path in result.files:
            if path.parent == result.out:
                click.echo(f"  {path.relative_to(result.out)}")
        drawn = sum(1 for p in result.files if p.parent == result.out / "figures")
        if drawn:
            click.echo(f"  figures/ ({drawn} files)")


def _counting_ready() -> None:
    """What counting a deck's data needs, imported in the process that will count them (pandas, the
    pipeline's loading) while the build's own process imports what it needs."""
    from .inputs.responses import ready
    from .pipeline import xlsx  # noqa: F401  (the counting and the 集計表 after it)

    ready()


def _build_by(year: Any, axis: str, options: dict[str, Any]) -> None:
    """``build --by``: the decks (``options``: build's), a progress bar on a terminal (quiet in a
    pipe), then per segment where it went and which sentences fell back."""
    from . import pipeline

    bar: Any = None

    def each(done: int, total: int, value: str) -> None:
        nonlocal bar
        if not sys.stderr.isatty():
            return
        if bar is None:
            bar = click.progressbar(
                length=total, label=f"{axis}別のデッキ", file=sys.stderr, show_eta=True, item_show_func=lambda v: v
            )
            bar.__enter__()
        bar.update(done - bar.pos, value)
        if done == total:
            bar.__exit__(None, None, None)

    try:
        built, comparison = pipeline.build_by(year, axis, each=each, **options)
    finally:
        if bar is not None and bar.pos < bar.length:
            bar.__exit__(None, None, None)
    folder = comparison.parent
    click.echo(f"Wrote {len(built)} decks in {folder}:")
    for segment in built:
        state = "up to date" if segment.result.up_to_date else f"{len(segment.result.files)} files"
        fell = f", {len(segment.fell_back)} sentence(s) fell back" if segment.fell_back else ""
        click.echo(f"  {segment.result.out.relative_to(folder)}/ ({state}{fell})")
        for line in segment.fell_back:
            click.echo(f"    {line.said()}", err=True)
    click.echo(f"  {comparison.name}")


@main.command()
@year_option
@click.argument("deck", type=click.Path(dir_okay=False, path_type=Path))
@data_option
@corrections_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the refreshed deck (default: beside DECK, with 「_更新」 before .pptx).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The template the deck was built on, if not layouts/slidegen.pptx.",
)
@click.pass_obj
def update(
    root: Path | None,
    year: str,
    deck: Path,
    data: Path | None,
    corrections: str | None,
    out: Path | None,
    template: Path | None,
) -> None:
    """Refresh DECK, a deck slidegen built and people edited since, with the current data.

    Charts get the new numbers and keep their formatting; a sentence nobody touched gets the new
    wording; in an edited one, only a phrase the data put there (「約7割」) is replaced, and what
    cannot be done safely is left for a person and reported. DECK itself is never modified; the
    report is printed and written beside the new deck.
    """
    from . import pipeline
    from .inputs.project import find_root, open_year

    result = pipeline.update(
        open_year(find_root(root), year),
        deck,
        data=data,
        out=out,
        template=template,
        progress=lambda m: click.echo(m, err=True),
        corrections=corrections,
    )
    for line in result.lines:
        click.echo(line)
    click.echo(f"Wrote {result.deck} and {result.report}")


@main.command()
@year_option
@click.argument("deck", type=click.Path(dir_okay=False, path_type=Path))
@data_option
@corrections_option
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The template the deck was built on, if not layouts/slidegen.pptx.",
)
@click.pass_obj
@click.pass_context
def check(
    ctx: click.Context,
    root: Path | None,
    year: str,
    deck: Path,
    data: Path | None,
    corrections: str | None,
    template: Path | None,
) -> None:
    """Audit DECK, a deck slidegen built, however it was edited since, against the current data.

    Every number on every slide — sentences, chart data and labels, text boxes, tables, notes, alt
    text — is traced to the data; each one the data does not give is printed with its slide (as the
    deck now stands), its place, what it says and what the data gives; a figure without alt text
    (a LibreOffice re-save drops them) is named too. Exits 0 when every number agrees and nothing
    needs a look, 1 when a number contradicts the data or a line says 要確認.
    """
    from . import pipeline
    from .inputs.project import find_root, open_year

    result = pipeline.check(
        open_year(find_root(root), year), deck, data=data, template=template, corrections=corrections
    )
    for line in result.lines:
        click.echo(line)
    if not result.ok:
        ctx.exit(1)


@main.command()
@year_option
@data_option
@corrections_option
@click.option(
    "--tolerance",
    type=float,
    default=0.1,
    show_default=True,
    help="Largest difference from a published percentage that still passes, in points.",
)
@click.pass_obj
def verify(root: Path | None, year: str, data: Path | None, corrections: str | None, tolerance: float) -> None:
    """Compare the aggregates with the published values (data/YEAR/published.yaml)."""
    from . import pipeline
    from .compare.verify import VerifyError
    from .compare.verify import verify as check
    from .inputs.project import find_root, open_year

    y = open_year(find_root(root), year)
    checks = check(pipeline.tables(pipeline.load_inputs(y, data, corrections)), y.published, tolerance)
    for c in checks:
        click.echo(f"{'ok      ' if c.ok else 'MISMATCH'} {c.name}: " + "; ".join(c.lines))
    failed = [c.name for c in checks if not c.ok]
    if failed:
        raise VerifyError(
            f"{len(failed)} of {len(checks)} checks differ beyond {tolerance} points: {', '.join(failed)}"
        )
    click.echo(f"All {len(checks)} checks match the published values within {tolerance} points.")


@main.command()
@click.argument("a", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("b", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--year", metavar="YEAR", help="Survey year of the response tables (needed unless A and B are manifests)."
)
@corrections_option
@click.pass_obj
@click.pass_context
def diff(ctx: click.Context, root: Path | None, a: Path, b: Path, year: str | None, corrections: str | None) -> None:
    """Compare two builds' manifest.json, or two response tables, without building.

    Exits 0 when they show the same, 1 when they differ (as diff(1) does)."""
    from .build.manifest import Snapshot
    from .compare import changes
    from .errors import DiffError

    def snapshot(path: Path) -> Snapshot:
        if path.suffix == ".json":
            return changes.load_manifest(path).snapshot
        if year is None:
            raise DiffError(f"{path} is a response table: say which survey year it belongs to with --year.")
        from . import pipeline
        from .inputs.project import find_root, open_year

        inputs = pipeline.load_inputs(open_year(find_root(root), year), path, corrections)
        return pipeline.snapshot(inputs, pipeline.tables(inputs))

    lines = changes.compare(snapshot(a), snapshot(b))
    click.echo("\n".join(lines) if lines else "No differences.")
    if lines:
        ctx.exit(1)


#: the environment variables that size numpy's linear-algebra thread pool (OpenBLAS in numpy's
#: wheels, MKL in some distributions'), set to one thread by :func:`run` unless the environment
#: sets them: slidegen counts and does no linear algebra, and OpenBLAS starts a thread for every
#: core as numpy is imported, spinning a while — 0.07 s of CPU a two-core build's other processes
#: lose (cold build and correction 0.95 → 0.90 s and 0.71 → 0.67 s, in turns)
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread(environ: MutableMapping[str, str]) -> None:
    """``environ`` sizing numpy's linear-algebra thread pool to one thread (:data:`BLAS_THREADS`),
    where it does not size it already."""
    for name in BLAS_THREADS:
        environ.setdefault(name, "1")


def run() -> None:
    """The ``slidegen`` command as a process of its own (the console script, ``python -m slidegen``).

    A run makes a few hundred thousand objects, nearly none in reference cycles, and ends: the
    cyclic collector is off — it took some 0.03 s of a correction tracing pandas' object arrays
    and python-pptx's trees, which reference counting frees anyway, and a single build's peak
    memory is the same without it; a worker that makes deck after deck (``build --by``:
    :func:`~slidegen.build.parallel.run_each`) turns it back on — and at exit :func:`gc.freeze`
    keeps it from sweeping every object as the interpreter shuts down (a quarter of a second of a
    build): they are left to be freed by their reference counts, as they would be anyway. Only the process
    is tuned — so is numpy's linear-algebra thread pool: one thread (:data:`BLAS_THREADS`) — and
    the click command :func:`main`, which tests and other programs call, is not.

    A run has said all it will and cleaned up by the time :func:`main` ends: what was registered
    to run at exit runs, the output is flushed, and the process exits with its status without
    tearing the interpreter down object by object (a few hundredths of a second of every command).
    A run stopped by Ctrl-C or SIGTERM exits so too, at once (130, 143): left to shut down as
    usual, CPython sometimes (a few runs in a hundred, when the interrupt came early) ended the
    process by SIGINT instead, so a caller saw -2 rather than the 130 slidegen chose."""
    import atexit
    import gc

    one_blas_thread(os.environ)
    gc.disable()
    try:
        main(prog_name="slidegen")
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            print(e.code, file=sys.stderr)
        if status not in (EXIT_INTERRUPTED, EXIT_TERMINATED):
            gc.freeze()  # what runs at exit need not sweep every object first
            atexit._run_exitfuncs()  # temporary folders' finalizers, multiprocessing's: as at any exit
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader that went away (| head), a stream closed
                pass
        os._exit(status)


if __name__ == "__main__":  # pragma: no cover
    run()
