"""The master list of local public bodies (総務省「全国地方公共団体コード」).

Each :class:`Body` is one prefecture, city, town, village or special ward, keyed by its
six-digit 団体コード. The master list is the denominator of every response rate.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import MasterError

#: the column that names a body in every table slidegen reads (responses, corrections)
CODE = "団体コード"

#: the kinds of local public body (団体区分), in the order the deck reports them (not chart kinds:
#: those are slidegen.figures.kinds.KINDS)
BODY_KINDS = ("都道府県", "市", "町", "村", "特別区")
COLUMNS = ("code", "prefecture", "name", "kind")


@dataclass(frozen=True)
class Body:
    """One local public body of the master list."""

    code: str
    prefecture: str
    name: str
    kind: str


def normalize_code(value: str) -> str:
    """A 団体コード as six digits: Excel drops the leading zero (``10006`` → ``010006``)."""
    value = value.strip()
    if value.endswith(".0") and value[:-2].isdigit():
        value = value[:-2]
    if value.isdigit() and len(value) < 6:
        value = value.zfill(6)
    return value


def load_master(path: Path) -> dict[str, Body]:
    """The bodies of the master list at ``path``, by 団体コード, in file order."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise MasterError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}.")
            bodies: dict[str, Body] = {}
            for line, row in enumerate(reader, start=2):
                code = row["code"]
                if len(code) != 6 or not code.isdigit():
                    raise MasterError(f"{path}: line {line}: code {code!r} is not a six-digit 団体コード.")
                if row["kind"] not in BODY_KINDS:
                    raise MasterError(
                        f"{path}: line {line}: kind {row['kind']!r} is not one of {', '.join(BODY_KINDS)}."
                    )
                if code in bodies:
                    raise MasterError(f"{path}: line {line}: code {code} appears twice.")
                bodies[code] = Body(code, row["prefecture"], row["name"], row["kind"])
    except FileNotFoundError:
        raise MasterError(f"{path}: the master list of local public bodies is missing.") from None
    except UnicodeDecodeError as e:
        raise MasterError(f"{path}: not UTF-8 text ({e.reason}).") from None
    return bodies
