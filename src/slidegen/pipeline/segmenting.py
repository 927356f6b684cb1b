"""A survey year cut by segment (issue 22): one set of aggregates per segment of an axis of
``data/segments.yaml`` — each segment's bodies of the master list and their answers — every figure
protected from small cells (:func:`~slidegen.aggregate.protect`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..aggregate import Protected, Tables, aggregate, protect
from ..inputs.segments import SmallCells, load_segments
from .loading import Inputs


@dataclass(frozen=True)
class Segment:
    """One segment's aggregates (its bodies, its answers) and each figure as it may be shown."""

    value: str
    tables: Tables
    figures: dict[int, Protected]

    def to_dict(self) -> dict[str, Any]:
        d = self.tables.to_dict()
        d["figures"] = [self.figures[f.number].to_dict() for f in self.tables.figures]
        return {"segment": self.value, **d}


@dataclass(frozen=True)
class Cut:
    """A survey year cut along one axis: its segments in the axis's order."""

    year: str
    axis: str
    small_cells: SmallCells
    segments: tuple[Segment, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "axis": self.axis,
            "small_cells": dataclasses.asdict(self.small_cells),
            "segments": [s.to_dict() for s in self.segments],
        }


def cut(inputs: Inputs, axis_name: str) -> Cut:
    """The year's aggregates per segment of the axis ``axis_name``, small cells withheld."""
    segments = load_segments(inputs.year.segments, inputs.master)
    axis = segments.axis(axis_name)
    specs = {spec.number: spec for spec in inputs.codebook.figures}
    frame = inputs.responses.frame
    out = []
    for value in axis.values:
        codes = axis.codes(value)
        master = {code: body for code, body in inputs.master.items() if code in codes}
        responses = dataclasses.replace(inputs.responses, frame=frame[frame.index.isin(codes)])
        tables = aggregate(inputs.codebook, responses, master, empty_ok=True)
        shown: dict[int, Protected] = {}
        for table in tables.figures:
            gap = specs[table.number].gap
            shown[table.number] = protect(table, segments.small_cells, shown[gap.figure] if gap else None)
        out.append(Segment(value, tables, shown))
    return Cut(inputs.year.name, axis.name, segments.small_cells, tuple(out))
