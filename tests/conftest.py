"""Shared fixtures: the project's R6 inputs, and helpers that write altered copies of them."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# The suite starts many Python processes — pytest-xdist's workers, slidegen as a user runs it, its
# drawing workers, the build of the sample table: each compiles the modules it imports unless their
# bytecode is kept (``__pycache__``, git-ignored), which a machine or CI that sets
# PYTHONDONTWRITEBYTECODE forbids. The tests keep it, before slidegen is imported.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

from slidegen import pipeline  # noqa: E402
from slidegen.build.cache import CACHE_VARIABLE  # noqa: E402
from slidegen.build.parallel import JOBS_VARIABLE  # noqa: E402
from slidegen.inputs.project import open_year  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

#: LibreOffice's user profile for this test process: two processes (pytest-xdist's workers) that
#: share one profile would hand their documents to each other's office, or wait on its lock
LO_PROFILE = Path(tempfile.gettempdir()) / f"slidegen-tests-lo-{os.getpid()}"
#: the pipe this test process's office listens on (:func:`lo_edit`)
LO_PIPE = f"slidegen-tests-{os.getpid()}"
#: LibreOffice Impress and its Python bridge (Debian's libreoffice-impress and python3-uno), which
#: :func:`lo_edit` drives from the system's Python
LIBREOFFICE = pytest.mark.skipif(
    shutil.which("soffice") is None
    or not Path("/usr/bin/python3").exists()
    or subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode != 0,
    reason="needs LibreOffice Impress and its Python bridge (libreoffice-impress, python3-uno)",
)
_office: list[subprocess.Popen] = []


def _office_running() -> None:
    """This test process's LibreOffice, started on first use and kept for the session: starting an
    office costs a second or two, each of the suite's edits and conversions would pay it."""
    if _office and _office[0].poll() is None:
        return
    _office[:] = [subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{LO_PROFILE}", "--headless", "--invisible", "--nologo",
         "--norestore", f"--accept=pipe,name={LO_PIPE};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )]


@pytest.fixture(scope="session", autouse=True)
def _office_ended():
    """The session's office (if one was started) ended when the session ends."""
    yield
    if _office and _office[0].poll() is None:
        subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "lo_edit.py"), "--quit"],
                       env={**os.environ, "LO_PIPE": LO_PIPE}, capture_output=True, timeout=60)
        try:
            _office[0].wait(timeout=30)
        except subprocess.TimeoutExpired:
            _office[0].kill()


def lo_edit(source: Path, target: Path, *edits: str) -> Path:
    """``source`` edited in LibreOffice Impress itself (tests/lo_edit.py: ``move:K:M``,
    ``duplicate:K``, ``bold:K:TEXT``, ``type:K:OLD:NEW``) and saved as ``target`` (.pptx or .pdf);
    with no edit, re-saved or converted as ``soffice --convert-to`` does."""
    _office_running()
    subprocess.run(
        ["/usr/bin/python3", str(ROOT / "tests" / "lo_edit.py"), str(source), str(target), *edits],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "LO_PIPE": LO_PIPE},
    )
    return target


@pytest.fixture(scope="session")
def r6():
    """The shipped R6 year."""
    return open_year(ROOT, "R6")


@pytest.fixture(scope="session")
def r6_inputs(r6):
    return pipeline.load_inputs(r6)


@pytest.fixture(scope="session")
def r6_tables(r6_inputs):
    return pipeline.tables(r6_inputs)


@pytest.fixture(scope="session")
def theme():
    """The theme of slidegen's own template: the colours and fonts the deck is drawn in."""
    from slidegen.inputs.template import read_theme

    return read_theme(ROOT / "layouts" / "slidegen.pptx")


def read_rows(path: Path) -> list[list[str]]:
    """The shipped response table as a list of rows (header first)."""
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.fixture
def responses_copy(r6, tmp_path):
    """Edit a copy of the R6 response table: ``edit(fn)`` calls ``fn(rows)`` and returns the copy's path."""

    def edit(fn=None, name="responses.csv", encoding="utf-8-sig") -> Path:
        rows = read_rows(r6.responses)
        if fn is not None:
            fn(rows)
        return write_rows(tmp_path / name, rows, encoding)

    return edit


@pytest.fixture(scope="session", autouse=True)
def shared_figure_cache(tmp_path_factory):
    """One figure cache for every build the tests make (``SLIDEGEN_CACHE``), shared by the workers
    of a parallel run: a figure is kept under the hash of all it draws, so a build that reuses one
    drawn by another test gets the very bytes it would draw. A test about the cache itself builds
    with a cache of its own (:func:`own_cache`). In a parallel run, each build also runs in one
    process (``SLIDEGEN_JOBS=1``): the run's workers already share the cores."""
    root = tmp_path_factory.getbasetemp()
    knobs = {CACHE_VARIABLE: str(root / "figure-cache")}
    if os.environ.get("PYTEST_XDIST_WORKER"):
        knobs[CACHE_VARIABLE] = str(root.parent / "figure-cache")  # the run's folder, above each worker's
        knobs[JOBS_VARIABLE] = "1"
    before = {k: os.environ.get(k) for k in knobs}
    os.environ.update(knobs)
    yield Path(knobs[CACHE_VARIABLE])
    for k, v in before.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def figure_cache(shared_figure_cache):
    """The suite's figure cache, for tests that draw a deck's figures themselves (pipeline.figures)."""
    from slidegen.build.cache import FigureCache

    return FigureCache(shared_figure_cache)


@pytest.fixture
def own_cache(monkeypatch):
    """Builds in this test keep their figures beside their output folder, as without ``SLIDEGEN_CACHE``."""
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)


def without_shared_cache() -> dict[str, str]:
    """The environment for a slidegen process as a user runs it: its cache beside its output (cold
    in a new folder), and a worker process per core."""
    return {k: v for k, v in os.environ.items() if k not in (CACHE_VARIABLE, JOBS_VARIABLE)}


@pytest.fixture(scope="session")
def r6_build(r6, tmp_path_factory):
    """The R6 deck built once, with its PDF: (BuildResult, progress messages)."""
    out = tmp_path_factory.mktemp("deck") / "R6"
    messages: list[str] = []
    result = pipeline.build(r6, out=out, pdf=True, progress=messages.append)
    return result, messages


@pytest.fixture(scope="session")
def r6_lo_render(r6_build, tmp_path_factory):
    """The session's R6 deck rendered by LibreOffice in the machine's fonts (BIZ UDPゴシック where
    present), once for every test that reads it, by the test process's own office (:func:`lo_edit`):
    the PDF."""
    result, _ = r6_build
    return lo_edit(result.out / "R6_deck.pptx", tmp_path_factory.mktemp("libreoffice") / "R6_deck.pdf")


def charts_of(prs) -> dict[str, object]:
    """Every chart in a deck by its shape name, groups opened."""
    found = {}

    def walk(shapes):
        for shape in shapes:
            if shape.shape_type == 6:  # a group
                walk(shape.shapes)
            elif shape.has_chart:
                found[shape.name] = shape

    for slide in prs.slides:
        walk(slide.shapes)
    return found


FLIPPED = 70  # bodies moved from 連携あり to 連携なし: figure 1 from 69.5 % to 64.5 %


def corrected_year(r6, folder: Path):
    """A copy of the project whose corrections log moves the first FLIPPED linked bodies to
    連携なし — Q1 2, every question asked of linked bodies blanked, a reason for not linking
    (Q13_01) — one line per cell, as the secretariat's log records a correction."""
    project = folder / "project"
    shutil.copytree(ROOT / "data", project / "data")
    shutil.copytree(ROOT / "layouts", project / "layouts")
    inputs = pipeline.load_inputs(r6)
    linked = [q.id for q in inputs.codebook.questions.values() if q.base == "linked"]
    rows = read_rows(r6.responses)
    header = rows[0]
    q1 = header.index("Q1")
    lines = [["団体コード", "設問", "旧値", "新値", "理由", "日付"]]
    for row in [r for r in rows[1:] if r[q1] == "1"][:FLIPPED]:
        for i, column in enumerate(header):
            new = row[i]
            if column == "Q1":
                new = "2"
            elif any(column == q or column.startswith(f"{q}_") for q in linked):
                new = ""
            elif column.startswith("Q13_"):
                new = "1" if column == "Q13_01" else "0"
            if new != row[i]:
                lines.append([row[0], column, row[i], new, "回答の訂正（連携なし）", "2025-02-03"])
    write_rows(project / "data" / "R6" / "corrections.csv", lines)
    return open_year(project, "R6")


def deck_and_correction(r6, r6_build, folder: Path) -> tuple[Path, object]:
    """A copy of the session's R6 deck in ``folder``, and a project there whose corrections move
    figure 1 to 64.5 % (:func:`corrected_year`): what the tests of an edited deck start from."""
    deck = folder / "R6_deck.pptx"
    shutil.copy(r6_build[0].out / "R6_deck.pptx", deck)
    return deck, corrected_year(r6, folder)
