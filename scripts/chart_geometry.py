"""Where the bars of a figure fall on a rendered page: to compare LibreOffice's render of the
PPTX's native charts with slidegen's own PDF (issue 23: one set of proportions).

    python scripts/chart_geometry.py DECK.pdf PAGE LEFT TOP WIDTH HEIGHT [#RRGGBB ...]

renders the page with ``pdftoppm`` (poppler-utils) at 72 dpi and prints, inside the box given
in points, each bar of the colours given (the deck's bar colours by default): its left and right
end and its top and bottom, in points. A bar is a run of rows whose pixels of one colour span the
same columns; a bar shorter than 2 pt is left out (a legend's swatch, anti-aliasing).
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


def main() -> None:
    pdf, page, *numbers = sys.argv[1:7]
    colours = tuple(sys.argv[7:]) or COLOURS
    for left, right, top, bottom in bars(Path(pdf), int(page), tuple(float(n) for n in numbers), colours):
        print(f"{left:7.1f} {right:7.1f} {top:7.1f} {bottom:7.1f}")


if __name__ == "__main__":
    main()
