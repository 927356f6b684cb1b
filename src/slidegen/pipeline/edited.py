"""``check`` and ``update``: a deck slidegen built, however officials edited it since, audited
against today's data or refreshed with it (the refresh stage, :mod:`slidegen.refresh`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..build.cache import FigureCache
from ..build.folders import check_output_file
from ..errors import UpdateError
from ..inputs.kinds import CHARTS_PICTURE
from ..inputs.project import Year
from .drawing import draw, lay_out, plan
from .loading import Hashes, Inputs, Look, Progress, current, input_files

if TYPE_CHECKING:  # the record and the slide model import python-pptx
    from ..record import Record
    from ..slides import Deck


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
    from ..record import DamagedRecord
    from ..refresh import NotADeck, record_of

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
    from ..compare.check import audit

    original, record = read_built_deck(year, deck_path, "check")
    inputs, deck = current_deck(year, record, data, corrections, template, progress)
    found = audit(original, deck, record)
    head = f"slidegen check：{deck_path.name}（{year.name}{_segment_said(record)}、データ：{(data or year.responses).name}、訂正 {inputs.responses.corrections}件）"
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
    from ..compare.check import audit
    from ..record import DamagedRecord
    from ..refresh import NotADeck, record_of, refresh
    from ..writers.outputs import write_atomic

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
    inputs, deck = current_deck(year, record, data, corrections, template, progress)
    refreshed, report = refresh(original, deck, deck.created)
    rest = record_of(refreshed)
    assert rest is not None
    found = audit(refreshed, deck, rest)  # what the refreshed deck still shows that the data does not give
    revised = inputs.responses.revisions
    lines = [
        f"{REPORT_HEADER}：{deck_path.name} → {target.name}（{year.name}{_segment_said(record)}）",
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


def _segment_said(record: Record) -> str:
    """The segment a deck is of, as ``check`` and ``update`` name it (「、団体区分「村」」); empty for
    the whole survey's deck."""
    return f"、{record.segment[0]}「{record.segment[1]}」" if record.segment is not None else ""


#: the slide model ``current_deck`` made last, under the fingerprint of all it was made from, and
#: what it said: a process that checks or updates several decks of the same data (a session, a
#: service, the test suite) lays it out once
_LAST: dict[tuple[object, ...], tuple[Inputs, Deck, tuple[str, ...]]] = {}


def current_deck(
    year: Year,
    record: Record,
    data: Path | None = None,
    corrections: Path | str | None = None,
    template: Path | None = None,
    progress: Progress = lambda _: None,
) -> tuple[Inputs, Deck]:
    """The slide model of the year's current data (corrections applied, as ``build`` does) on
    ``template``, for the deck ``record`` describes — the whole survey's, or its segment's
    (``build --by``), small cells withheld as that build withholds them: what a deck built today
    would show, to refresh or audit an older deck by. Figures are drawn only for a deck of
    pictures (``record.charts``), from the cache where unchanged. Made again only where any file
    it reads, the deck's segment or kind, or the fonts changed since the last call (the model is
    frozen: sharing it is safe); what it says is said again."""
    key = _fingerprint(year, record, data, corrections, template)
    if key in _LAST:
        inputs, deck, said = _LAST[key]
        for line in said:
            progress(line)
        return inputs, deck
    lines: list[str] = []

    def tell(line: str) -> None:
        lines.append(line)
        progress(line)

    inputs, deck = _made_deck(year, record, data, corrections, template, tell)
    _LAST.clear()
    _LAST[key] = (inputs, deck, tuple(lines))
    return inputs, deck


def _fingerprint(
    year: Year, record: Record, data: Path | None, corrections: Path | str | None, template: Path | None
) -> tuple[object, ...]:
    """Everything :func:`_made_deck` depends on beyond the code: each file it reads (by content),
    the deck's segment and kind, the fonts the look resolves to."""
    import os

    from ..inputs.project import which_corrections

    look = Look.of(template or year.template)
    hashes = Hashes()
    files = [*input_files(year, data, which_corrections(year, corrections), look.template), year.segments]
    return (
        tuple((str(f), hashes(f)) for f in files),
        record.segment,
        record.charts,
        look.fonts,
        os.environ.get("SLIDEGEN_FONT", ""),
    )


def _made_deck(
    year: Year,
    record: Record,
    data: Path | None,
    corrections: Path | str | None,
    template: Path | None,
    progress: Progress,
) -> tuple[Inputs, Deck]:
    """:func:`current_deck`, made."""
    from ..figures import Rendered
    from .segmenting import one_segment, segment_view

    look = Look.of(template or year.template)
    inputs, spec, result, source = current(year, data, progress, corrections, Hashes())
    if record.segment is not None:
        axis, value = record.segment
        progress(f"segment: {axis} {value}")
        inputs, spec, result, _ = segment_view(inputs, spec, one_segment(inputs, axis, value))
    progress(f"font: {look.fonts.summary()} ({look.font.path})")
    cache = FigureCache.beside(year.output_dir)
    planned = plan(inputs, result, look.font, look.theme, cache)
    if record.charts == CHARTS_PICTURE:  # its figures are pictures: draw them (the cache keeps unchanged ones)
        rendered, _ = draw(planned, cache, lambda _: [], None)
    else:
        rendered = [Rendered(d, b"", b"") for _, d in sorted(planned.descriptions.items())]
    return inputs, lay_out(inputs, spec, result, rendered, look, source, look.layouts)
