"""Where LibreOffice breaks a built deck's sentences, and whether a reader would accept it.

    python scripts/line_breaks.py output/R6/R6_deck.pptx
    python scripts/line_breaks.py output/R6/R6_deck.pptx --fontconfig hidden.conf   # as on a Mac

Renders the PPTX with LibreOffice (``soffice --headless --convert-to pdf``; with ``--fontconfig``
the configured font can be hidden, ``FONTCONFIG_FILE`` listing only another Japanese font's
folder), reads each page's lines back with ``pdftotext -bbox-layout`` and finds in them every
paragraph slidegen wrapped into a text box (sentences, the cover's overview, footnotes). Each is
checked by :func:`slidegen.figures.jptext.break_faults`: no last line of fewer than four
characters, no katakana word or kanji compound split. Prints each fault and exits 1 where there is
one. Needs the Debian packages libreoffice-impress and poppler-utils.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

#: the roles whose paragraphs the renderer wraps (slidegen.slides.ARRANGED)
ROLES = ("bullets", "overview", "footnotes")


def _plain(text: str) -> str:
    return re.sub(r"\s", "", text)


def page_lines(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """The text lines of one page, as pdftotext groups them: each one's text (no white space) and
    its top-left corner in points."""
    from lxml import etree

    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    root = etree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out).encode())
    return [
        (_plain("".join(w.text or "" for w in line.iter("{*}word"))), float(line.get("xMin")), float(line.get("yMin")))
        for line in root.iter("{*}line")
    ]


def rendered(deck: Path, fontconfig: Path | None, folder: Path) -> Path:
    env = dict(os.environ)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(deck)],
        check=True, capture_output=True, env=env,
    )
    return folder / f"{deck.stem}.pdf"


def faults(deck: Path, fontconfig: Path | None = None) -> list[str]:
    """Every break a reader would send back in LibreOffice's render of ``deck``: where, and what."""
    with tempfile.TemporaryDirectory() as tmp:
        return faults_in(deck, rendered(deck, fontconfig, Path(tmp)))


def faults_in(deck: Path, pdf: Path) -> list[str]:
    """:func:`faults`, in a render already made (``pdf``)."""
    from pptx import Presentation

    from slidegen.figures.jptext import break_faults

    found = []
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        lines = [text for text, _, _ in page_lines(pdf, number)]
        for shape in slide.shapes:
            parts = shape.name.split(":")
            if len(parts) < 3 or parts[2] not in ROLES or not shape.has_text_frame:
                continue
            for paragraph in shape.text_frame.paragraphs:
                text = _plain(paragraph.text)
                laid = _find(text, lines)
                if laid is None:
                    found.append(f"slide {number} {parts[2]}: not found in the render: {text[:20]}…")
                    continue
                for fault in break_faults(text, laid):
                    found.append(f"slide {number} {parts[2]}: {fault} ({text[:16]}…)")
    return found


def _find(text: str, lines: list[str]) -> list[str] | None:
    """The consecutive lines that hold ``text`` (a bullet mark before it left out)."""
    for i, line in enumerate(lines):
        start = line.find(text[: min(len(text), 6)])
        if start < 0:
            continue
        got, taken = [line[start:]], line[start:]
        for more in lines[i + 1 :]:
            if len(taken) >= len(text):
                break
            got.append(more)
            taken += more
        if taken == text:
            return got
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", type=Path)
    parser.add_argument("--fontconfig", type=Path)
    args = parser.parse_args()
    found = faults(args.deck.resolve(), args.fontconfig)
    for line in found:
        print(line)
    print(f"{len(found)} line-break faults")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
