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
