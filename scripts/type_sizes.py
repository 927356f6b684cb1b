"""The type sizes of a deck as PowerPoint reads them: per slide, each role's sizes.

    python scripts/type_sizes.py output/R6/R6_deck.pptx [--template layouts/slidegen.pptx]

Reads the PPTX back (not the slide model): each text shape slidegen named (slidegen:s4:caption1)
gets the size of its runs — a run's own ``sz`` where it has one (slidegen writes it where the text
was shrunk to fit), else its placeholder's size in the template's layout. Roles are taken without
their figure number (caption1 and caption2 are captions). Prints one line per slide, then each
role's sizes across the deck, and exits 1 where a slide sets one role in more than one size
(issue 23: one size per role on a slide).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the page furniture, whose size the template fixes
FURNITURE = ("footer", "number")


def sizes(deck: Path, template: Path) -> dict[int, dict[str, set[float]]]:
    """Per slide (its position in the deck), each role's type sizes in points."""
    from pptx import Presentation

    from slidegen.inputs.template import read_template

    layouts = read_template(template).layouts
    found: dict[int, dict[str, set[float]]] = {}
    for number, slide in enumerate(Presentation(str(deck)).slides, start=1):
        roles: dict[str, set[float]] = defaultdict(set)
        for shape in slide.shapes:
            if not shape.name.startswith("slidegen:s") or not shape.has_text_frame or not shape.is_placeholder:
                continue
            role = shape.name.split(":")[2].rstrip("0123456789")
            if role in FURNITURE:
                continue
            default = layouts[slide.slide_layout.name].placeholders[shape.placeholder_format.idx].size
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if run.text.strip():
                        roles[role].add(run.font.size.pt if run.font.size is not None else default)
        found[number] = dict(roles)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("deck", type=Path)
    parser.add_argument("--template", type=Path, default=ROOT / "layouts" / "slidegen.pptx")
    args = parser.parse_args()
    found = sizes(args.deck, args.template)
    mixed = []
    across: dict[str, dict[float, list[int]]] = defaultdict(lambda: defaultdict(list))
    for number, roles in found.items():
        print(f"slide {number:2d}: " + ", ".join(f"{r} {'/'.join(f'{s:g}' for s in sorted(v))}" for r, v in roles.items()))
        for role, values in roles.items():
            if len(values) > 1:
                mixed.append(f"slide {number}: {role} in {sorted(values)} pt")
            for value in values:
                across[role][value].append(number)
    print("across the deck:")
    for role, by_size in across.items():
        print(f"  {role}: " + "; ".join(f"{s:g} pt on {len(n)} slide(s) {n if len(by_size) > 1 else ''}".rstrip()
                                        for s, n in sorted(by_size.items(), reverse=True)))
    for line in mixed:
        print(f"MIXED {line}", file=sys.stderr)
    sys.exit(1 if mixed else 0)


if __name__ == "__main__":
    main()
