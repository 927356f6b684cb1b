"""The project's own promises: the README's commands are the ones CI runs."""

from __future__ import annotations

import re

from conftest import ROOT


def test_ci_runs_the_readme_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    fresh = readme.split("## On a fresh machine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", fresh)
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install, test = commands
    assert install + " > /dev/null" in ci.splitlines()
    assert test in ci.splitlines()


def test_output_is_not_tracked():
    assert "/output/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
