"""The README documents the command line as it is (as sqlite-utils' test_docs does): every command
and every option of every command that ``--help`` shows appears in it, and every command it shows
runs."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
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


def readme_examples() -> list[tuple[str, list[str]]]:
    """Each ``sh`` block of the README that runs slidegen: its first command, and every slidegen
    command line in it (a leading ``pip install … &&`` left to the README's reader)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for body in re.findall(r"```sh\n(.*?)```", readme, re.S):
        lines = [line.split("&&")[-1].split("  #")[0].strip() for line in body.splitlines()]
        lines = [line for line in lines if line.startswith("slidegen")]
        if lines:
            blocks.append((lines[0], lines))
    return blocks


@pytest.fixture(scope="module")
def example_project(tmp_path_factory):
    """A copy of the project with the R6 deck built, and the files the README's examples name:
    fixed.csv and fixed.xlsx (the response table), office.pptx (the template), edited.pptx and
    局長説明用.pptx (the deck as officials received it), other/manifest.json (another build's)."""
    import shutil

    from conftest import read_rows
    from openpyxl import Workbook

    p = tmp_path_factory.mktemp("readme") / "project"
    shutil.copytree(ROOT / "data", p / "data")
    shutil.copytree(ROOT / "layouts", p / "layouts")
    assert CliRunner().invoke(main, ["--root", str(p), "build", "--year", "R6"]).exit_code == 0
    shutil.copy(p / "data" / "R6" / "responses.csv", p / "fixed.csv")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in read_rows(p / "data" / "R6" / "responses.csv")[:41]:  # another table: any 40 bodies will do
        sheet.append(row)
    workbook.save(p / "fixed.xlsx")
    shutil.copy(p / "layouts" / "slidegen.pptx", p / "office.pptx")
    for name in ("edited.pptx", "局長説明用.pptx"):
        shutil.copy(p / "output" / "R6" / "R6_deck.pptx", p / name)
    (p / "other").mkdir()
    shutil.copy(p / "output" / "R6" / "manifest.json", p / "other" / "manifest.json")
    return p


def example_runs() -> list[list[str]]:
    """What must run in one project copy, in order: a block whose commands use what an earlier one
    made (an update's 「_更新」 deck) as one run; any other command on its own."""
    runs = []
    for _, lines in readme_examples():
        if any("_更新" in line for line in lines):
            runs.append(lines)
        else:
            runs += [[line] for line in lines]
    return runs


EXAMPLES = example_runs()


@pytest.mark.parametrize("lines", EXAMPLES, ids=[" ; ".join(run)[:60] for run in EXAMPLES])
def test_every_readme_example_runs(lines, example_project, tmp_path, monkeypatch):
    """Every slidegen command the README shows runs as written (in a project with the files it
    names) and succeeds — after the commands of its block it depends on."""
    import shlex
    import shutil

    project = tmp_path / "project"
    shutil.copytree(example_project, project)
    monkeypatch.chdir(project)
    for line in lines:
        line = line.replace("/tmp/R6", str(tmp_path / "R6")).replace("~/slidegen-project", str(project))
        args = shlex.split(line)[1:]
        if "--root" not in args:
            args = ["--root", str(project), *args]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"{line}\n{result.output}"
