"""The package's shape: one package per stage, imports pointing down the pipeline only, no cycle.

Every import of a slidegen module by another — at the top of a file or inside a function — is an
arrow. An arrow may point to a module of the same stage or of an earlier one, never to a later
stage (the writers may read the slide model; the slide model may not reach for a writer); and the
arrows between modules form no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "src" / "slidegen"

#: the stages in pipeline order: a module may import from its own stage and the ones before it
STAGES = ["errors", "ooxml", "inputs", "aggregate", "figures", "slides", "record", "writers", "build", "compare", "refresh", "pipeline", "cli", "__main__"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The slidegen modules ``name`` imports, wherever in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("slidegen"):
                continue
            for alias in node.names:  # `from . import style` imports the module slidegen.figures.style
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("slidegen"))
    return {m for m in found if m in known and m != name}


def stage(name: str) -> int:
    parts = name.split(".")
    if len(parts) == 1:  # slidegen itself: its __init__ is the package's front door, over every stage
        return len(STAGES)
    return STAGES.index(parts[1])


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def test_every_module_belongs_to_a_stage():
    for name in modules():
        if name != "slidegen":
            assert name.split(".")[1] in STAGES, f"{name} is in no stage: put it in one of {STAGES}"


def test_imports_point_down_the_pipeline():
    upward = [f"{a} → {b}" for a, targets in graph().items() for b in sorted(targets) if stage(b) > stage(a)]
    assert upward == []


def test_no_import_cycle():
    arrows = graph()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(arrows[node]):
            if nxt in path:
                cycles.append(" → ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in done:
                visit(nxt, path + [nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(arrows):
        if start not in done:
            visit(start, [start])
    assert cycles == []


def test_no_module_is_imported_by_name():
    """Every import is an import statement the tests above (and mypy, and a reader) can see: no
    ``importlib.import_module``, no ``__import__`` (``importlib.metadata``, which reads package
    versions, is not an import of code)."""
    found = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [f"{name}: import {a.name}" for a in node.names if a.name == "importlib"]
            elif isinstance(node, ast.ImportFrom) and node.module == "importlib":
                found += [f"{name}: from importlib import {a.name}" for a in node.names if a.name != "metadata"]
            elif isinstance(node, ast.Name) and node.id in ("__import__", "import_module"):
                found.append(f"{name}: {node.id}")
            elif isinstance(node, ast.Attribute) and node.attr in ("import_module", "__import__"):
                found.append(f"{name}: .{node.attr}")
    assert found == []


#: words spelled like a kind's name that mean something else where they stand
SAME_SPELLING = {("slidegen.inputs.codebook", "gap"): "the codebook's key of a figure derived from a paired one"}


def test_a_kind_is_named_only_in_its_own_module():
    """A chart kind's decisions live in its module (slidegen/figures/kinds/<name>.py): no other
    module compares against a kind's name, keys by it or spells it — what another stage needs to
    know of a kind is a field of ChartKind."""
    from slidegen.figures.kinds import KINDS

    found = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in KINDS and name != f"slidegen.figures.kinds.{node.value}":
                if (name, node.value) not in SAME_SPELLING:
                    found.append(f"{name}:{node.lineno}: {node.value!r}")
    assert found == []
    assert sorted(KINDS) == sorted(p.stem for p in (PACKAGE / "figures" / "kinds").glob("*.py")
                                   if p.stem not in ("__init__", "base"))


def test_every_error_class_is_listed_in_errors_py():
    """One place to read what can go wrong: every SlidegenError subclass lives in slidegen.errors."""
    import importlib

    from slidegen.errors import SlidegenError

    for name in modules():
        if not name.endswith("__main__"):
            importlib.import_module(name)  # (the tests may import by name; slidegen may not)

    def subclasses(cls: type) -> list[type]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    found = subclasses(SlidegenError)
    assert len(found) >= 14
    assert {c.__module__ for c in found} == {"slidegen.errors"}
    assert all(isinstance(c.exit_code, int) and c.exit_code > 0 for c in found)


def test_the_public_surface_resolves_and_imports_nothing_heavy():
    """``slidegen.__all__`` names what a user calls; each resolves, and ``import slidegen`` alone
    loads no drawing or table library (so ``slidegen --help`` answers at once)."""
    import subprocess
    import sys

    import slidegen

    for name in slidegen.__all__:
        assert callable(getattr(slidegen, name)), name
    code = "import sys, slidegen; print(sorted(m for m in ('pandas', 'matplotlib', 'pptx', 'reportlab') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"


def test_every_reference_in_a_docstring_resolves():
    """A docstring's :mod:, :func:, :class:, :data: or :meth: reference names something that
    exists, so a module that moves takes its mentions with it."""
    import importlib
    import re

    broken = []
    for name, path in modules().items():
        for m in re.finditer(r":(?:mod|func|class|data|meth):`~?(slidegen\.[\w.]+)`", path.read_text(encoding="utf-8")):
            parts = m.group(1).split(".")
            for i in range(len(parts), 0, -1):  # the longest importable module, then attributes
                try:
                    target = importlib.import_module(".".join(parts[:i]))
                except ImportError:
                    continue
                for attribute in parts[i:]:
                    target = getattr(target, attribute, None)
                if target is None:
                    broken.append(f"{name}: {m.group(1)}")
                break
    assert broken == []
