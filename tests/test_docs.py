"""The README documents the command line as it is (as sqlite-utils' test_docs does): every command
and every option of every command that ``--help`` shows appears in it."""

from __future__ import annotations

import click
from conftest import ROOT

from slidegen.cli import main


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for name, command in main.commands.items():
        if f"slidegen {name}" not in readme:
            missing.append(f"slidegen {name}")
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                long = [o for o in param.opts if o.startswith("--")]
                if long and not any(o in readme for o in long):
                    missing.append(f"slidegen {name} {long[0]}")
    for param in main.params:
        if isinstance(param, click.Option) and param.opts[0] not in ("--help", "--version"):
            if param.opts[0] not in readme:
                missing.append(param.opts[0])
    assert missing == []


def test_every_command_has_help():
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
