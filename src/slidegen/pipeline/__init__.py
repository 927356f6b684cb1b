"""The pipeline's entry points: load a survey year's inputs, then run each stage on them.

Data flows one way: response table + codebook + master list → :class:`Inputs` →
aggregates (:mod:`slidegen.aggregate`) → figures → slide model → writers. Each run resolves the
template's look (:class:`Look`) and hashes the files it reads (:class:`Hashes`) once, and hands
them to every stage:

- :mod:`.loading` — the inputs, the aggregates, the look, the deck's 出典 line;
- :mod:`.drawing` — the figures planned against the cache, drawn, and laid into the slide model;
- :mod:`.making` — ``build``: every output on one schedule, the manifest, the output folder;
- :mod:`.xlsx` — the 集計表 workbook;
- :mod:`.edited` — ``check`` and ``update`` of a deck officials edited.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .drawing import figures
    from .edited import (
        REPORT_HEADER,
        CheckResult,
        UpdateResult,
        check,
        current_deck,
        read_built_deck,
        update,
        update_paths,
    )
    from .loading import Hashes, Inputs, Look, Progress, load_inputs, revisions_said, tables
    from .making import BuildResult, SegmentBuild, build, build_by, snapshot
    from .segmenting import Cut, FellBack, Segment, cut, one_segment, segment_deck, segment_view
    from .xlsx import comparison_target, workbook, workbook_target, write_comparison, write_workbook

#: where each name this package gives is defined: the modules are imported when a name is first
#: used, so a process that only counts the data (a build's counting process, which imports
#: :mod:`.xlsx`) imports only what that needs, not the drawing, the slides and the writers
_WHERE = {
    "figures": "drawing",
    **dict.fromkeys(
        [
            "REPORT_HEADER",
            "CheckResult",
            "UpdateResult",
            "check",
            "current_deck",
            "read_built_deck",
            "update",
            "update_paths",
        ],
        "edited",
    ),
    **dict.fromkeys(["Hashes", "Inputs", "Look", "Progress", "load_inputs", "revisions_said", "tables"], "loading"),
    **dict.fromkeys(["BuildResult", "SegmentBuild", "build", "build_by", "snapshot"], "making"),
    **dict.fromkeys(["Cut", "FellBack", "Segment", "cut", "one_segment", "segment_deck", "segment_view"], "segmenting"),
    **dict.fromkeys(["comparison_target", "workbook", "workbook_target", "write_comparison", "write_workbook"], "xlsx"),
}


def __getattr__(name: str) -> Any:
    """A name of :data:`__all__`, from the module that defines it (PEP 562), imported when the
    name is first asked for: a build does not import ``check`` and ``update``'s module."""
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def _module(where: str) -> ModuleType:
    """The module of this package named ``where``, imported: ``check`` and ``update``'s and
    ``--by``'s only when asked for; the build's four together (``making`` imports the others)."""
    if where == "edited":
        from . import edited

        return edited
    if where == "segmenting":
        from . import segmenting

        return segmenting
    from . import drawing, loading, making, xlsx

    return {"drawing": drawing, "loading": loading, "making": making, "xlsx": xlsx}[where]


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


__all__ = [
    "REPORT_HEADER",
    "BuildResult",
    "CheckResult",
    "Cut",
    "FellBack",
    "Hashes",
    "Inputs",
    "Look",
    "Progress",
    "Segment",
    "SegmentBuild",
    "UpdateResult",
    "build",
    "build_by",
    "check",
    "comparison_target",
    "current_deck",
    "cut",
    "figures",
    "load_inputs",
    "one_segment",
    "read_built_deck",
    "revisions_said",
    "segment_deck",
    "segment_view",
    "snapshot",
    "tables",
    "update",
    "update_paths",
    "workbook",
    "workbook_target",
    "write_comparison",
    "write_workbook",
]
