"""The deck spec: which slides a year's deck has, in what order, and where each figure sits.

Read from ``data/<year>/deck.yaml``. A slide names a layout of the template, its heading and
the figures it shows; a slide with one figure gives it the full width (slot ``full``), two
figures share it (slot ``half``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DeckSpecError
from .codebook import Codebook
from .layouts import KEY_ROLES, Layouts
from .reading import NotYaml, load_yaml

#: makes the error for a place in the spec (its key path) and a message
Fail = Callable[[str, str], DeckSpecError]


@dataclass(frozen=True)
class Bullet:
    """A sentence template and the claims its literal words rest on.

    A sentence that computes nothing from the data (no ``{…}``) must either state its claims or
    be marked ``background`` (it says something about the survey, not a finding): a finding in
    fixed words with nothing behind it would stay printed after the data stopped saying it.
    """

    text: str
    claims: tuple[str, ...] = ()
    background: bool = False
    #: what a segment's deck says instead where the sentence does not hold there (issue 22): a
    #: template of its own, computed from the segment's data (None: the sentence is left out)
    fallback: str | None = None


@dataclass(frozen=True)
class SlideSpec:
    """One slide of the deck spec: a layout and the templates of its texts."""

    layout: str
    heading: str | None = None
    subheading: str | None = None
    figures: tuple[int, ...] = ()
    bullets: tuple[Bullet, ...] = ()
    bullet: str = "■"  # the mark before each bullet
    title: str | None = None  # cover
    subtitle: str | None = None  # cover
    byline: tuple[str, ...] = ()  # cover
    overview: tuple[str, ...] = ()  # cover
    #: the cover's lines in a segment's deck (build --by), in place of ``overview``
    segment_overview: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeckSpec:
    """A year's deck spec: its slides in order, and the source line every slide's notes end with."""

    path: Path
    slides: tuple[SlideSpec, ...]
    source: str | None = None  # a template: 出典 and how the deck was made (data('file'), data('digest')…)
    layouts: Layouts | None = None  # the template's layouts it was checked against

    def slots(self) -> dict[int, str]:
        """Each placed figure's slot: ``full`` alone on its slide, ``half`` beside another."""
        return {n: ("full" if len(s.figures) == 1 else "half") for s in self.slides for n in s.figures}


_KEYS = {
    "layout",
    "heading",
    "subheading",
    "figures",
    "bullets",
    "bullet",
    "title",
    "subtitle",
    "byline",
    "overview",
    "segment_overview",
}


def _texts(value: Any, where: str, fail: Fail) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(where, "expected a line of text or a list of lines")
    return tuple(value)


#: the functions whose answer is yes or no: a claim may be a call of one of them
_QUESTIONS = frozenset({"same", "within", "endswith"})


def _yes_no(claim: str) -> bool:
    """A claim reads as a yes/no question: a comparison, and/or/not of them, or a call of
    :data:`_QUESTIONS`. (One that cannot be read at all is left for the evaluator to name.)"""
    import ast

    try:
        node = ast.parse(claim.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    if isinstance(node, ast.BoolOp):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in _QUESTIONS
    return isinstance(node, ast.Compare) or (isinstance(node, ast.Constant) and isinstance(node.value, bool))


def _bullets(value: Any, where: str, fail: Fail) -> tuple[Bullet, ...]:
    bullets = []
    for j, b in enumerate(value or [], start=1):
        w = f"{where}[{j}]"
        if isinstance(b, str):
            bullet = Bullet(b)
        elif (
            isinstance(b, dict)
            and isinstance(b.get("text"), str)
            and set(b) <= {"text", "claims", "background", "fallback"}
            and isinstance(b.get("background", False), bool)
            and isinstance(b.get("fallback", ""), str)
        ):
            bullet = Bullet(
                b["text"], _texts(b.get("claims"), f"{w}.claims", fail), b.get("background", False), b.get("fallback")
            )
        else:
            raise fail(
                w,
                "expected a sentence, or 'text:' with optional 'claims:' (or 'background: true') and 'fallback:'",
            )
        if "{" not in bullet.text and not bullet.claims and not bullet.background:
            raise fail(
                w,
                f"「{bullet.text[:30]}…」 computes nothing from the data and states no claim, so nothing would "
                "tell when the data stops saying it. Add 'claims:' (what must hold for its words), or mark it "
                "'background: true' if it states no finding.",
            )
        if bullet.background and bullet.claims:
            raise fail(w, "a background sentence states no finding: give it 'claims:' or 'background: true', not both")
        for k, claim in enumerate(bullet.claims, start=1):
            if not _yes_no(claim):
                raise fail(
                    f"{w}.claims[{k}]",
                    f"{claim!r} is not a yes/no question about the data; a claim compares (value(5, 1) > 50, "
                    "codes(3, 2) == [1, 2]) or asks same(…), within(…), endswith(…)",
                )
        bullets.append(bullet)
    return tuple(bullets)


def _check_layout(s: dict[str, Any], figures: tuple[int, ...], layouts: Layouts, where: str, fail: Fail) -> None:
    """The slide's layout exists, and has a role for each of the slide's keys."""
    layout = s["layout"]
    if layout not in layouts.roles:
        raise fail(
            where,
            f"the layout {layout!r} is not one of the template's: {', '.join(layouts.roles)} ({layouts.path.name})",
        )
    roles = layouts.roles[layout]
    needed = {key: KEY_ROLES[key] for key in s if key in KEY_ROLES}
    needed.update({f"figures[{k}]": f"figure{k}" for k in range(1, len(figures) + 1)})
    for key, role in needed.items():
        if role not in roles:
            raise fail(
                f"{where}.{key}",
                f"the layout {layout} has no place for {key} (it has {', '.join(roles)}); "
                "move the text to a key it has, or use another layout",
            )


def load_deck(path: Path, codebook: Codebook, layouts: Layouts | None = None) -> DeckSpec:
    """Read the deck spec at ``path`` and check it against ``codebook`` and, given them, the
    template's ``layouts``: each slide's layout must exist and have a place for each of its keys."""

    def fail(where: str, message: str) -> DeckSpecError:
        return DeckSpecError(f"{path}: {where}: {message}")

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckSpecError(f"{path}: the deck spec is missing.") from None
    except NotYaml as e:
        raise DeckSpecError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("slides"), list) or not data["slides"]:
        raise fail("top level", "expected 'slides:' with a list of slides")
    unknown_top = sorted(set(data) - {"slides", "source"})
    if unknown_top:
        raise fail("top level", f"unknown key(s) {', '.join(unknown_top)}; allowed: slides, source")
    if not isinstance(data.get("source", ""), str):
        raise fail("source", "expected one line of text")
    known = {f.number for f in codebook.figures}
    placed: dict[int, int] = {}
    slides = []
    for i, s in enumerate(data["slides"], start=1):
        where = f"slides[{i}]"
        if not isinstance(s, dict) or not isinstance(s.get("layout"), str):
            raise fail(where, "each slide needs 'layout: NAME'")
        unknown = sorted(set(s) - _KEYS)
        if unknown:
            raise fail(where, f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_KEYS))}")
        figures = tuple(s.get("figures") or ())
        if len(figures) > 2:
            raise fail(f"{where}.figures", "a slide shows at most two figures")
        if layouts is not None:
            _check_layout(s, figures, layouts, f"{where} ({s['layout']})", fail)
        for n in figures:
            if n not in known:
                raise fail(f"{where}.figures", f"the codebook has no figure {n!r}")
            if n in placed:
                raise fail(f"{where}.figures", f"figure {n} is already on slide {placed[n]}")
            placed[n] = i
        one = {
            k: (_texts(s.get(k), f"{where}.{k}", fail) or (None,))[0]
            for k in ("heading", "subheading", "title", "subtitle")
        }
        slides.append(
            SlideSpec(
                layout=s["layout"],
                figures=figures,
                bullets=_bullets(s.get("bullets"), f"{where}.bullets", fail),
                bullet=str(s.get("bullet", "■")),
                byline=_texts(s.get("byline"), f"{where}.byline", fail),
                overview=_texts(s.get("overview"), f"{where}.overview", fail),
                segment_overview=_texts(s.get("segment_overview"), f"{where}.segment_overview", fail),
                **one,
            )
        )
    return DeckSpec(path, tuple(slides), data.get("source"), layouts)
