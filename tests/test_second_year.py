"""A second survey year with no new Python: the made-up test year T1 (tests/fixtures/T1/).

T1 has a codebook of its own — a question R6 lacks, four figures, another mix of charts — and a
small response table of invented answers. With only codebook.yaml and responses.csv, `tables`
works; with deck.yaml too, `build --pdf` makes its deck and PDF on the shared template.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from pptx import Presentation

from slidegen.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "T1"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with the real master list and template, and the year T1: codebook and responses only."""
    p = tmp_path / "project"
    (p / "data" / "T1").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "municipalities.csv", p / "data")
    shutil.copytree(ROOT / "layouts", p / "layouts")
    for name in ("codebook.yaml", "responses.csv"):
        shutil.copy(FIXTURE / name, p / "data" / "T1" / name)
    return p


def run(p: Path, *args: str):
    return CliRunner().invoke(main, ["--root", str(p), *args])


def test_tables_needs_only_a_codebook_and_a_response_table(project):
    result = run(project, "tables", "--year", "T1", "--json")
    assert result.exit_code == 0, result.output
    tables = json.loads(result.stdout)
    assert tables["year"] == "T1" and tables["survey"]["responses"] == 60
    assert [f["number"] for f in tables["figures"]] == [1, 2, 3, 4]
    assert [f["unit"] for f in tables["figures"]] == ["percent", "percent", "times", "percent"]
    assert run(project, "tables", "--year", "T1").exit_code == 0


def test_verify_without_published_values_says_so(project):
    result = run(project, "verify", "--year", "T1")
    assert result.exit_code == 1
    assert "published.yaml: no published values to verify against." in result.stderr


def test_build_needs_the_deck_spec_and_names_it(project):
    result = run(project, "build", "--year", "T1")
    assert result.exit_code == 1
    assert "data/T1/deck.yaml: the deck spec is missing" in result.stderr


def test_the_second_year_builds_a_deck_and_pdf(project):
    shutil.copy(FIXTURE / "deck.yaml", project / "data" / "T1" / "deck.yaml")
    result = run(project, "build", "--year", "T1", "--pdf", "--figures")
    assert result.exit_code == 0, result.output
    out = project / "output" / "T1"
    prs = Presentation(str(out / "T1_deck.pptx"))
    assert [s.slide_layout.name for s in prs.slides] == ["表紙", "図1", "図2", "図1"]
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "試験用の架空調査" in text and "DXに着手していると回答した" in text
    assert "テスト用の架空データです" in text  # the sample notice on the data slides
    with zipfile.ZipFile(out / "T1_deck.pptx") as z:  # four figures, the paired one two charts
        assert sum(n.startswith("ppt/charts/chart") for n in z.namelist()) == 5
    assert (out / "T1_deck.pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in (out / "figures").glob("*.png")) == [
        "fig01_DXの取組状況.png", "fig02_外部から受けた支援（実績）・今後受けたい支援.png",
        "fig03_支援の実績と希望のギャップ（倍率）.png", "fig04_最も不足している資源.png"]
    assert "warning" not in result.stderr
