"""The installed version of a library, as ``importlib.metadata.version`` gives it, read from the
headers of its metadata file: ``version`` parses the whole file as an e-mail message, about a
millisecond a library, and a build asks for some twenty (its fingerprint, the figure cache's key,
the kept charts' key) — most of them on the way from its data to its files."""

from __future__ import annotations

from functools import cache
from importlib.metadata import distribution


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
