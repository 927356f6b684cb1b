"""The segments a survey can be cut by (``data/segments.yaml``): axes over the master list.

An :class:`Axis` (団体区分, 都道府県, 財務局 …) sorts every body of the master list into one
segment by one of its columns — as it stands, or through a map from the column's values to the
segments'. The file also holds the small-cell thresholds (:class:`SmallCells`) every cut by segment
is protected with. All of it is data: a new axis is a change to the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SegmentsError
from .master import Body
from .reading import NotYaml, load_yaml

#: the master list's columns an axis may read
COLUMNS = ("kind", "prefecture")


@dataclass(frozen=True)
class SmallCells:
    """What is not shown of a segment: a share resting on ``hidden_at_most`` bodies or fewer; and
    the base under which a figure is marked 参考値."""

    hidden_at_most: int = 2
    reference_below: int = 30


@dataclass(frozen=True)
class Axis:
    """One way to cut the master list: its segments in order, and each body's segment."""

    name: str
    values: tuple[str, ...]
    of: dict[str, str]  # 団体コード → segment

    def codes(self, value: str) -> frozenset[str]:
        """The 団体コード of every body in segment ``value``."""
        return frozenset(code for code, v in self.of.items() if v == value)


@dataclass(frozen=True)
class Segments:
    """Every axis of ``data/segments.yaml``, by name, and the small-cell thresholds."""

    path: Path
    axes: dict[str, Axis]
    small_cells: SmallCells

    def axis(self, name: str) -> Axis:
        if name not in self.axes:
            raise SegmentsError(f"{self.path}: no axis {name!r}; the axes are {', '.join(self.axes)}.")
        return self.axes[name]


def load_segments(path: Path, master: dict[str, Body]) -> Segments:
    """The axes and thresholds at ``path``, each axis checked against the master list: every body
    falls in exactly one segment."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SegmentsError(
            f"{path}: the segments file is missing; it names the axes a survey can be cut by."
        ) from None
    except NotYaml as e:
        raise SegmentsError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("axes"), dict):
        raise SegmentsError(f"{path}: expected 'axes:' with one entry per axis.")
    unknown = set(data) - {"axes", "small_cells"}
    if unknown:
        raise SegmentsError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; allowed: axes, small_cells.")
    axes = {str(name): _axis(path, str(name), spec, master) for name, spec in data["axes"].items()}
    return Segments(path, axes, _small_cells(path, data.get("small_cells") or {}))


def _axis(path: Path, name: str, spec: Any, master: dict[str, Body]) -> Axis:
    where = f"{path}: axis {name}"
    if not isinstance(spec, dict) or spec.get("column") not in COLUMNS:
        raise SegmentsError(f"{where}: expected 'column:' one of {', '.join(COLUMNS)}.")
    unknown = set(spec) - {"column", "order", "map"}
    if unknown:
        raise SegmentsError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; allowed: column, order, map.")
    column = spec["column"]
    seen = list(dict.fromkeys(getattr(b, column) for b in master.values()))  # the master list's order
    mapping: dict[str, str] = {}
    if "map" in spec:
        if not isinstance(spec["map"], dict):
            raise SegmentsError(f"{where}: 'map' must give each segment the {column} values it holds.")
        for segment, members in spec["map"].items():
            for member in members if isinstance(members, list) else [members]:
                if str(member) in mapping:
                    raise SegmentsError(f"{where}: {member} is in both {mapping[str(member)]} and {segment}.")
                mapping[str(member)] = str(segment)
        missing = [v for v in seen if v not in mapping]
        if missing:
            raise SegmentsError(f"{where}: no segment for {', '.join(missing)} (the master list's {column}).")
        stray = [m for m in mapping if m not in seen]
        if stray:
            raise SegmentsError(f"{where}: {', '.join(stray)} is not a {column} of the master list.")
        values = tuple(dict.fromkeys(str(s) for s in spec["map"]))
    else:
        mapping = {v: v for v in seen}
        values = tuple(seen)
    if "order" in spec:
        order = [str(v) for v in spec["order"]]
        if sorted(order) != sorted(values):
            raise SegmentsError(f"{where}: 'order' must list each segment once: {', '.join(values)}.")
        values = tuple(order)
    return Axis(name, values, {code: mapping[getattr(b, column)] for code, b in master.items()})


def _small_cells(path: Path, spec: Any) -> SmallCells:
    if not isinstance(spec, dict) or set(spec) - {"hidden_at_most", "reference_below"}:
        raise SegmentsError(f"{path}: small_cells: expected hidden_at_most and reference_below.")
    values = {k: spec[k] for k in ("hidden_at_most", "reference_below") if k in spec}
    for k, v in values.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise SegmentsError(f"{path}: small_cells: {k} must be a whole number of bodies, not {v!r}.")
    return SmallCells(**values)
