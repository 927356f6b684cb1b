"""`slidegen check`: every number of a deck slidegen built, however it was edited since, traced to the data.

The R6 deck is built once; the data is then corrected (figure 1 from 69.5 % to 64.5 %, every
figure of the linked bodies' n from 975 to 905). `check` must pass the fresh deck, name every stale
number of the old deck against the corrected data by slide and place, let a typed number that
agrees pass and name one that does not, name both copies of a duplicated slide, and read a deck
LibreOffice re-saved (its placeholders renamed) as it reads the original.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LIBREOFFICE, ROOT, deck_and_correction, lo_edit
from pptx import Presentation

from slidegen.cli import main


@pytest.fixture(scope="module")
def decks(r6, r6_build, tmp_path_factory):
    """The session's R6 deck (a copy), and a project whose corrections move figure 1 to 64.5 %."""
    folder = tmp_path_factory.mktemp("check")
    deck, year = deck_and_correction(r6, r6_build, folder)
    return {"folder": folder, "deck": deck, "corrected": year}


def check(root: Path, deck: Path, *more: str):
    return CliRunner().invoke(main, ["--root", str(root), "check", "--year", "R6", str(deck), *more])


def type_into(deck: Path, out: Path, old: str, new: str) -> Path:
    """``old`` replaced by ``new`` where it stands in a run of slide 3's sentence, as typed in PowerPoint."""
    prs = Presentation(str(deck))
    for shape in prs.slides[2].shapes:
        for p in shape.text_frame.paragraphs if shape.has_text_frame else []:
            for run in p.runs:
                if old in run.text:
                    run.text = run.text.replace(old, new)
                    prs.save(str(out))
                    return out
    raise AssertionError(f"{old!r} is not on slide 3")


def test_a_fresh_deck_passes(decks):
    result = check(ROOT, decks["deck"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "slidegen check：R6_deck.pptx（R6、データ：responses.csv、訂正 0件）"
    assert len(lines) == 2 and lines[1].endswith("件）：データと食い違う数値はない")
    checked = int(lines[1].split("照合した数値 ")[1].split("件")[0])
    assert checked > 600  # sentences, n, chart data, labels, alt text and notes of 16 slides


def test_after_a_correction_every_stale_number_is_named(decks):
    result = check(decks["corrected"].root, decks["deck"])
    assert result.exit_code == 1
    out = result.stdout
    for line in (
        "スライド3（金融機関との連携状況について）",
        "  本文：「…況を調査した結果、約7割の自治体がこれまで金…」の 7割 — データでは 6割",
        "  図1 グラフのデータ：「連携済みまたは連携予定あり」 69.5 — データでは 64.5",
        "  図1 ラベル：「69.5％」 — データでは 64.5",
        "  ノート：「…たは連携予定あり: 69.5％」の 69.5％ — データでは 64.5％",
        "  図2 単位・n：「…答比率：％） (n=975)」の 975 — データでは 905",
        "  図4 ラベル：「概ね満足している→86.1％」 — データでは 86.2",
        "スライド2（結果概要）",
    ):
        assert line + "\n" in out, line
    assert "図1 代替テキスト：" in out
    assert out.splitlines()[-1].startswith("照合した数値 ")
    # the same deck against the data it was built from, named on the command line: no finding
    assert check(decks["corrected"].root, decks["deck"], "--corrections", "none").exit_code == 0


def test_a_typed_number_passes_when_the_data_gives_it(decks, tmp_path):
    agrees = type_into(decks["deck"], tmp_path / "agrees.pptx", "約7割", "約7割（69.5％）")
    assert check(ROOT, agrees).exit_code == 0
    wrong = type_into(decks["deck"], tmp_path / "wrong.pptx", "約7割", "約7割（68.0％）")
    result = check(ROOT, wrong)
    assert result.exit_code == 1
    assert "  本文：「…査した結果、約7割（68.0％）の自治体がこれまで…」の 68.0％ — データにない値\n" in result.stdout


def test_a_chart_whose_data_was_edited_is_named(decks, tmp_path):
    """「データの編集」 in PowerPoint: the chart's own numbers no longer those of the data."""
    from pptx.chart.data import CategoryChartData

    prs = Presentation(str(decks["deck"]))
    frame = next(s for s in prs.slides[5].shapes if s.name == "slidegen:図5")
    chart = frame.chart
    data = CategoryChartData(number_format="0.0")
    data.categories = list(chart.plots[0].categories)
    values = list(chart.plots[0].series[0].values)
    values[0] = 92.0
    data.add_series(chart.plots[0].series[0].name, values)
    chart.replace_data(data)
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    result = check(ROOT, edited)
    assert result.exit_code == 1
    assert "  図5 グラフのデータ：「ノウハウ・情報源の拡充」 92.0 — データでは 70.3\n" in result.stdout


def test_a_figure_without_alt_text_is_named_and_update_puts_it_back(decks, tmp_path):
    """A LibreOffice re-save drops every figure's alt text: `check` names each figure that lost it
    (a screen reader gets nothing, and its numbers cannot be traced) and fails; `update` puts it back."""
    from slidegen.compare.check import NO_ALT

    prs = Presentation(str(decks["deck"]))
    group = next(s for s in prs.slides[4].shapes if s.name == "slidegen:図4")
    del group._element.xpath("./*[1]/p:cNvPr")[0].attrib["descr"]
    bare = tmp_path / "bare.pptx"
    prs.save(str(bare))
    result = check(ROOT, bare)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1] == f"要確認：代替テキストがない図 1件（スライド5 図4）— {NO_ALT}"
    assert lines[2].endswith("：データと食い違う数値はない")
    fixed = tmp_path / "fixed.pptx"
    updated = CliRunner().invoke(main, ["--root", str(ROOT), "update", "--year", "R6", str(bare), "--out", str(fixed)])
    assert updated.exit_code == 0, updated.output
    assert "■ 代替テキストを戻した（なくなっていた：LibreOfficeで保存すると消える）：1件\n  スライド5（金融機関との連携に関する満足度） 図4\n" in updated.stdout
    assert check(ROOT, fixed).exit_code == 0
    restored = next(s for s in Presentation(str(fixed)).slides[4].shapes if s.name == "slidegen:図4")
    assert restored._element.xpath("./*[1]/p:cNvPr")[0].get("descr") == group_alt(decks["deck"], 4, "slidegen:図4")


def group_alt(deck: Path, slide: int, name: str) -> str:
    shape = next(s for s in Presentation(str(deck)).slides[slide].shapes if s.name == name)
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")


@LIBREOFFICE
def test_both_copies_of_a_duplicated_slide_and_a_libreoffice_resave(decks):
    """A slide duplicated in LibreOffice (its copy's figure renamed 「slidegen:図 1」) and a phrase
    made bold: both copies are read as slide 3, by what they hold."""
    edited = lo_edit(decks["deck"], decks["folder"] / "lo.pptx", "duplicate:3", "bold:3:約7割")
    names = {s.name for slide in Presentation(str(edited)).slides for s in slide.shapes}
    assert "slidegen:s3:bullets" not in names  # LibreOffice renamed the placeholders
    resaved = check(ROOT, edited)  # every number agrees; the alt text LibreOffice dropped is named
    assert resaved.exit_code == 1
    assert resaved.stdout.splitlines()[1].startswith("要確認：代替テキストがない図 19件（スライド3 図1、スライド4 図1、スライド5 図2・図3、")
    assert resaved.stdout.splitlines()[-1].endswith("：データと食い違う数値はない")
    result = check(decks["corrected"].root, edited)
    assert result.exit_code == 1
    out = result.stdout
    for slide in ("スライド3", "スライド4"):
        block = out.split(f"{slide}（金融機関との連携状況について）\n")[1].split("スライド")[0]
        assert "  本文：「…況を調査した結果、約7割の自治体がこれまで金…」の 7割 — データでは 6割\n" in block
        assert "  図1 グラフのデータ：「連携済みまたは連携予定あり」 69.5 — データでは 64.5\n" in block
    assert "スライド5（金融機関との連携関係の変化）" in out  # slides after the copy named as they now stand


def test_check_refuses_what_is_not_a_deck_slidegen_built(tmp_path):
    missing = check(ROOT, tmp_path / "nope.pptx")
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: {tmp_path / 'nope.pptx'}: no such file; name a deck slidegen built (output/R6/R6_deck.pptx).\n"
    text = tmp_path / "memo.pptx"
    text.write_text("not a deck", encoding="utf-8")
    result = check(ROOT, text)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {text}: not a readable .pptx deck (BadZipFile")
    foreign = tmp_path / "foreign.pptx"
    Presentation().save(str(foreign))
    result = check(ROOT, foreign)
    assert result.exit_code == 1 and "slidegen did not build this deck" in result.stderr
    assert "`slidegen check` reads a deck" in result.stderr
