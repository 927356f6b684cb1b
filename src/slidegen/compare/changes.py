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
    """Readable lines for every difference between two snapshots; empty when nothing changed.

    First what happened to bodies (answers corrected, replaced by a resubmitted sheet, added late,
    withdrawn), then every value the deck shows that moved — each line naming its slide — then
    every sentence, before and after, and the slides affected."""
    lines: list[str] = _bodies(old.revisions, new.revisions)
    changed_figures: set[int] = set()
    affected: set[int] = set()
    if old.shown and new.shown:
        for key in [*old.shown, *(k for k in new.shown if k not in old.shown)]:
            before, after = old.shown.get(key, ("（なし）", ())), new.shown.get(key, ("（なし）", ()))
            if before[0] != after[0]:
                slides = sorted(set(before[1]) | set(after[1]))
                where = f"スライド{','.join(str(n) for n in slides)} " if slides else ""
                lines.append(f"{where}{key} {before[0]} → {after[0]}")
                affected.update(slides)
    else:  # a manifest of a slidegen before every shown value was recorded: its tables
        a, b = values(old), values(new)
        for key in [*a, *(k for k in b if k not in a)]:
            value_was, value_now = a.get(key, (None, None))[1], b.get(key, (None, None))[1]
            if value_was != value_now:
                lines.append(f"{key} {_shown(value_was)} → {_shown(value_now)}")
                changed_figures.add(a[key][0] if key in a else b[key][0])
    slides_old = {s.number: s.texts for s in old.slides}
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


#: the most cells listed for one resubmitted body; the rest are counted
CELLS_LISTED = 12


def _bodies(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What happened to bodies since ``old``: a summary line, then each body by name."""
    if not old and not new:
        return []
    names = {**old.get("names", {}), **new.get("names", {})}

    def since(kind: str) -> list[str]:
        before = old.get(kind, {}) if kind == "replaced" else set(old.get(kind, []))
        return [
            c
            for c in new.get(kind, [])
            if c not in before or (kind == "replaced" and old["replaced"][c] != new["replaced"][c])
        ]

    corrected, replaced, added, withdrawn = (since(k) for k in ("corrected", "replaced", "added", "withdrawn"))
    undone = [c for c in old.get("withdrawn", []) if c not in new.get("withdrawn", [])]
    if not (corrected or replaced or added or withdrawn or undone):
        return []
    lines = [
        f"団体: 訂正 {len(corrected)}、差し替え {len(replaced)}、追加 {len(added)}、取り下げ {len(withdrawn)}"
        + (f"、取り下げの取り消し {len(undone)}" if undone else "")
    ]

    def body(code: str) -> str:
        return f"{code} {names.get(code, '')}".rstrip()

    for code in replaced:
        cells = list(new["replaced"][code].items())
        said = "、".join(f"{c} {o or '空欄'} → {n or '空欄'}" for c, (o, n) in cells[:CELLS_LISTED])
        more = f" ほか{len(cells) - CELLS_LISTED}セル" if len(cells) > CELLS_LISTED else ""
        lines.append(f"  差し替え {body(code)}: {said or '変更なし'}{more}")
    lines += [f"  追加（遅れて届いた回答） {body(c)}" for c in added]
    lines += [f"  取り下げ {body(c)}" for c in withdrawn]
    if corrected:
        lines.append("  訂正: " + "、".join(body(c) for c in corrected))
    lines += [f"  取り下げの取り消し {body(c)}" for c in undone]
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
