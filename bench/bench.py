"""Benchmark slidegen as a user runs it: whole processes, several runs, medians, peak memory.

    python bench/bench.py [--runs 3]

Works on a temporary copy of the project (data/ and layouts/), so the real output/ is untouched.
Measures, on the machine it runs on:

  help        slidegen --help
  cold        slidegen build --year R6 --pdf into an empty output folder (no figure cache)
  pptx        slidegen build --year R6 (the PPTX alone) into an empty output folder
  correction  the same build after one correction (one body's 満足度, figure 4)
  unchanged   the same build again with nothing changed
  check       slidegen check --year R6 on the deck built (every number traced to the data)

and prints each one's median, range and peak resident memory, beside the project's targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"help": 0.3, "cold": 1.5, "pptx": None, "correction": 0.8, "unchanged": None, "check": 2.0}
MEMORY_TARGET_MB = 400


def run(args: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def set_correction(root: Path, on: bool) -> None:
    log = root / "data" / "R6" / "corrections.csv"
    lines = ["団体コード,設問,旧値,新値,理由,日付"]
    if on:
        rows = (root / "data" / "R6" / "responses.csv").read_text(encoding="utf-8-sig").splitlines()
        header = rows[0].split(",")
        q4 = header.index("Q4")
        body = next(r.split(",") for r in rows[1:] if r.split(",")[q4] == "1")
        lines.append(f"{body[0]},Q4,1,2,ベンチマーク,2025-02-03")
    log.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copytree(ROOT / "layouts", root / "layouts")
        slidegen = [sys.executable, "-m", "slidegen", "--root", str(root)]
        build = [*slidegen, "build", "--year", "R6", "--pdf"]
        results: dict[str, list[tuple[float, float]]] = {k: [] for k in TARGETS}
        for _ in range(max(args.runs, 5)):
            results["help"].append(run([*slidegen, "--help"]))
        for _ in range(args.runs):
            shutil.rmtree(root / "output", ignore_errors=True)
            results["cold"].append(run(build))
        for _ in range(args.runs):
            shutil.rmtree(root / "output", ignore_errors=True)
            results["pptx"].append(run(build[:-1]))
        shutil.rmtree(root / "output", ignore_errors=True)
        run(build)  # the deck and PDF the next builds start from, untimed
        for _ in range(args.runs):
            set_correction(root, True)
            results["correction"].append(run(build))
            set_correction(root, False)
            run(build)  # back to the uncorrected deck, untimed
        for _ in range(args.runs):
            results["unchanged"].append(run(build))
        deck = root / "output" / "R6" / "R6_deck.pptx"
        for _ in range(args.runs):
            results["check"].append(run([*slidegen, "check", "--year", "R6", str(deck)]))
    cores = os.cpu_count()
    print(f"slidegen benchmark on {cores} cores, Python {sys.version.split()[0]}")
    print(f"{'':<11} {'median':>8} {'range':>15} {'peak MB':>8}  target")
    for name, samples in results.items():
        times = [t for t, _ in samples]
        peak = max(m for _, m in samples)
        target = TARGETS[name]
        verdict = "" if target is None else (f"≤ {target} s  {'met' if statistics.median(times) <= target else 'MISSED'}")
        print(f"{name:<11} {statistics.median(times):7.2f}s {min(times):6.2f}–{max(times):.2f}s {peak:8.0f}  {verdict}")
    overall = max(m for samples in results.values() for _, m in samples)
    print(f"peak memory {overall:.0f} MB (target ≤ {MEMORY_TARGET_MB} MB: {'met' if overall <= MEMORY_TARGET_MB else 'MISSED'})")


if __name__ == "__main__":
    main()
