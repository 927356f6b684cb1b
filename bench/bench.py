"""Benchmark slidegen as a user runs it: whole processes, several runs, medians, peak memory.

    python bench/bench.py [--runs 3]

Works on a temporary copy of the project (data/ and layouts/), so the real output/ is untouched.
Measures, on the machine it runs on:

  floor       a process that imports every module of another package a cold build --pdf imports
              — found by running one with ``python -X importtime`` (its forked processes report
              theirs too), less what a bare interpreter imports — set up as slidegen's own process
              sets itself (``cli.run``: the cyclic collector off, numpy's thread pool one thread)
              and ending as it ends (``os._exit``, no interpreter teardown): the import floor
              (issue 22), the least any build can take,
              run before each timed run of the others too, so that the ratios compare the same
              hour (this machine's speed drifts 15–30 % within one)
  floor, exit the same imports ended as any Python program ends, tearing the interpreter down
              module by module, which a build does not pay: what this script called the floor
              until 2026-12-05 (afternoon), for comparison only
  issue floor the floor as issue 22 named it and this script timed it until 2026-12-05: pandas,
              matplotlib's FreeType and font list, python-pptx, reportlab, openpyxl, pikepdf,
              Pillow — what a build imported then; a build no longer imports matplotlib (its fonts
              are read by slidegen's own reader), so this floor is higher than a build's own,
              and is shown for comparison only
  help        slidegen --help
  cold        slidegen build --year R6 --pdf into an empty output folder (no figure cache)
  pptx        slidegen build --year R6 (the PPTX alone) into an empty output folder
  correction  the same build after one correction (one body's 満足度, figure 4: another answer
              each run, so that no run finds its figure kept by an earlier one)
  unchanged   the same build again with nothing changed
  check       slidegen check --year R6 on the deck built (every number traced to the data)

and with ``--axes`` (minutes more):

  axes-pptx   slidegen build --year R6 --by AXIS for 団体区分, 都道府県 and 財務局 (63 decks), one
              process each into an empty output folder, their times added, their peak the highest
  axes-pdf    the same with --pdf

and prints each one's median, range, its ratio to the import floor (and to the issue's), peak
resident memory and CPU time (the process's and its forked processes' together: a build on two
cores can take no less than half of it), beside the project's targets (issue 22 sets them as ratios to the floor), judged
against the build's own floor.

Every process runs with its compiled bytecode kept, as on a user's machine, where Python writes
it on the first run: an environment that forbids writing it (PYTHONDONTWRITEBYTECODE, set on some
machines and in CI) would have every run compile slidegen's own modules anew, which the floor's
libraries, compiled when pip installed them, never do. The bytecode goes into the benchmark's
temporary folder (PYTHONPYCACHEPREFIX), written by one untimed run of each command first.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "floor": None,
    "floor, exit": None,
    "issue floor": None,
    "help": 0.3,
    "cold": 1.5,
    "pptx": None,
    "correction": 0.8,
    "unchanged": None,
    "check": 2.0,
}
#: issue 22's targets for every segment deck of the three axes (63), in seconds, and their memory
AXES = ("団体区分", "都道府県", "財務局")
AXES_TARGETS = {"axes-pptx": 20.0, "axes-pdf": 60.0}
AXES_MEMORY_MB = 1024
#: issue 22's targets, as ratios to the import floor
RATIO_TARGETS = {"cold": 1.5, "correction": 1.1, "unchanged": 0.8}
MEMORY_TARGET_MB = 400
#: the floor as issue 22 named it, as this script timed it until 2026-12-05 (for comparison)
ISSUE_FLOOR = "import pandas, matplotlib.ft2font, matplotlib.font_manager, pptx, reportlab.pdfgen.canvas, openpyxl, pikepdf, PIL.Image"


def imported(args: list[str]) -> list[str]:
    """The modules the command ``args`` (a Python process: ``[python, ...]``) imports in all its
    processes, in the order their imports end, as ``-X importtime`` reports them."""
    proc = subprocess.run([args[0], "-X", "importtime", *args[1:]], env=ENV, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr[-2000:]}")
    names = [line.rpartition("|")[2].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")]
    return [n for n in dict.fromkeys(names) if n and n != "imported package"]


def floor_modules(build: list[str]) -> list[str]:
    """The modules ``build`` imports of other packages than slidegen and Python's own, beyond what
    a bare interpreter imports (the site's start-up files)."""
    bare = set(imported([sys.executable, "-c", "pass"]))
    return [
        n
        for n in imported(build)
        if n not in bare
        and n.split(".")[0] not in sys.stdlib_module_names
        and n.split(".")[0] != "slidegen"
        and not n.startswith("_sysconfigdata")  # the interpreter's own build settings
    ]


#: how slidegen's own process ends (:func:`slidegen.cli.run`), which the floor ends as too
FAST_EXIT = "import gc, os\ngc.freeze()\nos._exit(0)\n"


def floor_code(modules: list[str]) -> str:
    """A program that imports ``modules``, and nothing else (a module a build tried and failed to
    import — an optional speed-up a library looks for — fails here too, as quickly), in the
    environment slidegen's process sets itself (:func:`slidegen.cli.run`: numpy's thread pool one
    thread, :func:`slidegen.cli.one_blas_thread`; the cyclic collector off, which also makes
    imports quicker: 0.416 → 0.359 s, with Python's default thresholds)."""
    from slidegen.cli import BLAS_THREADS

    return (
        "import gc\ngc.disable()\n"
        f"import importlib, os\nfor name in {BLAS_THREADS!r}:\n    os.environ.setdefault(name, '1')\n"
        f"for name in {modules!r}:\n    try:\n        importlib.import_module(name)\n"
        "    except ImportError:\n        pass\n"
    )


#: the environment every timed process runs in (see the module's docstring); main sets where bytecode goes
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: the floor's program (:func:`floor_code` and :data:`FAST_EXIT`), found once a run has begun
FLOOR = ""


def run(args: list[str], floor: list[tuple[float, float, float]] | None = None) -> tuple[float, float, float]:
    """(seconds, peak MB, CPU seconds) of one whole process — its CPU time with that of the
    processes it forked and waited for. Its messages go to a file, read if it fails: a pipe nobody
    reads while it runs would stop a process that says much (build --by lists every sentence that
    fell back in 47 decks). With ``floor``, a run of the import floor first, added to it."""
    if floor is not None:
        floor.append(run([sys.executable, "-c", FLOOR]))
    with tempfile.TemporaryFile() as said:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=said, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            said.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {said.read().decode(errors='replace')}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


#: the correction of each timed run, by turn: one body's 満足度 (Q4, figure 4) from one answer to
#: another, a different pair each turn, so that every timed correction makes a figure 4 no build
#: before it made (one repeated would find its figure kept from the last time: 0.02 s quicker
#: than a correction is)
CORRECTIONS = ((1, 2), (2, 1), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1), (2, 4), (4, 2), (3, 4), (4, 3))


def set_correction(root: Path, on: bool, turn: int = 0) -> None:
    """The project's corrections log: empty, or (``on``) the one correction of ``turn``."""
    log = root / "data" / "R6" / "corrections.csv"
    lines = ["団体コード,設問,旧値,新値,理由,日付"]
    if on:
        old, new = CORRECTIONS[turn % len(CORRECTIONS)]
        rows = (root / "data" / "R6" / "responses.csv").read_text(encoding="utf-8-sig").splitlines()
        header = rows[0].split(",")
        q4 = header.index("Q4")
        body = next(r.split(",") for r in rows[1:] if r.split(",")[q4] == str(old))
        lines.append(f"{body[0]},Q4,{old},{new},ベンチマーク,2025-02-03")
    log.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--axes", action="store_true", help="also time build --by for every axis (63 decks)")
    args = parser.parse_args()
    if args.axes:
        TARGETS.update(AXES_TARGETS)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copytree(ROOT / "layouts", root / "layouts")
        slidegen = [sys.executable, "-m", "slidegen", "--root", str(root)]
        build = [*slidegen, "build", "--year", "R6", "--pdf"]
        results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in TARGETS}
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "bytecode")
        deck = root / "output" / "R6" / "R6_deck.pptx"
        global FLOOR
        for warm_up in ([*slidegen, "--help"], build, [*slidegen, "check", "--year", "R6", str(deck)]):
            run(warm_up)  # untimed: each writes the bytecode of what it imports
        shutil.rmtree(root / "output")
        modules = floor_modules(build)  # what a cold build imports
        FLOOR = floor_code(modules) + FAST_EXIT
        exit_floor = floor_code(modules)
        for warm_up in (
            [sys.executable, "-c", FLOOR],
            [sys.executable, "-c", exit_floor],
            [sys.executable, "-c", ISSUE_FLOOR],
        ):
            run(warm_up)
        for _ in range(max(args.runs, 5)):
            results["floor"].append(run([sys.executable, "-c", FLOOR]))
            results["floor, exit"].append(run([sys.executable, "-c", exit_floor]))
            results["issue floor"].append(run([sys.executable, "-c", ISSUE_FLOOR]))
        for _ in range(max(args.runs, 5)):
            results["help"].append(run([*slidegen, "--help"]))
        for _ in range(args.runs):
            shutil.rmtree(root / "output", ignore_errors=True)
            results["cold"].append(run(build, results["floor"]))
        for _ in range(args.runs):
            shutil.rmtree(root / "output", ignore_errors=True)
            results["pptx"].append(run(build[:-1], results["floor"]))
        shutil.rmtree(root / "output", ignore_errors=True)
        run(build)  # the deck and PDF the next builds start from, untimed
        for turn in range(args.runs):
            set_correction(root, True, turn)
            results["correction"].append(run(build, results["floor"]))
            set_correction(root, False)
            run(build)  # back to the uncorrected deck, untimed
        for _ in range(args.runs):
            results["unchanged"].append(run(build, results["floor"]))
        for _ in range(args.runs):
            results["check"].append(run([*slidegen, "check", "--year", "R6", str(deck)], results["floor"]))
        if args.axes:  # one run: the 63 decks take minutes
            for name, more in (("axes-pptx", []), ("axes-pdf", ["--pdf"])):
                shutil.rmtree(root / "output", ignore_errors=True)
                each = [run([*slidegen, "build", "--year", "R6", "--by", axis, *more]) for axis in AXES]
                results[name].append(
                    (sum(t for t, _, _ in each), max(m for _, m, _ in each), sum(c for _, _, c in each))
                )
    cores = os.cpu_count()
    print(f"slidegen benchmark on {cores} cores, Python {sys.version.split()[0]}")
    floor = statistics.median(t for t, _, _ in results["floor"])
    issue_floor = statistics.median(t for t, _, _ in results["issue floor"])
    packages = sorted({n.split(".")[0] for n in modules if importlib.util.find_spec(n.split(".")[0]) is not None})
    print(f"import floor: {len(packages)} packages a cold build --pdf imports: {', '.join(packages)}")
    print(f"{'':<11} {'median':>8} {'range':>15} {'× floor':>8} {'× issue':>8} {'peak MB':>8} {'CPU s':>6}  target")
    for name, samples in results.items():
        times = [t for t, _, _ in samples]
        median = statistics.median(times)
        peak = max(m for _, m, _ in samples)
        cpu = statistics.median(c for _, _, c in samples)
        verdicts = []
        if TARGETS[name] is not None:
            verdicts.append(f"≤ {TARGETS[name]} s {'met' if median <= TARGETS[name] else 'MISSED'}")
        if name in RATIO_TARGETS:
            verdicts.append(f"≤ {RATIO_TARGETS[name]}× {'met' if median / floor <= RATIO_TARGETS[name] else 'MISSED'}")
        print(
            f"{name:<11} {median:7.2f}s {min(times):6.2f}–{max(times):.2f}s {median / floor:7.2f}× "
            f"{median / issue_floor:7.2f}× {peak:8.0f} {cpu:6.2f}  {'; '.join(verdicts)}"
        )
    overall = max(m for name, samples in results.items() if name not in AXES_TARGETS for _, m, _ in samples)
    print(
        f"peak memory {overall:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB: {'met' if overall <= MEMORY_TARGET_MB else 'MISSED'})"
    )
    if args.axes:
        axes = max(m for name in AXES_TARGETS for _, m, _ in results[name])
        print(
            f"peak memory of build --by {axes:.0f} MB (target ≤ {AXES_MEMORY_MB} MB: {'met' if axes <= AXES_MEMORY_MB else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
