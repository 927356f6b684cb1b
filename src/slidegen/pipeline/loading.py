"""The first steps of every run: a survey year's inputs loaded and checked, the look a deck is made
in resolved once, and the files read hashed once.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..aggregate import Tables, aggregate
from ..errors import DeckSpecError
from ..figures.kinds import KINDS
from ..inputs.codebook import Codebook, load_codebook
from ..inputs.deck import DeckSpec, load_deck
from ..inputs.layouts import load_layouts
from ..inputs.master import CODE, Body, load_master
from ..inputs.project import Corrections, Year, which_corrections
from ..inputs.reading import RawTable, read_table
from ..inputs.responses import Responses, load_responses

if TYPE_CHECKING:  # the fonts, the template's reader (lxml) and the sentences: a build's, not counting's
    from ..figures.fonts import DeckFonts, Font
    from ..inputs.template import Template, Theme

#: where a run says what it does (the CLI prints each line on stderr)
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
    published: Any = None  # what the published deck states (published.yaml), where the year has one


def load_inputs(
    year: Year, data: Path | None = None, corrections: Path | str | None = None, read: Read | None = None
) -> Inputs:
    """Load and check the codebook, master list and response table (``data`` overrides the
    year's ``responses.csv``) with its corrections (``corrections``: see
    :func:`~slidegen.inputs.project.which_corrections`), and the deck spec where the year has one;
    ``read``: the files as read already (:func:`read_files`)."""
    read = read if read is not None else read_files(year, data)
    chosen = which_corrections(year, corrections)
    path = data or year.responses
    responses = load_responses(path, read.codebook, read.master, chosen.log, chosen.sheets, read.table)
    return Inputs(year, read.codebook, read.master, responses, read.deck, chosen, read.published)


@dataclass(frozen=True)
class Read:
    """A year's input files as read and checked on their own: the codebook, the master list, the
    response table as the file holds it (no resubmission or correction put in), the deck spec
    and what the published deck states (each None where the year has none) — what a rebuild after
    a correction reads again unchanged."""

    codebook: Codebook
    master: dict[str, Body]
    table: RawTable
    deck: DeckSpec | None
    published: Any = None


#: the layout of a kept :class:`Read` (:func:`kept_files`): a file of another is read afresh
READ_FORMAT = 2


def read_files(year: Year, data: Path | None = None) -> Read:
    """The codebook, master list, response table (``data`` or the year's), deck spec and published
    values, read."""
    from ..compare.verify import read_published

    codebook = load_codebook(year.codebook, KINDS)
    master = load_master(year.master)
    table = read_table(data or year.responses, key=CODE)
    deck = load_deck(year.deck, codebook, load_layouts(year.layouts)) if year.deck.exists() else None
    return Read(codebook, master, table, deck, read_published(year.published))


def kept_files(year: Year, data: Path | None, kept: Path) -> tuple[Read, Callable[[], None]]:
    """:func:`read_files`, from the file ``kept`` where an earlier build kept them read from these
    very files (under a hash of each one's path and bytes, slidegen's code and Python's version:
    a rebuild after a correction changes none of them); and what keeps them there for the next
    build, where they were read now (nothing, where they came from ``kept``) — to be called once
    the data are counted, so that a build does not wait for it."""
    import pickle
    import sys

    from ..inputs.versions import code_version
    from ..writers.outputs import write_atomic

    digest = hashlib.sha256(f"{READ_FORMAT}\0{code_version()}\0{sys.version}".encode())
    for path in (year.codebook, year.master, data or year.responses, year.deck, year.layouts, year.published):
        digest.update(f"\0{path}\0".encode() + (path.read_bytes() if path.is_file() else b"(none)"))
    key = digest.hexdigest()
    try:
        found, read = pickle.loads(kept.read_bytes())
        if found == key and isinstance(read, Read):
            return read, lambda: None
    except Exception:  # noqa: BLE001, S110 - a missing, partial or other file: read the inputs afresh
        pass
    read = read_files(year, data)

    def keep() -> None:
        try:
            blob = pickle.dumps((key, read), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):  # not keepable: read anew each build
            return
        write_atomic(kept, blob)

    return read, keep


def tables(inputs: Inputs) -> Tables:
    """The aggregates of a loaded survey year, each figure's departures from the published deck
    said where the year has one (:func:`~slidegen.compare.verify.departures`)."""
    from ..compare.verify import departures

    return departures(aggregate(inputs.codebook, inputs.responses, inputs.master), inputs.published)


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


@dataclass(frozen=True)
class Look:
    """The template a deck is made on, resolved once per run and handed to every stage that needs
    it: the file, its theme (colours, fonts) and the fonts text is measured and figures drawn in."""

    template: Path
    theme: Theme
    fonts: DeckFonts

    @classmethod
    def of(cls, template: Path, theme: Theme | None = None) -> Look:
        """The look of ``template``: its theme read (unless given, as read already), its fonts
        found on this machine."""
        from ..figures.fonts import deck_fonts
        from ..inputs.template import read_theme

        theme = theme if theme is not None else read_theme(template)
        return cls(template, theme, deck_fonts(theme.major_font, theme.minor_font))

    @property
    def font(self) -> Font:
        """The body font: every text is measured in it and every figure drawn in it."""
        return self.fonts.body

    @cached_property
    def layouts(self) -> Template:
        """The template's slide layouts and placeholders, read when a deck is first laid out on
        it and kept for every other deck of the run (``build --by``'s segments)."""
        from ..inputs.template import read_template

        return read_template(self.template)


@dataclass
class Hashes:
    """The SHA-256 of each file a run reads, each file read once (a missing file: None)."""

    known: dict[Path, str | None] = field(default_factory=dict)

    def __call__(self, path: Path) -> str | None:
        if path not in self.known:
            self.known[path] = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
        return self.known[path]


def input_files(year: Year, data: Path | None, corrections: Corrections, template: Path) -> list[Path]:
    """Every file a deck of ``year`` is made from: the response table (``data`` or the year's), the
    corrections chosen (log and resubmitted sheets), the codebook, deck spec, layouts, master list
    and the template."""
    logs = [corrections.log] if corrections.log is not None else []
    return [
        data or year.responses,
        *logs,
        *corrections.sheets,
        year.codebook,
        year.deck,
        year.layouts,
        year.master,
        template,
    ]


def deck_spec(inputs: Inputs) -> DeckSpec:
    """The year's deck spec; a :class:`~slidegen.errors.DeckSpecError` where it has none."""
    if inputs.deck is None:
        raise DeckSpecError(
            f"{inputs.year.deck}: the deck spec is missing; a deck needs it (the slides, their "
            "headings and sentences), though `slidegen tables` and `verify` do not."
        )
    return inputs.deck


def current(
    year: Year,
    data: Path | None,
    progress: Progress,
    corrections: Path | str | None,
    hashes: Hashes,
    loaded: Callable[[], tuple[Inputs, Tables]] | None = None,
) -> tuple[Inputs, DeckSpec, Tables, str]:
    """The year's data as a deck shows it: the inputs loaded and checked (corrections applied, and
    said), the deck spec, the aggregates, and the notes' source line. ``loaded`` gives the inputs
    and aggregates where they are being made elsewhere (:func:`counted`, begun in another process)."""
    data_path = data or year.responses
    progress(f"reading {data_path}")
    inputs, result = loaded() if loaded is not None else counted(year, data, corrections, keep_table=True)
    for line in revisions_said(inputs):
        progress(line)
    return inputs, deck_spec(inputs), result, source_line(inputs, result, hashes)


def counted(
    year: Year, data: Path | None, corrections: Path | str | None, keep_table: bool = False, read: Read | None = None
) -> tuple[Inputs, Tables]:
    """The year's inputs loaded and checked (a deck spec required; ``read``: the files as read
    already) and their aggregates; the response table itself dropped unless ``keep_table``
    (:meth:`~slidegen.inputs.responses.Responses.counted`), so that another process can be given
    the rest without importing pandas."""
    inputs = load_inputs(year, data, corrections, read)
    deck_spec(inputs)
    result = tables(inputs)
    return (inputs if keep_table else dataclasses.replace(inputs, responses=inputs.responses.counted())), result


def source_line(inputs: Inputs, result: Tables, hashes: Hashes) -> str:
    """The deck's 出典 line (deck.yaml's ``source``) as the data fills it in: the response file, its
    hash, the corrections; empty where the year has no deck spec or the spec no source."""
    from ..slides.sentences import Context, render

    if inputs.deck is None or not inputs.deck.source:
        return ""
    data_path = inputs.responses.path
    digest = hashes(data_path) or ""
    provenance = {
        "file": data_path.name,
        "sha256": digest,
        "digest": digest[:16],
        "corrections": inputs.responses.corrections,
    }
    return render(inputs.deck.source, Context(result, inputs.codebook, provenance))
