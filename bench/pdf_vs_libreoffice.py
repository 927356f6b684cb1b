"""Benchmark: slidegen's PDF step beside LibreOffice's conversion of the same deck.

    python bench/pdf_vs_libreoffice.py [--runs 5]

Lays out the R6 deck once, then times the PDF writer on it (in-process, the step alone) and, when
LibreOffice is installed, `soffice --headless --convert-to pdf` of the same .pptx (a whole
process each time, as a user would run it). Prints the median and range of each, on this machine.
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def report(name: str, times: list[float]) -> None:
    print(
        f"{name:<44} median {statistics.median(times):6.2f} s   (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from slidegen import pipeline
    from slidegen.figures.fonts import resolve_font
    from slidegen.inputs.project import open_year
    from slidegen.slides import build_deck
    from slidegen.writers.pdf import pdf_bytes
    from slidegen.writers.pptx import pptx_bytes

    year = open_year(ROOT, "R6")
    inputs = pipeline.load_inputs(year)
    tables = pipeline.tables(inputs)
    font = resolve_font()
    template = ROOT / "layouts" / "slidegen.pptx"
    deck = build_deck(
        inputs.deck, tables, inputs.codebook, pipeline.figures(inputs, tables, font), template, font, "bench"
    )
    print(
        f"machine: {shutil.which('nproc') and subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
        f"font {font.describe()}"
    )
    report("slidegen PDF step (reportlab, in-process)", timed(lambda: pdf_bytes(deck), args.runs))

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice is not installed: no comparison (apt-get install libreoffice-impress)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pptx = Path(tmp) / "R6_deck.pptx"
        pptx.write_bytes(pptx_bytes(deck, template))
        profile = Path(tmp) / "profile"
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(pptx),
        ]
        subprocess.run(command, capture_output=True, check=True)  # first start creates the profile: not timed
        runs = max(3, args.runs // 2)
        report(
            "LibreOffice --convert-to pdf (whole process)",
            timed(lambda: subprocess.run(command, capture_output=True, check=True), runs),
        )


if __name__ == "__main__":
    main()
