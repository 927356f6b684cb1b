"""Writing output files safely and reproducibly.

:func:`write_atomic` writes beside the target and renames, so a failed run never leaves a
half-written file and the previous one stays intact. :func:`stable_ooxml` makes an Office
file (.xlsx, .pptx: a zip of XML parts) byte-identical across runs by writing one date — the
document date of :func:`slidegen.inputs.codebook.document_time` — into the zip entry times and the created/modified dates
that Office libraries stamp with the current time.

:func:`staged_dir` builds an output folder beside it and swaps it in only when everything
succeeded; it replaces only a folder slidegen made (see :func:`check_output_folder`). Staging folders
carry the process id of the build that made them, so those of a killed build are recognised and
removed by the next one.
"""

from __future__ import annotations

import io
import os
from datetime import datetime, timezone
import re
import shutil
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import ProjectError

_MEDIA = (".png", ".jpg", ".jpeg", ".gif")
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def file_mode() -> int:
    """The permissions of a new file under this process's umask (0644 under the usual 022)."""
    return 0o666 & ~_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: to a temporary file beside it, then rename.

    The file gets the usual permissions (``mkstemp`` alone would leave it readable by its owner only).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ProjectError(f"{path}: cannot write here ({e.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stable_ooxml(data: bytes, when: datetime) -> bytes:
    """The same Office document with every entry time and document date set to ``when``."""
    stamp = when.astimezone(timezone.utc)
    w3cdtf = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # the zip format starts in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CORE_DATES.sub(rb"\g<1>" + w3cdtf + rb"\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, zip_time)
            # images are compressed already: store them, deflate the XML
            entry.compress_type = zipfile.ZIP_STORED if info.filename.endswith(_MEDIA) else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


MANIFEST = "manifest.json"
#: the marker a build's manifest carries: a folder with it was made by slidegen
GENERATOR = "slidegen"


def made_files(folder: Path) -> set[str] | None:
    """The files a slidegen build wrote into ``folder`` (relative names, from its manifest), or
    None when ``folder`` holds no slidegen manifest."""
    import json

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(manifest, dict) or not {"year", "fingerprint", "files"} <= set(manifest):
        return None
    files = manifest["files"]
    names = set(files) if isinstance(files, (dict, list)) else set()
    return names | {MANIFEST, "changes.txt"}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder slidegen may not replace.

    ``out`` may be a new or empty folder, or one an earlier build made and nobody has added to
    since. It may not be, or hold, any of ``protected`` (the project's data, the template, the
    input files), and it may not hold a file the manifest does not list: replacing the folder
    would delete it.
    """
    target = out.resolve()
    inside = [path for path in protected if path.exists() and _inside(path.resolve(), target)]
    if inside:
        path = next((p for p in inside if p.is_file()), inside[0])  # name a file where one is at stake
        verb = "is" if path.resolve() == target else "holds"
        raise ProjectError(
            f"--out {out}: this folder {verb} {path}, an input of the build; a build replaces its output folder whole, "
            "so it would be lost. Choose a new folder, such as output/R6.")
    if target.exists() and not target.is_dir():
        raise ProjectError(f"--out {out}: this is a file, not a folder; choose a new folder for the build.")
    if not target.is_dir():
        return
    present = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir())
    if not present:
        return
    made = made_files(target)
    if made is None:
        shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
        raise ProjectError(
            f"--out {out}: this folder holds files slidegen did not make ({shown}); a build replaces its output folder "
            "whole, so they would be lost. Choose a new or empty folder, or the folder of an earlier build.")
    foreign = [name for name in present if name not in made]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ProjectError(
            f"{out}: files were added to this build's folder since slidegen made it ({shown}); a build replaces the "
            "folder whole, so they would be lost. Move them elsewhere, or build into another folder with --out.")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


_STAGED = re.compile(r"^\.(?P<name>.+)\.(?P<kind>build|old)-(?P<pid>\d+)-[A-Za-z0-9_]+$")


def remove_stale(target: Path) -> list[Path]:
    """Remove the staging folders an earlier build of ``target`` left when it was killed (their
    process is gone); the folders removed. A build killed between its two renames left the
    previous output in its ``.old-`` folder: that is put back first."""
    removed = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    for path in sorted(parent.iterdir()):
        match = _STAGED.match(path.name)
        if not (match and match["name"] == target.name and path.is_dir()) or _alive(int(match["pid"])):
            continue
        kept = path / target.name
        if match["kind"] == "old" and kept.is_dir() and not target.exists():
            os.replace(kept, target)
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


@contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A fresh folder to build ``target`` in; it replaces ``target`` only if the block succeeds.

    On any error (an interrupt included) the staging folder is removed and ``target`` is left as
    it was. The caller has checked that ``target`` may be replaced (:func:`check_output_folder`).
    """
    target = Path(target)
    pid = os.getpid()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-{pid}-", dir=target.parent))
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; the output is for everyone
    except OSError as e:
        raise ProjectError(f"{target.parent}: cannot write here ({e.strerror}).") from None
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{pid}-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
