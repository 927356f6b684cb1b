"""The installed version of a library, as ``importlib.metadata.version`` gives it, read from the
headers of its metadata file: ``version`` parses the whole file as an e-mail message, about a
millisecond a library, and a build asks for some twenty (its fingerprint, the figure cache's key,
the kept charts' key) — most of them on the way from its data to its files. The file is found as
``importlib.metadata`` finds it — the first folder on ``sys.path`` with a ``NAME-VERSION.dist-info``
of that name — without importing it (and the e-mail package it brings: 13 ms, before a build's
processes part, that every one of them would wait for); a distribution found otherwise (an
``.egg-info``, an archive on the path, none) is left to ``importlib.metadata``. And slidegen's own
code as one hash (:func:`code_version`), for what a build keeps between builds."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path


@cache
def version(name: str) -> str:
    """The version of the installed distribution ``name`` (``importlib.metadata``'s
    ``PackageNotFoundError`` where none is)."""
    text = _metadata(name)
    found = _header_version(text) if text is not None else None
    if found is not None:
        return found
    from importlib.metadata import distribution

    dist = distribution(name)
    return _header_version(dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "") or dist.version


def _header_version(text: str) -> str | None:
    """The ``Version:`` of a metadata file's headers, if they give one."""
    for line in text.splitlines():
        if not line:  # the headers end at the first blank line
            break
        if line.startswith("Version:"):
            return line.partition(":")[2].strip()
    return None


def _normal(name: str) -> str:
    """A distribution's name as ``importlib.metadata`` compares names (PEP 503, underscores)."""
    return re.sub(r"[-_.]+", "_", name).lower()


@cache
def _folder(entry: str) -> dict[str, str] | None:
    """The distributions a folder on ``sys.path`` holds — normalised name: its ``.dist-info`` —
    or None where it is not a folder slidegen reads this way, or holds an ``.egg-info`` (left to
    ``importlib.metadata``)."""
    try:
        names = os.listdir(entry or ".")
    except OSError:
        return {} if not os.path.exists(entry or ".") else None
    found: dict[str, str] = {}
    for item in names:
        if item.endswith(".egg-info") or item.endswith(".egg"):
            return None
        if item.endswith(".dist-info"):
            found.setdefault(_normal(item[: -len(".dist-info")].partition("-")[0]), item)
    return found


def _metadata(name: str) -> str | None:
    """The text of ``name``'s ``METADATA``, from the first folder on ``sys.path`` that has its
    ``.dist-info``; None where the path holds something else first (``importlib.metadata`` reads it)."""
    want = _normal(name)
    for entry in sys.path:
        folder = _folder(entry)
        if folder is None:
            return None
        if want in folder:
            try:
                return Path(entry or ".", folder[want], "METADATA").read_text(encoding="utf-8")
            except OSError:
                return None
    return None


@cache
def code_version() -> str:
    """slidegen's own code as one hash: each of its modules' path and bytes (once per process)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
