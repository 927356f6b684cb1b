"""Benchmark the test suite as CI runs it: ``python -m pytest -q``, whole runs, their median.

    python bench/suite.py [--runs 5]

Prints each run's wall time and the CPU it took (user + system, all processes), then the median
and range. Not a test: timings depend on the machine and on what else it is doing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    walls = []
    for i in range(1, runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-rfE"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=dict(os.environ),
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        lines = done.stdout.strip().splitlines()
        last = lines[-1] if lines else done.stderr[-200:]
        print(f"run {i}: {wall:6.1f} s wall, {cpu:6.1f} s CPU — {last}", flush=True)
        for line in lines:
            if line.startswith(("FAILED", "ERROR")):
                print(f"  {line}", flush=True)
        walls.append(wall)
    print(f"median {statistics.median(walls):.1f} s (range {min(walls):.1f}–{max(walls):.1f} s) over {runs} runs")


if __name__ == "__main__":
    main()
