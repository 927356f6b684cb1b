"""What changed between two builds: values, n, sentences, and the slides they touch.

A :class:`~slidegen.build.manifest.Snapshot` is what a build showed: the tables (every value and
n) and the text of each slide by role. Builds keep theirs in ``manifest.json``;
:func:`slidegen.pipeline.snapshot` makes one from a response table without drawing anything. :func:`compare` lists the differences as a reader would say
them — 「図1 連携済みまたは連携予定あり 69.5 → 68.9」, a sentence before and after, the slides
affected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..build.manifest import Manifest, Snapshot
from ..errors import DiffError


def values(snapshot: Snapshot) -> dict[str, tuple[int, float]]:
    """Every value shown, keyed 「図N [series ]label」, with the figure it belongs to."""
    out: dict[str, tuple[int, float]] = {}
    for f in snapshot.tables["figures"]:
        several = len(f["series"]) > 1
        for s in f["series"]:
            for row in s["rows"]:
                key = f"図{f['number']} {s['name'] + ' ' if several else ''}{row['label']}"
                out[key] = (f["number"], row["value"])
        out[f"図{f['number']} n"] = (f["number"], f["n"])
    survey = snapshot.tables["survey"]
    out["有効回答数"] = (0, survey["responses"])
    out["有効回答率"] = (0, survey["response_rate"])
    return out


def compare(old: Snapshot, new: Snapshot) -> list[str]:
    """Readable lines for every difference between two snapshots; empty when nothing changed."""
    lines: list[str] = []
    a, b = values(old), values(new)
    changed_figures: set[int] = set()
    for key in [*a, *(k for k in b if k not in a)]:
        before, after = a.get(key, (None, None))[1], b.get(key, (None, None))[1]
        if before != after:
            lines.append(f"{key} {_shown(before)} → {_shown(after)}")
            changed_figures.add(a[key][0] if key in a else b[key][0])
    slides_old = {s.number: s.texts for s in old.slides}
    affected: set[int] = set()
    for s in new.slides:
        previous = slides_old.get(s.number, {})
        for role, text in s.texts.items():
            was = previous.get(role)
            if was is not None and was != text:
                lines.append(f"スライド{s.number} {role}:\n  旧「{was}」\n  新「{text}」")
                affected.add(s.number)
        if set(s.figures) & changed_figures:
            affected.add(s.number)
    if affected:
        lines.append("影響のあるスライド: " + ", ".join(str(n) for n in sorted(affected)))
    old_fixes, new_fixes = old.corrections, new.corrections
    if old_fixes is not None and new_fixes is not None and old_fixes != new_fixes:
        lines.insert(0, f"訂正 {old_fixes}件 → {new_fixes}件")
    return lines


def _shown(value: Any) -> str:
    if value is None:
        return "（なし）"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.1f}"


def report(lines: list[str], against: str) -> str:
    """The change report written beside the deck."""
    head = f"前回のビルド（{against}）との違い"
    if not lines:
        return f"{head}: なし\n"
    return head + ":\n" + "\n".join(lines) + "\n"


def load_manifest(path: Path) -> Manifest:
    """The manifest at ``path``, or a :class:`DiffError` saying why it cannot be read."""
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DiffError(f"{path}: no such file.") from None
    except (ValueError, UnicodeDecodeError, KeyError, TypeError) as e:
        raise DiffError(f"{path}: not a slidegen manifest ({e}).") from None
