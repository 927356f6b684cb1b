"""slidegen: builds a survey result deck (PPTX and PDF) from a survey's response table.

The library is the product; the ``slidegen`` command is a thin layer over it. Its public surface
is what ``__all__`` lists, each one a step a user takes::

    from pathlib import Path
    from slidegen import open_year, pipeline, check, update
    year = open_year(Path("."), "R6")
    pipeline.build(year)                              # output/R6/R6_deck.pptx, figures, 集計表, manifest
    check(year, Path("局長説明用.pptx")).lines         # every number of an edited deck against the data
    update(year, Path("局長説明用.pptx"))              # the edited deck refreshed, beside it

(``build`` is :func:`slidegen.pipeline.build`: ``slidegen.build`` is the build stage's package.)
The names are loaded when first used, so ``import slidegen`` (and ``slidegen --help``) stays quick.
Everything else is internal and may change.
"""

from __future__ import annotations

from typing import Any

from .errors import SlidegenError

__all__ = ["SlidegenError", "open_year", "load_inputs", "tables", "check", "update", "write_workbook"]


def __getattr__(name: str) -> Any:
    if name == "open_year":
        from .inputs.project import open_year

        return open_year
    if name in __all__:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'slidegen' has no attribute {name!r}")
