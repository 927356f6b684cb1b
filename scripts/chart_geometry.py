"""Where the bars of a figure fall on a rendered page: to compare LibreOffice's render of the
PPTX's native charts with slidegen's own PDF (issue 23: one set of proportions).

    python scripts/chart_geometry.py DECK.pdf PAGE LEFT TOP WIDTH HEIGHT [#RRGGBB ...]

renders the page with ``pdftoppm`` (poppler-utils) at 72 dpi and prints, inside the box given
in points, each bar of the colours given (the deck's bar colours by default): its left and right
end and its top and bottom, in points. A bar is a run of rows whose pixels of one colour span the
same columns; a bar shorter than 2 pt is left out (a legend's swatch, anti-aliasing).
:func:`ring` measures a doughnut (its centre, outer and inner radius), :func:`band` a 100 %
band (its parts' edges, its top and bottom) and :func:`numbers` where each figure a page prints
inside a box stands (``pdftotext -bbox``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

DPI = 72  # a pixel a point: enough to place a bar within a point
#: the deck's bar colours: the main blue, the light blue of a first series, the grey of 無回答/その他
COLOURS = ("#1F4E79", "#9DC3E6", "#7F7F7F", "#A6A6A6")


@cache
def page_image(pdf: Path, page: int) -> Any:
    """The page as an RGB array (rows, columns, 3) at :data:`DPI`, rendered once."""
    import numpy as np
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(pdf), str(stem)], check=True, capture_output=True, timeout=120)
        with Image.open(f"{stem}.png") as im:
            return np.asarray(im.convert("RGB"), dtype=np.int16)


def bars(pdf: Path, page: int, box: tuple[float, float, float, float],
         colours: tuple[str, ...] = COLOURS, tolerance: int = 24) -> list[tuple[float, float, float, float]]:
    """The bars inside ``box`` (left, top, width, height in points) of ``page``: (left, right, top,
    bottom) in points, top to bottom. Each pixel row's longest run of one bar colour (within
    ``tolerance`` per channel) is a bar's row; rows whose runs start alike are one bar."""
    import numpy as np

    scale = DPI / 72
    x0, y0 = int(box[0] * scale), int(box[1] * scale)
    x1, y1 = int((box[0] + box[2]) * scale), int((box[1] + box[3]) * scale)
    region = page_image(pdf, page)[y0:y1, x0:x1]
    which = np.full(region.shape[:2], -1, dtype=np.int16)
    for k, c in enumerate(colours):
        target = np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
        which[(np.abs(region - target) <= tolerance).all(axis=2) & (which < 0)] = k
    spans: dict[int, tuple[int, int]] = {}
    for y, row in enumerate(which):
        cuts = np.flatnonzero(np.diff(row)) + 1
        starts = np.concatenate(([0], cuts))
        ends = np.concatenate((cuts, [len(row)]))
        runs = [(e - s, s, e) for s, e in zip(starts, ends) if row[s] >= 0]
        if runs:
            length, s, e = max(runs)
            if length >= 2 * scale:
                spans[y0 + y] = (x0 + int(s), x0 + int(e))
    found: list[list[int]] = []
    run: list[int] = []
    for y in sorted(spans):
        if run and (y > run[-1] + 2 or abs(spans[y][0] - spans[run[0]][0]) > 2):  # (a pixel row lost to anti-aliasing)
            found.append(run)
            run = []
        run.append(y)
    if run:
        found.append(run)
    return [(spans[r[0]][0] / scale, max(spans[y][1] for y in r) / scale, r[0] / scale, (r[-1] + 1) / scale)
            for r in found if len(r) >= 2]


def _runs(row: Any) -> list[tuple[int, int]]:
    """The runs of True in a row of booleans: (start, end) column pairs."""
    import numpy as np

    edges = np.flatnonzero(np.diff(np.concatenate(([0], row.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def _mask(pdf: Path, page: int, box: tuple[float, float, float, float], colours: tuple[str, ...],
          tolerance: int = 40) -> tuple[Any, int, int]:
    """Which pixels inside ``box`` are of one of ``colours``, and the box's top-left pixel."""
    import numpy as np

    x0, y0 = int(box[0] * DPI / 72), int(box[1] * DPI / 72)
    x1, y1 = int((box[0] + box[2]) * DPI / 72), int((box[1] + box[3]) * DPI / 72)
    region = page_image(pdf, page)[y0:y1, x0:x1]
    mask = np.zeros(region.shape[:2], dtype=bool)
    for c in colours:
        target = np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)], dtype=np.int16)
        mask |= (np.abs(region - target) <= tolerance).all(axis=2)
    return mask, x0, y0


def ring(pdf: Path, page: int, box: tuple[float, float, float, float],
         colours: tuple[str, ...] = COLOURS) -> tuple[float, float, float, float]:
    """A doughnut inside ``box``: its centre (x, y), outer and inner radius, in points — read on the
    row through its centre, where the ring is crossed twice (the tallest run of ring pixels, top
    to bottom, gives the centre's height)."""
    import numpy as np

    mask, x0, y0 = _mask(pdf, page, box, colours)
    columns = [max((e - s for s, e in _runs(mask[:, x])), default=0) for x in range(mask.shape[1])]
    x = int(np.argmax(columns))
    top, bottom = max(_runs(mask[:, x]), key=lambda r: r[1] - r[0])
    cy = (top + bottom) / 2
    parts = [r for r in _runs(mask[int(cy)]) if r[1] - r[0] > 4]
    (left, inner_left), (inner_right, right) = parts[0], parts[-1]
    scale = 72 / DPI
    return ((x0 + (left + right) / 2) * scale, (y0 + cy) * scale, (right - left) / 2 * scale,
            (inner_right - inner_left) / 2 * scale)


def band(pdf: Path, page: int, box: tuple[float, float, float, float],
         colours: tuple[str, ...] = COLOURS) -> tuple[list[tuple[float, float]], float, float]:
    """A 100 % band inside ``box``: each part's left and right edge (a run of one colour two points
    or more long, on the band's middle row), and the band's top and bottom, in points."""
    import numpy as np

    scale = 72 / DPI
    x0, y0 = int(box[0] * DPI / 72), int(box[1] * DPI / 72)
    x1, y1 = int((box[0] + box[2]) * DPI / 72), int((box[1] + box[3]) * DPI / 72)
    region = page_image(pdf, page)[y0:y1, x0:x1]
    coloured = (np.abs(region - 255) > 12).any(axis=2)
    wide = np.array([coloured[y].sum() > 0.8 * coloured.shape[1] for y in range(coloured.shape[0])])
    top, bottom = max(_runs(wide), key=lambda r: r[1] - r[0])  # the band, not a bracket's thin rule
    row = region[(top + bottom) // 2]
    edges = [0] + [x for x in range(1, len(row)) if (np.abs(row[x] - row[x - 1]) > 20).any()] + [len(row)]
    # a part of one colour, two pixels or more: a renderer's one-pixel rule between parts, or a leader
    # drawn over one, is left out, and what it split is one part again
    parts: list[list[int]] = []
    for a, b in zip(edges, edges[1:]):
        if b - a < 2 or not (np.abs(row[a] - 255) > 12).any():
            continue
        if parts and a - parts[-1][1] <= 2 and (np.abs(row[a] - row[parts[-1][0]]) <= 20).all():
            parts[-1][1] = b
        else:
            parts.append([a, b])
    return ([((x0 + a) * scale, (x0 + b) * scale) for a, b in parts], (y0 + top) * scale, (y0 + bottom) * scale)


def numbers(pdf: Path, page: int, box: tuple[float, float, float, float]) -> list[tuple[str, float, float]]:
    """Each number with a decimal point a page prints inside ``box`` — as a word of its own, in text
    of 5 pt or more (not a tagged PDF's invisible data table) — and its word's centre, in points."""
    import re

    from lxml import etree

    out = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    found = []
    for w in etree.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out).encode()).iter("{*}word"):
        left, top, right, bottom = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
        inside = box[0] <= left and right <= box[0] + box[2] and box[1] <= top and bottom <= box[1] + box[3]
        if inside and bottom - top >= 5 and re.fullmatch(r"\d+\.\d", w.text or ""):
            found.append((w.text, (left + right) / 2, (top + bottom) / 2))
    return found


def main() -> None:
    pdf, page, *numbers = sys.argv[1:7]
    colours = tuple(sys.argv[7:]) or COLOURS
    for left, right, top, bottom in bars(Path(pdf), int(page), tuple(float(n) for n in numbers), colours):
        print(f"{left:7.1f} {right:7.1f} {top:7.1f} {bottom:7.1f}")


if __name__ == "__main__":
    main()
