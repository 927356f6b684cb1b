"""The output folder of a build: what it may replace, and how it is replaced.

:func:`check_output_folder` refuses a folder slidegen may not replace: one that holds files
slidegen did not write, or the project's data, template or input files. :func:`staged_dir`
builds an output folder beside it and swaps it in only when everything succeeded. Staging
folders carry the process id of the build that made them, so those of a killed build are
recognised and removed by the next one (:func:`remove_stale`).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import ProjectError, os_refusal
from ..writers.outputs import current_umask
from ..writers.tables_xlsx import made_by_slidegen
from .manifest import MANIFEST, Manifest


def made_files(folder: Path) -> set[str] | None:
    """The files a slidegen build wrote into ``folder`` (relative names, from its manifest), or
    None when ``folder`` holds no slidegen manifest."""
    manifest = Manifest.read(folder / MANIFEST)
    if manifest is None:
        return None
    return set(manifest.files) | {MANIFEST, "changes.txt"}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output_file(target: Path, option: str, inputs: list[Path]) -> None:
    """Refuse to write a file inside a folder slidegen reads its inputs from (``inputs``: the
    project's data/ and layouts/): a workbook left among the inputs would be read as one — a
    resubmitted sheet — by the next build."""
    where = target.resolve()
    for folder in inputs:
        if _inside(where, folder.resolve()):
            raise ProjectError(
                f"{option} {target}: this is inside {folder}, where slidegen reads its inputs; a file written there "
                "would be read as one by the next build. Write it elsewhere, such as output/."
            )


def check_output_folder(out: Path, protected: list[Path]) -> None:
    """Refuse an output folder slidegen may not replace.

    ``out`` may be a new or empty folder, or one an earlier build made and nobody has added to
    since (but slidegen: a 集計表 workbook ``tables --xlsx`` wrote there counts as its own; the
    :data:`KEPT` subfolders are carried over as they are). It may not be, or hold, any of
    ``protected`` (the project's data, the template, the input files), and it may not hold a file
    the manifest does not list: replacing the folder would delete it.
    """
    target = out.resolve()
    inside = [path for path in protected if path.exists() and _inside(path.resolve(), target)]
    if inside:
        path = next((p for p in inside if p.is_file()), inside[0])  # name a file where one is at stake
        verb = "is" if path.resolve() == target else "holds"
        raise ProjectError(
            f"--out {out}: this folder {verb} {path}, an input of the build; a build replaces its output folder whole, "
            "so it would be lost. Choose a new folder, such as output/R6."
        )
    if target.exists() and not target.is_dir():
        raise ProjectError(f"--out {out}: this is a file, not a folder; choose a new folder for the build.")
    if not target.is_dir():
        return
    present = sorted(
        p.relative_to(target).as_posix()
        for p in target.rglob("*")
        if not p.is_dir() and p.relative_to(target).parts[0] not in KEPT
    )
    if not present:
        return
    made = made_files(target)
    # a 集計表 workbook that `slidegen tables --xlsx` wrote here is slidegen's too: a build replaces it
    present = [name for name in present if not (name.endswith(".xlsx") and made_by_slidegen(target / name))]
    if not present:
        return
    if made is None:
        shown = ", ".join(present[:5]) + (f" and {len(present) - 5} more" if len(present) > 5 else "")
        raise ProjectError(
            f"--out {out}: this folder holds files slidegen did not make ({shown}); a build replaces its output folder "
            "whole, so they would be lost. Choose a new or empty folder, or the folder of an earlier build."
        )
    foreign = [name for name in present if name not in made]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ProjectError(
            f"{out}: files were added to this build's folder since slidegen made it ({shown}); a build replaces the "
            "folder whole, so they would be lost. Move them elsewhere, or build into another folder with --out."
        )


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
    removed: list[Path] = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    for path in sorted(parent.iterdir()):
        match = _STAGED.match(path.name)
        if not (match and match["name"] == target.name and path.is_dir()) or _alive(int(match["pid"])):
            continue
        kept = path / target.name
        if match["kind"] == "old" and kept.is_dir():
            if not target.exists():
                os.replace(kept, target)
            else:  # killed after the swap, before the kept subfolders were carried over
                _carry_over(kept, target)
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
        staging.chmod(0o777 & ~current_umask())  # mkdtemp makes it private; the output is for everyone
    except OSError as e:
        raise ProjectError(f"cannot write here: {os_refusal(e, target.parent)}.") from None
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
        _carry_over(old / target.name, target)
        shutil.rmtree(old, ignore_errors=True)


#: the subfolders of a build's output folder that other runs made and a rebuild keeps as they are:
#: the decks and 比較表 of ``build --by`` (``segments/AXIS/VALUE/``), each replaced by its own run
KEPT = ("segments",)


def _carry_over(previous: Path, target: Path) -> None:
    """Move the :data:`KEPT` subfolders of the replaced output folder into the new one."""
    for name in KEPT:
        if (previous / name).is_dir() and not (target / name).exists():
            os.replace(previous / name, target / name)
