"""The template's layouts as the build uses them: which placeholder takes which role.

Read from ``layouts/layouts.yaml``. Each layout maps roles (heading, bullets, figure1, …) to the
idx of a placeholder in the template; a cover layout has title, subtitle, byline and overview
instead, and no sample-data footer. The deck spec is checked against it (a key whose role the
slide's layout lacks is an error), and the slide model places each text by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DeckSpecError
from .reading import NotYaml, load_yaml

#: the roles a deck spec's slide keys fill: key → the roles it needs (figures: one per figure)
KEY_ROLES = {
    "heading": "heading",
    "subheading": "subheading",
    "bullets": "bullets",
    "title": "title",
    "subtitle": "subtitle",
    "byline": "byline",
    "overview": "overview",
    "segment_overview": "overview",
}


@dataclass(frozen=True)
class Layouts:
    """Every layout's roles, which layouts are covers, and the footer and page-number placeholders."""

    path: Path
    roles: dict[str, dict[str, int]]
    covers: frozenset[str]
    footer: int
    number: int

    def is_cover(self, layout: str) -> bool:
        return layout in self.covers


def load_layouts(path: Path) -> Layouts:
    """Read and check ``layouts.yaml``."""

    def fail(where: str, message: str) -> DeckSpecError:
        return DeckSpecError(f"{path}: {where}: {message}")

    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeckSpecError(
            f"{path}: the layouts file is missing; it says which placeholder of the template "
            "takes which text (see layouts/README.md)."
        ) from None
    except NotYaml as e:
        raise DeckSpecError(f"{path}: not valid YAML: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("layouts"), dict) or not data["layouts"]:
        raise fail("top level", "expected 'layouts:' mapping each layout name to its roles")
    for key in ("footer", "number"):
        if not isinstance(data.get(key), int):
            raise fail(key, "expected the placeholder number (idx) as a whole number")
    roles, covers = {}, set()
    for name, spec in data["layouts"].items():
        if not isinstance(spec, dict) or not isinstance(spec.get("roles"), dict) or set(spec) - {"roles", "cover"}:
            raise fail(f"layouts.{name}", "expected 'roles:' (role: idx) and optionally 'cover: true'")
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in spec["roles"].items()):
            raise fail(f"layouts.{name}.roles", "expected role: placeholder number (idx)")
        roles[str(name)] = dict(spec["roles"])
        if spec.get("cover"):
            covers.add(str(name))
    return Layouts(path, roles, frozenset(covers), data["footer"], data["number"])
