"""Checking the aggregates against the published values (``data/<year>/published.yaml``).

Each published figure's n and values, and the survey's responses and rates, are compared with
what the data gives. A value that differs by more than the tolerance (in percentage points) is a
failure; a smaller difference is shown, not hidden.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..aggregate import SINGLE, FigureTable, Tables, percent
from ..errors import VerifyError
from ..inputs.reading import NotYaml, load_yaml


@dataclass(frozen=True)
class Check:
    """One compared figure (or the survey): its lines, and whether it passes."""

    name: str
    lines: tuple[str, ...]
    ok: bool


def verify(tables: Tables, published: Path, tolerance: float = 0.1) -> list[Check]:
    data = read_published(published)
    if data is None:
        raise VerifyError(f"{published}: no published values to verify against.")
    checks = []
    survey = data.get("survey", {})
    o = tables.survey
    lines, ok = [], True
    pairs: list[tuple[str, float | None, Any, bool]] = [
        ("有効回答数", o.responses, survey.get("respondents"), False),
        ("有効回答率", o.response_rate, survey.get("response_rate"), True),
    ]
    pairs += [
        (f"有効回答率 {k}", o.response_rate_by_kind.get(k), v, True)
        for k, v in (survey.get("response_rate_by_kind") or {}).items()
    ]
    for label, got, want, is_rate in pairs:
        if want is None:
            continue
        line, good = _compare(label, got, want, tolerance if is_rate else 0)
        lines.append(line)
        ok &= good
    checks.append(Check("調査概要", tuple(lines), ok))
    for spec in data.get("figures", []):
        number = spec["fig"]
        try:
            figure = tables.figure(number)
        except KeyError:
            checks.append(Check(f"図{number}", ("no such figure in the data",), False))
            continue
        lines, ok = [], True
        n = spec.get("n") or next((f.get("n") for f in data["figures"] if f["fig"] == spec.get("derived_from")), None)
        if n is not None:
            line, good = _compare("n", figure.n, n, 0)
            lines.append(line)
            ok &= good
        values = {r.label: r.value for r in figure.series[0].rows}
        for label, want in (spec.get("values") or {}).items():
            if label not in values:
                lines.append(f"{label}: not in the data (published {want})")
                ok = False
                continue
            line, good = _compare(label, values[label], want, tolerance)
            lines.append(line)
            ok &= good
        checks.append(Check(f"図{number}", tuple(lines), ok))
    return checks


def read_published(published: Path) -> Any:
    """What the published deck states (the year's ``published.yaml``) as read, or None where the
    year has none — read with the other inputs, and kept with them between builds."""
    if not published.exists():
        return None
    try:
        return load_yaml(published.read_text(encoding="utf-8"))
    except NotYaml as e:
        raise VerifyError(f"{published}: not valid YAML: {e}") from None


def departures(tables: Tables, data: Any) -> Tables:
    """``tables`` with each figure's departures from the published deck (``data``: what
    :func:`read_published` read; None where the year has none) said in Japanese: every value the
    figure shows other than the published one, with why — where no whole counts of the figure's n
    give all its published shares (figure 2 of R6: they add up to 100.1), that; else that the deck
    shows the current data. The figure prints them under itself, in its alt text and in its
    集計表 sheet (issue 23)."""
    if data is None:
        return tables
    said: dict[int, tuple[str, ...]] = {}
    for spec in data.get("figures", []) if isinstance(data, dict) else []:
        values = spec.get("values") or {}
        try:
            figure = tables.figure(spec["fig"])
        except KeyError:
            continue
        shown = {r.label: r.value for r in figure.series[0].rows}
        differ = [
            (label, float(want))
            for label, want in values.items()
            if label in shown and round(shown[label] - float(want), 1) != 0
        ]
        if differ:
            said[figure.number] = (_departure(figure, differ, [float(v) for v in values.values()]),)
    if not said:
        return tables
    figures = tuple(dataclasses.replace(f, departures=said.get(f.number, ())) for f in tables.figures)
    return dataclasses.replace(tables, figures=figures)


def _departure(figure: FigureTable, differ: list[tuple[str, float]], published: list[float]) -> str:
    """What a figure says of the values it shows other than the published deck's (``differ``:
    label, published value), one line: why, where the published values cannot all hold (no whole
    counts of its n give them), else that the deck shows the current data."""
    label, want = differ[0]
    complete = figure.answer == SINGLE and len(published) == len(figure.series[0].rows)
    if len(differ) == 1 and complete and not _whole_counts_give(figure.n, published):
        k = len(published)
        return (
            f"※{label}は公表値{want:.1f}％（公表値{k}つの合計が{round(sum(published), 1):.1f}％で、n={figure.n:,}では"
            f"{k}つすべてを再現する回答数がないため、回答数からの比率を示した）"
        )
    more = f"ほか{len(differ) - 1}項目" if len(differ) > 1 else ""
    return f"※公表値と異なる比率（{label}：公表値{want:.1f}％{more}）は、訂正を含む現在のデータから算出した"


def _whole_counts_give(n: int, shares: list[float]) -> bool:
    """Whether some whole counts, one per share, summing to ``n`` give every one of ``shares``
    rounded half up to one decimal (as the deck rounds)."""
    sums = {0}
    for want in shares:
        # the counts that round to it lie within 0.05 points of it (a little more, for floats' sake)
        low, high = max(0, math.floor((want - 0.06) * n / 100)), min(n, math.ceil((want + 0.06) * n / 100))
        counts = [c for c in range(low, high + 1) if percent(c, n) == round(want, 1)]
        sums = {s + c for s in sums for c in counts if s + c <= n}
    return n in sums


def _compare(label: str, got: Any, want: Any, tolerance: float) -> tuple[str, bool]:
    diff = round(got - want, 1) if isinstance(got, float) or isinstance(want, float) else got - want
    if diff == 0:
        return f"{label} {_fmt(got)}", True
    ok = abs(diff) <= tolerance + 1e-9
    return f"{label} {_fmt(got)} (published {_fmt(want)}, {diff:+.1f}){'' if ok else '  ← beyond the tolerance'}", ok


def _fmt(v: float) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:.1f}"
