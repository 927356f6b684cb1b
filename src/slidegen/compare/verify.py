"""Checking the aggregates against the published values (``data/<year>/published.yaml``).

Each published figure's n and values, and the survey's responses and rates, are compared with
what the data gives. A value that differs by more than the tolerance (in percentage points) is a
failure; a smaller difference is shown, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..aggregate import Tables
from ..errors import VerifyError


@dataclass(frozen=True)
class Check:
    """One compared figure (or the survey): its lines, and whether it passes."""

    name: str
    lines: tuple[str, ...]
    ok: bool


def verify(tables: Tables, published: Path, tolerance: float = 0.1) -> list[Check]:
    try:
        data = yaml.safe_load(published.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VerifyError(f"{published}: no published values to verify against.") from None
    except yaml.YAMLError as e:
        raise VerifyError(f"{published}: not valid YAML: {e}") from None
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


def _compare(label: str, got: Any, want: Any, tolerance: float) -> tuple[str, bool]:
    diff = round(got - want, 1) if isinstance(got, float) or isinstance(want, float) else got - want
    if diff == 0:
        return f"{label} {_fmt(got)}", True
    ok = abs(diff) <= tolerance + 1e-9
    return f"{label} {_fmt(got)} (published {_fmt(want)}, {diff:+.1f}){'' if ok else '  ← beyond the tolerance'}", ok


def _fmt(v: float) -> str:
    return f"{v:,}" if isinstance(v, int) else f"{v:.1f}"
