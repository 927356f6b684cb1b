"""The figure cache: drawn figures kept by the hash of what they draw, so a rebuild draws only
what changed.

A build's cache sits beside its output folder: ``output/R6/`` has ``output/.cache/R6/``, and
``--out /tmp/deck`` has ``/tmp/.cache/deck/``. Where the environment names a folder in
:data:`CACHE_VARIABLE` (``SLIDEGEN_CACHE``), every build keeps its figures there instead — one
cache shared by builds into many folders (the test suite's, a run of segment decks). Sharing is
safe: a figure is kept under the hash of everything it draws, so a key names one drawing
wherever it was made. ``figures/`` holds each figure's PNG and SVG under its key
(:func:`slidegen.figures.figure_key`); ``charts/`` each native figure's shapes, charts and
workbooks as the PPTX writer made them (:mod:`slidegen.writers.native_parts`); ``fonts.json``
where the fonts were found and what was measured in them (:func:`slidegen.figures.fonts.kept_notes`);
``pdf-fonts/`` the PDF's fonts as reportlab parsed them (:mod:`slidegen.writers.pdf_faces`);
``layouts.pickle`` each text as the last build laid it out (:func:`slidegen.slides.kept_layouts`);
``inputs.pickle`` the input files as the last build read them (:func:`slidegen.pipeline.loading.kept_files`).
Everything in it can be deleted at any time: it is only made again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..writers.outputs import write_atomic

#: the environment variable that names one cache folder for every build
CACHE_VARIABLE = "SLIDEGEN_CACHE"


@dataclass(frozen=True)
class FigureCache:
    """The cache folder of one output folder."""

    folder: Path

    @classmethod
    def beside(cls, out: Path) -> FigureCache:
        """The cache of the output folder ``out``: ``<its parent>/.cache/<its name>``, or the
        folder :data:`CACHE_VARIABLE` names."""
        shared = os.environ.get(CACHE_VARIABLE, "").strip()
        return cls(Path(shared)) if shared else cls(out.parent / ".cache" / out.name)

    def lookup(self, key: str, png: bool = True) -> tuple[bytes, bytes] | None:
        """The PNG and SVG of the figure drawn under ``key``, if they are here; with ``png`` False,
        its SVG alone will do (the PNG, empty, is not read)."""
        png_file, svg_file = self.folder / "figures" / f"{key}.png", self.folder / "figures" / f"{key}.svg"
        if svg_file.exists() and (png_file.exists() or not png):
            return (png_file.read_bytes() if png else b""), svg_file.read_bytes()
        return None

    def store(self, key: str, png: bytes, svg: bytes) -> None:
        """Keep a figure drawn under ``key``: its SVG, and its PNG if it was rasterised."""
        write_atomic(self.folder / "figures" / f"{key}.svg", svg)
        if png:
            write_atomic(self.folder / "figures" / f"{key}.png", png)
