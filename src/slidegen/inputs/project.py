"""Where a slidegen project keeps its inputs and outputs.

A project folder holds ``data/municipalities.csv`` (the master list), ``data/<year>/`` (the
codebook and response table of one survey year), ``layouts/`` and ``output/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProjectError

MASTER = Path("data") / "municipalities.csv"
#: ``--corrections none``: the response table as submitted, without the log or resubmitted sheets
AS_SUBMITTED = "none"
_YEAR = re.compile(r"^[A-Z]\d{1,2}$")


def _is_project(folder: Path) -> bool:
    return (folder / MASTER).is_file()


def find_root(explicit: Path | None = None) -> Path:
    """The project folder: ``explicit`` if given, else the current folder, else the checkout
    slidegen was installed from (an editable install)."""
    if explicit is not None:
        if not _is_project(explicit):
            raise ProjectError(f"{explicit} is not a slidegen project folder: it has no {MASTER.as_posix()}.")
        return explicit
    for candidate in (Path.cwd(), Path(__file__).resolve().parents[2]):
        if _is_project(candidate):
            return candidate
    raise ProjectError(
        f"No slidegen project found: {Path.cwd()} has no {MASTER.as_posix()}. "
        "Run slidegen from the project folder or pass --root DIR."
    )


@dataclass(frozen=True)
class Year:
    """One survey year of a project: its data folder and default file locations."""

    root: Path
    name: str

    @property
    def data_dir(self) -> Path:
        return self.root / "data" / self.name

    @property
    def codebook(self) -> Path:
        return self.data_dir / "codebook.yaml"

    @property
    def responses(self) -> Path:
        return self.data_dir / "responses.csv"

    @property
    def corrections(self) -> Path:
        """The corrections log: ``corrections.csv``, or ``corrections.xlsx`` where that is the one
        there (both at once is an error: which one is meant?)."""
        csv, xlsx = self.data_dir / "corrections.csv", self.data_dir / "corrections.xlsx"
        if xlsx.exists() and csv.exists():
            raise ProjectError(
                f"{self.data_dir}: both corrections.csv and corrections.xlsx are here; keep the one "
                "that holds the corrections and move the other away."
            )
        return xlsx if xlsx.exists() else csv

    @property
    def resubmissions(self) -> Path:
        """The folder of resubmitted and late answer sheets: ``data/<year>/resubmissions/``."""
        return self.data_dir / "resubmissions"

    @property
    def deck(self) -> Path:
        return self.data_dir / "deck.yaml"

    @property
    def published(self) -> Path:
        return self.data_dir / "published.yaml"

    @property
    def master(self) -> Path:
        return self.root / MASTER

    @property
    def segments(self) -> Path:
        """The axes a survey can be cut by, and the small-cell thresholds: ``data/segments.yaml``."""
        return self.root / "data" / "segments.yaml"

    @property
    def layouts(self) -> Path:
        """Which placeholder of the template takes which text: ``layouts/layouts.yaml``."""
        return self.root / "layouts" / "layouts.yaml"

    @property
    def template(self) -> Path:
        """The deck template, shared by every year: ``layouts/slidegen.pptx``."""
        return self.root / "layouts" / "slidegen.pptx"

    @property
    def output_dir(self) -> Path:
        """Where ``build`` writes by default: ``output/<year>/``."""
        return self.root / "output" / self.name


@dataclass(frozen=True)
class Corrections:
    """Which corrections a command applies over the response table: a corrections log (``None``:
    none) and the resubmitted and late sheets."""

    log: Path | None
    sheets: tuple[Path, ...] = ()


def which_corrections(year: Year, choice: Path | str | None = None) -> Corrections:
    """The corrections for ``choice``: ``None`` the year's own (its log and its resubmissions
    folder); ``"none"`` nothing, the table as submitted; a path, that log instead of the year's."""
    from .resubmissions import resubmission_files

    if choice is None:
        return Corrections(year.corrections, resubmission_files(year.resubmissions))
    if str(choice) == AS_SUBMITTED:
        return Corrections(None)
    log = Path(choice)
    if not log.is_file():
        raise ProjectError(
            f"--corrections {choice}: no such file; name a corrections log (CSV or .xlsx), or {AS_SUBMITTED} for the table as submitted."
        )
    return Corrections(log, resubmission_files(year.resubmissions))


def available_years(root: Path) -> list[str]:
    data = root / "data"
    return sorted(p.name for p in data.iterdir() if (p / "codebook.yaml").is_file())


def open_year(root: Path, name: str) -> Year:
    """The survey year ``name`` (such as ``R6``) of the project at ``root``."""
    year = Year(root, name)
    if not _YEAR.match(name) or not year.codebook.is_file():
        have = ", ".join(available_years(root)) or "none"
        raise ProjectError(f"No survey year {name!r}: {year.codebook} does not exist. Years in this project: {have}.")
    return year
