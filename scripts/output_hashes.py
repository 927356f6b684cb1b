"""Print the SHA-256 of everything slidegen makes for a year: the deck, the PDF, each figure, the
manifest (its code fingerprint and the inputs' own hashes left out), the tables as text, JSON and
集計表.xlsx.

    python scripts/output_hashes.py [--year R6] > hashes.txt

Two lists made before and after a change to the code show that what users get did not change
(a redesign must keep every byte). The first lines name the font file and the library versions,
which the bytes also depend on: compare lists made on the same machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from importlib.metadata import version
from pathlib import Path

from click.testing import CliRunner

from slidegen.build.manifest import LIBRARIES  # the libraries the bytes depend on
from slidegen.cli import main as cli

ROOT = Path(__file__).resolve().parents[1]


def slidegen(*args: str, cwd: Path) -> bytes:
    """What ``slidegen --root ROOT ARGS`` prints, run in this process (one import for every command)."""
    result = CliRunner().invoke(cli, ["--root", str(ROOT), *args], catch_exceptions=False)
    if result.exit_code != 0:
        raise SystemExit(f"slidegen {' '.join(args)} failed ({result.exit_code}):\n{result.output}")
    return result.stdout_bytes


def hashes(year: str) -> list[str]:
    """The list's lines: the libraries and the font, then each output's SHA-256 and name."""
    lines = [f"# {name} {version(name)}" for name in LIBRARIES]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = work / year
        slidegen("build", "--year", year, "--pdf", "--figures", "--out", str(out), cwd=work)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        lines.append(f"# font {manifest['font']}")
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        manifest.pop("fingerprint")
        for role in manifest["inputs"].values():  # an input file's hash is its own, not the code's doing
            role.pop("sha256", None)
        files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
        files["tables.txt"] = slidegen("tables", "--year", year, cwd=work)
        files["tables.json"] = slidegen("tables", "--year", year, "--json", cwd=work)
        slidegen("tables", "--year", year, "--xlsx", str(work / "集計表.xlsx"), cwd=work)
        files["集計表.xlsx"] = (work / "集計表.xlsx").read_bytes()
    return lines + [f"{hashlib.sha256(data).hexdigest()}  {name}" for name, data in files.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", default="R6")
    print("\n".join(hashes(parser.parse_args().year)))


if __name__ == "__main__":
    main()
