"""The installed version of a library, as ``importlib.metadata.version`` gives it, read from the
headers of its metadata file: ``version`` parses the whole file as an e-mail message, about a
millisecond a library, and a build asks for some twenty (its fingerprint, the figure cache's key,
the kept charts' key) — most of them on the way from its data to its files. And slidegen's own
code as one hash (:func:`code_version`), for what a build keeps between builds."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import distribution
from pathlib import Path


@cache
def version(name: str) -> str:
    """The version of the installed distribution ``name`` (a ``PackageNotFoundError`` where none is)."""
    dist = distribution(name)
    for line in (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").splitlines():
        if not line:  # the headers end at the first blank line
            break
        if line.startswith("Version:"):
            return line.partition(":")[2].strip()
    return dist.version


@cache
def code_version() -> str:
    """slidegen's own code as one hash: each of its modules' path and bytes (once per process)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
