"""What users get stays byte-for-byte the same unless a change means it to.

``tests/fixtures/R6-output-hashes.txt`` lists the SHA-256 of every file a build of R6 makes (the
deck, the PDF, each figure, the manifest without its code fingerprint, the tables in every form),
made by ``scripts/output_hashes.py``. The bytes also depend on the font file and the library
versions, which the list's first lines name: where this machine has others, the test says so and
skips. A change that means to alter the output regenerates the list in the same commit:

    python scripts/output_hashes.py > tests/fixtures/R6-output-hashes.txt
"""

from __future__ import annotations

import runpy
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import ROOT

from slidegen.figures.fonts import resolve_font

LIST = Path(__file__).parent / "fixtures" / "R6-output-hashes.txt"


def test_r6_outputs_are_as_recorded():
    recorded = LIST.read_text(encoding="utf-8").splitlines()
    environment = [line for line in recorded if line.startswith("# ")]
    font = resolve_font()
    here = [f"# {name} {version(name)}" for name, _ in (line[2:].split(" ", 1) for line in environment[:-1])]
    here.append(f"# font {font.fallback_for or font.name}")
    if here != environment or font.fallback_for:
        pytest.skip("the list was made with other library versions or another font: " +
                    "; ".join(sorted(set(environment) ^ set(here))))
    hashes = runpy.run_path(str(ROOT / "scripts" / "output_hashes.py"))["hashes"]  # the script's own function
    assert hashes("R6") == recorded
