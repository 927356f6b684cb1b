"""Read a built deck back with OCR, as a person sees it, and check every sentence is there.

    python scripts/ocr_check.py output/R6/R6_deck.pptx
    python scripts/ocr_check.py output/R6/R6_deck.pptx --fontconfig hidden.conf   # as on a Mac

Renders the PPTX with LibreOffice (``soffice --headless --convert-to pdf``; with ``--fontconfig``
the configured font can be hidden, ``FONTCONFIG_FILE`` listing only another Japanese font's
folder), turns each page into a PNG (``pdftoppm``), reads it with Tesseract's Japanese model
(``tesseract -l jpn``) and looks for each sentence the build wrote on that slide (the headings and
bullets in the ``manifest.json`` beside the deck). A sentence counts as read back when at least
``--threshold`` of its characters (or all but one) are found in order on its page: OCR confuses a
few glyphs (結果 read as 結末), while a sentence cut off, overflowing or hidden loses far more. Needs the Debian packages
libreoffice-impress, poppler-utils, tesseract-ocr and tesseract-ocr-jpn. Exits 1 when a sentence
is missing.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path


def normalize(text: str) -> str:
    """Text as compared: NFKC (full-width digits and letters folded), no white space."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def lost(sentence: str, page: str) -> int:
    """How many of ``sentence``'s characters are not found, in order, on ``page`` — or on one of its
    lines, so that a short heading is not matched to its words scattered over the page."""
    want = normalize(sentence)

    def missing(text: str) -> int:
        matcher = difflib.SequenceMatcher(None, want, normalize(text), autojunk=False)
        return len(want) - sum(block.size for block in matcher.get_matching_blocks())

    return min([missing(page), *(missing(line) for line in page.splitlines() if line.strip())])


def read_pages(deck: Path, fontconfig: Path | None, work: Path) -> list[str]:
    env = dict(os.environ, HOME=str(work))
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(deck)], env=env,
                   check=True, capture_output=True, timeout=600)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(work / f"{deck.stem}.pdf"), str(work / "page")], check=True)
    pages = []
    for png in sorted(work.glob("page-*.png")):
        text = subprocess.run(["tesseract", str(png), "-", "-l", "jpn", "--psm", "6"], check=True,
                              capture_output=True, text=True).stdout
        pages.append(text)
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", type=Path)
    parser.add_argument("--fontconfig", type=Path, help="a FONTCONFIG_FILE for LibreOffice (to hide a font)")
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args()
    manifest = json.loads((args.deck.parent / "manifest.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        pages = read_pages(args.deck, args.fontconfig, Path(tmp))
    missing = 0
    checked = 0
    for slide in manifest["slides"]:
        page = pages[slide["number"] - 1]
        for role in ("heading", "bullets"):
            for sentence in filter(None, slide["texts"].get(role, "").split("\n")):
                checked += 1
                length = len(normalize(sentence))
                errors = lost(sentence, page)
                if errors > max(1, (1 - args.threshold) * length):  # one misread glyph is OCR's, not the deck's
                    missing += 1
                    print(f"slide {slide['number']} {role}: {errors} of {length} characters not read back in 「{sentence}」")
    print(f"{checked - missing} of {checked} sentences read back (at least {args.threshold:.0%} of their characters)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
