"""The manifest a build leaves in its output folder: what it was built from and what it shows.

:class:`Manifest` is written as ``manifest.json`` beside the deck. It records each input's hash,
the build's :func:`fingerprint` (everything the output depends on), every file the build wrote
with its hash, the font, and a :class:`Snapshot` of what the deck shows — every table and each
slide's texts — which :mod:`slidegen.compare.changes` compares with the next build's.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..inputs.versions import version

#: the manifest's file name in an output folder
MANIFEST = "manifest.json"
#: the marker a build's manifest carries: a folder with it was made by slidegen
GENERATOR = "slidegen"
#: the libraries whose versions shape what a build computes and writes (the figure cache key has
#: those that draw, figures.DRAWING_LIBRARIES)
LIBRARIES = (
    "numpy",
    "pandas",
    "matplotlib",
    "fonttools",
    "pillow",
    "python-pptx",
    "reportlab",
    "lxml",
    "openpyxl",
    "XlsxWriter",
)


@dataclass(frozen=True)
class SlideText:
    """One slide's texts by role (heading, bullets, …) and the figures it shows."""

    number: int
    texts: dict[str, str]
    figures: tuple[int, ...]
    layout: str | None = None
    heading: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """What a build shows, or would show: every table (as ``slidegen tables --json`` prints it),
    each slide's texts, and how many corrections were applied (None when unknown)."""

    tables: dict[str, Any]
    slides: tuple[SlideText, ...]
    corrections: int | None = None
    #: every value the deck shows, as printed, with the slides showing it (empty in older manifests)
    shown: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    #: what was done to the submitted table, body by body (see slidegen.inputs.responses.Revisions)
    revisions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """A build's record of itself (``manifest.json``)."""

    year: str
    inputs: dict[str, dict[str, Any]]  # role → {"file", "sha256", …}
    fingerprint: str
    files: dict[str, str]  # each written file, relative to the output folder → its SHA-256
    font: str
    snapshot: Snapshot
    broken_claims: tuple[str, ...] = ()
    generator: str = field(default=GENERATOR)

    def to_json(self) -> str:
        data = {
            "generator": self.generator,
            "year": self.year,
            "inputs": self.inputs,
            "fingerprint": self.fingerprint,
            "files": self.files,
            "font": self.font,
            "tables": self.snapshot.tables,
            "slides": [
                {
                    "number": s.number,
                    "layout": s.layout,
                    "heading": s.heading,
                    "texts": s.texts,
                    "figures": list(s.figures),
                }
                for s in self.snapshot.slides
            ],
            "shown": {key: {"value": value, "slides": list(on)} for key, (value, on) in self.snapshot.shown.items()},
            "revisions": self.snapshot.revisions,
            "broken_claims": list(self.broken_claims),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """A manifest from its JSON; ValueError when it is not one (missing keys included)."""
        data = json.loads(text)
        if not isinstance(data, dict) or not {"year", "fingerprint", "files", "tables"} <= set(data):
            raise ValueError("not a slidegen manifest: it lacks year, fingerprint, files or tables")
        files = data["files"]
        if isinstance(files, list):  # manifests of slidegen before 2026-11 listed names without hashes
            files = {name: "" for name in files}
        slides = tuple(
            SlideText(
                s["number"], dict(s.get("texts", {})), tuple(s.get("figures", [])), s.get("layout"), s.get("heading")
            )
            for s in data.get("slides", [])
        )
        applied = data.get("inputs", {}).get("corrections", {}).get("applied")
        return cls(
            data["year"],
            data.get("inputs", {}),
            data["fingerprint"],
            dict(files),
            data.get("font", ""),
            Snapshot(
                data["tables"],
                slides,
                applied,
                {key: (str(v["value"]), tuple(v["slides"])) for key, v in data.get("shown", {}).items()},
                dict(data.get("revisions", {})),
            ),
            tuple(data.get("broken_claims", [])),
            data.get("generator", GENERATOR),
        )

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest at ``path``, or None if there is none or it cannot be read."""
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None

    def intact(self, out: Path) -> bool:
        """Whether every file this build wrote into ``out`` is there with the content it wrote."""
        if not self.files:
            return False
        for name, sha in self.files.items():
            try:
                if hashlib.sha256((out / name).read_bytes()).hexdigest() != sha:
                    return False
            except OSError:
                return False
        return True


def fingerprint(
    inputs: list[Path], code: Path, font_path: Path, options: str, sha: Callable[[Path], str | None]
) -> str:
    """A hash of everything a build's output depends on: each input file's content (or its
    absence), the font file, slidegen's own code under ``code``, the libraries that draw and
    write, the ``options`` and ``SOURCE_DATE_EPOCH``. ``sha`` gives a file's SHA-256 (None where
    it is missing): the run's, so each file is read once."""
    digest = hashlib.sha256()
    for path in [*inputs, font_path, *sorted(code.rglob("*.py"))]:
        digest.update((path.relative_to(code).as_posix() if code in path.parents else path.name).encode())
        digest.update((sha(path) or "(none)").encode())
    for package in LIBRARIES:
        digest.update(f"{package}={version(package)}".encode())
    digest.update(f"{options} source_date={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.hexdigest()
