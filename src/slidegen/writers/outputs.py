"""Writing output files safely and reproducibly.

:func:`write_atomic` writes beside the target and renames, so a failed run never leaves a
half-written file and the previous one stays intact; the file gets the usual permissions.
:func:`stable_ooxml` makes an Office file (.xlsx, .pptx: a zip of XML parts) byte-identical
across runs by writing one date — the document date of
:func:`slidegen.inputs.codebook.document_time` — into the zip entry times and the
created/modified dates that Office libraries stamp with the current time.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ProjectError, os_refusal

_MEDIA = (".png", ".jpg", ".jpeg", ".gif")
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def current_umask() -> int:
    """This process's umask (read, and set back as it was)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def file_mode() -> int:
    """The permissions of a new file under this process's umask (0644 under the usual 022)."""
    return 0o666 & ~current_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once: to a temporary file beside it, then rename.

    The file gets the usual permissions (``mkstemp`` alone would leave it readable by its owner only).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ProjectError(f"cannot write here: {os_refusal(e, path)}.") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Stable(bytes):
    """An Office document dated ``when`` (its document dates), the same bytes each time it is made
    for ``when`` — as :func:`stable_ooxml` makes one, or as it was written (a chart's workbook,
    :func:`~slidegen.figures.pptx_chart.dated_workbooks`) — which :func:`stable_ooxml` gives back
    as it is: a chart's workbook, made so in the process that made the chart or kept so between
    builds (:mod:`.native_parts`), is not unzipped and zipped again with the deck."""

    when: datetime

    def __new__(cls, data: bytes, when: datetime) -> Stable:
        made = super().__new__(cls, data)
        made.when = when
        return made

    def __reduce__(self) -> tuple[type[Stable], tuple[bytes, datetime]]:
        return Stable, (bytes(self), self.when)


def stable_ooxml(data: bytes, when: datetime, core_dates: bool = True) -> bytes:
    """The same Office document with every entry time and document date set to ``when``, and the
    same done to the Office files embedded in it (the workbook behind each native chart);
    ``core_dates`` False keeps the document's own created and modified dates. With them set, the
    document given back is :class:`Stable`; one that already is, for ``when``, is given back."""
    if core_dates and isinstance(data, Stable) and data.when == when:
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        made = stable_zip(((info.filename, src.read(info.filename)) for info in src.infolist()), when, core_dates)
    return Stable(made, when) if core_dates else made


def stable_zip(entries: Iterable[tuple[str, bytes]], when: datetime, core_dates: bool = True) -> bytes:
    """An Office document of ``entries`` (name, content), in their order, made as
    :func:`stable_ooxml` makes one — for a writer that has the parts in hand (python-pptx's)."""
    stamp = when.astimezone(timezone.utc)
    w3cdtf = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    zip_time = max(stamp.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # the zip format starts in 1980
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in entries:
            body = content
            if name == "docProps/core.xml" and core_dates:
                body = _CORE_DATES.sub(rb"\g<1>" + w3cdtf + rb"\g<2>", body)
            elif name.endswith((".xlsx", ".docx", ".pptx")):  # an embedded workbook: a chart's data
                body = stable_ooxml(body, when)
            entry = zipfile.ZipInfo(name, zip_time)
            # images are compressed already: store them, deflate the XML
            entry.compress_type = zipfile.ZIP_STORED if name.endswith(_MEDIA) else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
