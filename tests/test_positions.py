"""Issue 23, item 2 (in part): every placeholder placed the same by LibreOffice as by slidegen's
own PDF writer — read back from both renders with ``pdftotext -bbox``. (The template's titles said
idx="0", and LibreOffice put such a title where the master's title is, 12 pt to the right.)"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import LIBREOFFICE, lo_edit

pytestmark = [LIBREOFFICE, pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")]

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Each page's words: (left, bottom, text)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[(float(a), float(d), t) for a, _, _, d, t in WORD.findall(page)] for page in html.split("<page ")[1:]]


def test_headings_and_captions_stand_where_the_pdf_puts_them(r6_build, tmp_path):
    result, _ = r6_build
    ours = words(result.out / "R6_deck.pdf")
    theirs = words(lo_edit(result.out / "R6_deck.pptx", tmp_path / "libreoffice.pdf"))
    assert len(ours) == len(theirs) == 16
    checked = 0
    for number, (mine, office) in enumerate(zip(ours, theirs), start=1):
        heading, office_heading = mine[0], office[0]
        assert office_heading[2] == heading[2] and abs(office_heading[0] - heading[0]) <= 2, (number, heading, office_heading)
        caption = ("【図", "（図")  # 【図２】…, and a gap figure's （図８：…）
        starts = [w for w in office if w[2].startswith(caption)]  # (LibreOffice splits 【図10】 at its digits)
        for left, bottom, text in (w for w in mine if w[2].startswith(caption)):  # each caption's first line
            near = [w for w in starts if abs(w[1] - bottom) <= 4]
            assert near, (number, text)
            assert min(abs(w[0] - left) for w in near) <= 2, (number, text, left, [w[0] for w in near])
            checked += 1
    assert checked >= 18
