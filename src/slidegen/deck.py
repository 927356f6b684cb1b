"""The deck spec: which slides a year's deck has, in what order, and where each figure sits.

Read from ``data/<year>/deck.yaml``. A slide names a layout of the template, its heading and
the figures it shows; a slide with one figure gives it the full width (slot ``full``), two
figures share it (slot ``half``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .codebook import Codebook
from .errors import SlidegenError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DeckSpecError(SlidegenError):
    """A deck spec (``data/<year>/deck.yaml``) is malformed or names unknown figures."""


@dataclass(frozen=True)
class SlideSpec:
    """One slide of the deck spec."""

    layout: str
    heading: str | None
    figures: tuple[int, ...]


@dataclass(frozen=True)
class DeckSpec:
    path: Path
    slides: tuple[SlideSpec, ...]

    def slots(self) -> dict[int, str]:
        """Each placed figure's slot: ``full`` alone on its slide, ``half`` beside another."""
        return {n: ("full" if len(s.figures) == 1 else "half") for s in self.slides for n in s.figures}


def load_deck(path: Path, codebook: Codebook) -> DeckSpec:
    """Read the deck spec at ``path`` and check it against ``codebook``."""
    def fail(where: str, message: str) -> DeckSpecError:
        return DeckSpecError(f"{path}: {where}: {message}")

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise DeckSpecError(f"{path}: the deck spec is missing.") from None
    except yaml.YAMLError as e:
        raise DeckSpecError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("slides"), list) or not data["slides"]:
        raise fail("top level", "expected 'slides:' with a list of slides")
    known = {f.number for f in codebook.figures}
    placed: dict[int, int] = {}
    slides = []
    for i, s in enumerate(data["slides"], start=1):
        where = f"slides[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("layout"), str):
            raise fail(where, "each slide needs 'layout: NAME'")
        figures = tuple(s.get("figures") or ())
        if len(figures) > 2:
            raise fail(f"{where}.figures", "a slide shows at most two figures")
        for n in figures:
            if n not in known:
                raise fail(f"{where}.figures", f"the codebook has no figure {n!r}")
            if n in placed:
                raise fail(f"{where}.figures", f"figure {n} is already on slide {placed[n]}")
            placed[n] = i
        heading = s.get("heading")
        slides.append(SlideSpec(s["layout"], str(heading) if heading is not None else None, figures))
    return DeckSpec(path, tuple(slides))
