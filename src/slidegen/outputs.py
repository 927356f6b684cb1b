"""Writing output files safely and reproducibly.

:func:`write_atomic` writes beside the target and renames, so a failed run never leaves a
half-written file and the previous one stays intact. :func:`stable_ooxml` makes an Office
file (.xlsx, .pptx: a zip of XML parts) byte-identical across runs by fixing the zip entry
times and the created/modified dates that Office libraries stamp with the current time.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ProjectError

#: the time written into every zip entry and document property
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2000-01-01T00:00:00Z"
_MEDIA = (".png", ".jpg", ".jpeg", ".gif")
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: to a temporary file beside it, then rename."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ProjectError(f"{path}: cannot write here ({e.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stable_ooxml(data: bytes) -> bytes:
    """The same Office document with fixed entry times and document dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(rb"\g<1>" + FIXED_W3CDTF.encode() + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            # images are compressed already: store them, deflate the XML
            entry.compress_type = zipfile.ZIP_STORED if info.filename.endswith(_MEDIA) else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A fresh folder to build ``target`` in; it replaces ``target`` only if the block succeeds.

    On any error the staging folder is removed and ``target`` is left as it was.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; the output is for everyone
    except OSError as e:
        raise ProjectError(f"{target.parent}: cannot write here ({e.strerror}).") from None
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
