"""The 集計表 workbook: every figure's table in the deck's font, with the deck's 出典 line — written
by every build, and by ``slidegen tables --xlsx`` where it is wanted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..aggregate import Tables
from ..errors import ProjectError
from ..inputs.project import Year
from .loading import Hashes, Inputs, counted, kept_files, source_line, tables

if TYPE_CHECKING:  # a build's counting process imports this module: it needs no segment, nor lxml
    from ..inputs.template import Theme
    from .segmenting import Cut


def workbook(inputs: Inputs, result: Tables, theme: Theme | None = None, source: str | None = None) -> bytes:
    """The 集計表 workbook of a survey year: in the deck's font under ``theme`` (default: the
    year's template's), with the deck's 出典 line ``source`` (worked out here where not given;
    empty where the year has no deck spec)."""
    from ..inputs.template import read_theme
    from ..writers.tables_xlsx import workbook_bytes

    if source is None:
        source = source_line(inputs, result, Hashes())
    return workbook_bytes(result, inputs.codebook, source, _font_name(theme or read_theme(inputs.year.template)))


def counted_parts(
    year: Year, data: Path | None, corrections: Path | str | None, theme: Theme, kept: Path | None = None
) -> Iterator[tuple[Inputs, Tables] | bytes]:
    """The year's data counted (:func:`counted`: the inputs and their aggregates), then its 集計表
    written in the font of ``theme`` (the template's, read by the build) — the two parts of the task a build begins in a process of its
    own (:func:`~slidegen.build.parallel.started_parts`: it says when each part has come). The
    集計表 needs nothing the slides need, so the process that counted the data writes it
    (importing XlsxWriter only then) while the build's own lays out the slides. That process
    imports this module and what counting needs, not the slides'. ``kept``: the file the input
    files are kept in as read (:func:`~.loading.kept_files`), written once the data are sent."""
    read, keep = kept_files(year, data, kept) if kept is not None else (None, lambda: None)
    inputs, result = counted(year, data, corrections, read=read)
    yield inputs, result
    keep()
    from ..writers.tables_xlsx import prepare

    prepare()
    yield workbook(inputs, result, theme)


def _font_name(theme: Theme) -> str:
    """The font a workbook names: the deck's, which Excel on the officials' computers has (not
    the fallback slidegen measures with where it is missing here), named without looking for it."""
    from ..figures.fonts import deck_font_name

    return deck_font_name(theme.minor_font)


def workbook_target(year: Year, path: Path | None = None) -> Path:
    """Where ``tables --xlsx`` writes the 集計表 workbook — ``path``, by default
    ``output/<year>/<year>_集計表.xlsx`` beside the deck — checked before any work: an Excel name,
    not among the inputs, and not a file slidegen did not write."""
    from ..build.folders import check_output_file
    from ..writers.tables_xlsx import file_name, made_by_slidegen

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


def comparison_target(year: Year, axis: str, path: Path | None = None) -> Path:
    """Where ``tables --by AXIS --xlsx`` writes the 比較表 — ``path``, by default
    ``output/<year>/segments/<axis>/<year>_<axis>_比較表.xlsx`` — checked as :func:`workbook_target` checks."""
    from ..writers.comparison_xlsx import file_name

    return workbook_target(year, path or year.output_dir / "segments" / axis / file_name(year.name, axis))


def write_comparison(inputs: Inputs, by: Cut, path: Path | None = None) -> Path:
    """Write the 比較表 of the cut ``by`` (:func:`~slidegen.pipeline.segmenting.cut`) where
    :func:`comparison_target` says, replacing only a workbook slidegen wrote; the path written."""
    from ..inputs.template import read_theme
    from ..writers.comparison_xlsx import comparison_bytes
    from ..writers.outputs import write_atomic

    target = comparison_target(inputs.year, by.axis, path)
    segments = [(s.value, s.tables, s.figures) for s in by.segments]
    font = _font_name(read_theme(inputs.year.template))
    write_atomic(target, comparison_bytes(tables(inputs), by.axis, segments, by.small_cells, inputs.codebook, font))
    return target


def write_workbook(inputs: Inputs, result: Tables, path: Path | None = None) -> Path:
    """Write the 集計表 workbook where :func:`workbook_target` says, replacing only a workbook
    slidegen wrote; the path written."""
    from ..writers.outputs import write_atomic

    target = workbook_target(inputs.year, path)
    write_atomic(target, workbook(inputs, result))
    return target
