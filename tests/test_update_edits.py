"""`slidegen update` on what officials really do to a deck: slides duplicated and moved (in
LibreOffice itself), phrases formatted, numbers typed, deck.yaml changed since the build, damaged
charts — each refreshed or reported, never half done, never a person's text deleted.

The R6 deck is built from the shipped data; the data is then corrected (figure 1 from 69.5 % to
64.5 %) and the edited deck updated. After each update `check` finds nothing the data does not give,
except what the test typed wrong on purpose.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import LIBREOFFICE, deck_and_correction, lo_edit
from pptx import Presentation

from slidegen import pipeline
from slidegen.cli import main
from slidegen.record.located import figure_in, paragraph_text

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"


@pytest.fixture(scope="module")
def decks(r6, r6_build, tmp_path_factory):
    """The session's R6 deck (a copy), and a project whose corrections move figure 1 to 64.5 %."""
    folder = tmp_path_factory.mktemp("edits")
    deck, year = deck_and_correction(r6, r6_build, folder)
    return {"folder": folder, "deck": deck, "year": year}


def bullets(slide) -> list:
    """The paragraphs of a slide's sentence block (the placeholder that holds 「約…割」)."""
    for shape in slide.shapes:
        if shape.has_text_frame and "連携状況を調査した結果" in shape.text_frame.text:
            return list(shape.text_frame.paragraphs)
    raise AssertionError("no sentence block on this slide")


def figure_values(slide, figure: int) -> list[float]:
    for shape in slide.shapes:
        if figure_in(shape) == figure:
            charts = [s for s in shape.shapes if s.has_chart] if shape.shape_type == 6 else [shape]
            return list(charts[0].chart.plots[0].series[0].values)
    raise AssertionError(f"no 図{figure} on this slide")


def set_apart(p, phrase: str, after: str = ""):
    """``phrase`` of a paragraph's first run made a run of its own, as PowerPoint splits a run to
    format part of it (the rest keeps slidegen's language); ``after`` typed at the end. The run."""
    run = p.runs[0]
    before, rest_text = run.text.split(phrase)
    run.text = before
    apart = p.add_run()
    apart.text = phrase
    rest = p.add_run()
    rest.text = rest_text + after
    for r in (apart, rest):  # slidegen's language, as PowerPoint copies it
        r._r.get_or_add_rPr().set("lang", "ja-JP")
    return apart


def edit_sentence(deck: Path, out: Path, edit) -> Path:
    prs = Presentation(str(deck))
    edit(bullets(prs.slides[2])[0])
    prs.save(str(out))
    return out


def update(year, deck: Path, out: Path):
    result = pipeline.update(year, deck, out=out)
    return result, Presentation(str(result.deck)), "\n".join(result.lines)


def clean(report: str) -> None:
    assert "■ 要確認：更新後もデータと食い違う数値（slidegen check）：0件" in report


@LIBREOFFICE
def test_both_copies_of_a_slide_duplicated_in_libreoffice_are_refreshed(decks):
    edited = lo_edit(decks["deck"], decks["folder"] / "dup.pptx", "duplicate:3", "duplicate:6")
    result, prs, report = update(decks["year"], edited, decks["folder"] / "dup_更新.pptx")
    for k in (2, 3):
        assert "約6割" in bullets(prs.slides[k])[0].text
        assert figure_values(prs.slides[k], 1)[0] == 64.5
        assert "64.5％" in prs.slides[k].notes_slide.notes_text_frame.text
    # LibreOffice's copy turned the labels' value fields into text: the copy's chart is drawn afresh
    assert "  スライド4（金融機関との連携状況について） 図1:\n    ラベルがグラフのデータにつながっていない" in report
    for k in (5, 6):  # 図4's slide and its copy: the rounding note the new data calls for, on both
        texts = [s.text_frame.text for s in prs.slides[k].shapes if s.has_text_frame]
        assert any(t.startswith("※比率は小数第2位を四捨五入") for t in texts), texts
    clean(report)


@LIBREOFFICE
def test_a_slide_moved_in_libreoffice_is_found_by_what_it_holds(decks):
    edited = lo_edit(decks["deck"], decks["folder"] / "moved.pptx", "move:3:6")
    names = {s.name for s in Presentation(str(edited)).slides[5].shapes}
    assert "slidegen:図1" not in names  # LibreOffice renamed the moved slide's figure
    result, prs, report = update(decks["year"], edited, decks["folder"] / "moved_更新.pptx")
    assert figure_values(prs.slides[5], 1)[0] == 64.5
    assert "約6割" in bullets(prs.slides[5])[0].text
    assert "  スライド6（金融機関との連携状況について） 本文:" in report
    assert "削除されたものとみなし" not in report
    clean(report)


@LIBREOFFICE
def test_a_phrase_bolded_in_libreoffice_keeps_its_bold(decks):
    edited = lo_edit(decks["deck"], decks["folder"] / "bold.pptx", "bold:3:約7割")
    result, prs, report = update(decks["year"], edited, decks["folder"] / "bold_更新.pptx")
    runs = bullets(prs.slides[2])[0].runs
    assert [r.text for r in runs if r.font.bold] in (["約6割"], ["約", "6", "割"])
    assert "本文: 「約7割」→「約6割」（書式はそのまま）" in report
    clean(report)


def test_formatting_inside_an_edited_sentence_is_kept(decks):
    """Bold on 「7割」 alone, as PowerPoint splits the run: the new 「6割」 is bold, 「約」 is not."""

    def bold_7wari(p):
        set_apart(p, "7割").font.bold = True

    edited = edit_sentence(decks["deck"], decks["folder"] / "b7.pptx", bold_7wari)
    result, prs, report = update(decks["year"], edited, decks["folder"] / "b7_更新.pptx")
    p = bullets(prs.slides[2])[0]
    assert "約6割の自治体" in p.text
    assert [r.text for r in p.runs if r.font.bold] == ["6割"]
    assert "「約7割」→「約6割」（書式はそのまま）" in report
    assert "文を更新（手を加えられていない文）" in report and "スライド3（金融機関との連携状況について） 本文:\n    旧" not in report


def test_a_typed_number_of_the_old_data_gets_the_new_value(decks):
    def typed(p):
        p.runs[0].text = p.runs[0].text.replace("約7割", "約7割（69.5％）")

    edited = edit_sentence(decks["deck"], decks["folder"] / "typed.pptx", typed)
    result, prs, report = update(decks["year"], edited, decks["folder"] / "typed_更新.pptx")
    assert "約6割（64.5％）の自治体" in bullets(prs.slides[2])[0].text
    assert "「約7割」→「約6割」、手で書かれた数値 「69.5％」→「64.5％」" in report
    clean(report)


def test_a_typed_number_the_data_never_gave_is_reported(decks):
    def typed(p):
        p.runs[0].text = p.runs[0].text.replace("約7割", "約7割（68.0％）")

    edited = edit_sentence(decks["deck"], decks["folder"] / "wrong.pptx", typed)
    result, prs, report = update(decks["year"], edited, decks["folder"] / "wrong_更新.pptx")
    assert "約6割（68.0％）の自治体" in bullets(prs.slides[2])[0].text  # a person's number is not guessed at
    assert "■ 要確認：更新後もデータと食い違う数値（slidegen check）：1件\n  スライド3（金融機関との連携状況について）\n" in report
    assert "の 68.0％ — データにない値" in report


def test_a_slide_dropped_from_deck_yaml_keeps_its_text(decks, tmp_path):
    year = decks["year"]
    spec = year.root / "data" / "R6" / "deck.yaml"
    saved = spec.read_bytes()
    deck_yaml = yaml.safe_load(saved.decode("utf-8"))
    dropped = deck_yaml["slides"].pop(3)  # slide 4: figures 2 and 3
    try:
        spec.write_text(yaml.safe_dump(deck_yaml, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result, prs, report = update(year, decks["deck"], tmp_path / "dropped.pptx")
    finally:
        spec.write_bytes(saved)
    before = [paragraph_text(p._p) for p in Presentation(str(decks["deck"])).slides[3].shapes[1].text_frame.paragraphs]
    after = [paragraph_text(p._p) for p in prs.slides[3].shapes[1].text_frame.paragraphs]
    assert before == after and after[0]
    assert f"スライド4（{dropped['heading']}）: deck.yaml にないスライド（作成後に外された）のため、そのまま" in report
    assert figure_values(prs.slides[2], 1)[0] == 64.5  # the other slides are refreshed as ever


def test_out_must_be_a_pptx_and_a_damaged_chart_is_a_clear_error(decks, tmp_path):
    root = decks["year"].root
    result = CliRunner().invoke(
        main, ["--root", str(root), "update", "--year", "R6", str(decks["deck"]), "--out", str(tmp_path / "r.txt")]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --out {tmp_path / 'r.txt'}: expected the name of the .pptx deck to write")
    assert list(tmp_path.iterdir()) == []
    prs = Presentation(str(decks["deck"]))
    frame = next(s for s in prs.slides[5].shapes if s.name == "slidegen:図5")
    for ser in list(frame.chart._chartSpace.iter(f"{{{C}}}ser")):
        ser.getparent().remove(ser)
    damaged = tmp_path / "damaged.pptx"
    prs.save(str(damaged))
    result = CliRunner().invoke(main, ["--root", str(root), "update", "--year", "R6", str(damaged)])
    assert result.exit_code == 1, result.output
    assert "スライド6（金融機関との連携理由・連携基準） 図5: the chart's data cannot be read" in result.stderr
    assert not (tmp_path / "damaged_更新.pptx").exists()


def test_an_update_of_an_updated_deck_changes_nothing(decks):
    first = pipeline.update(decks["year"], decks["deck"], out=decks["folder"] / "once.pptx")
    second = pipeline.update(decks["year"], first.deck, out=decks["folder"] / "twice.pptx")
    a, b = (zipfile.ZipFile(io.BytesIO(p.read_bytes())) for p in (first.deck, second.deck))
    assert a.namelist() == b.namelist()
    assert [n for n in a.namelist() if a.read(n) != b.read(n)] == []
    assert "■ グラフ・図を更新：0件" in second.lines and "■ 文を更新（手を加えられていない文）：0件" in second.lines


def test_a_record_that_does_not_match_the_deck_never_deletes_text(decks, tmp_path):
    """A record whose slide 3 is numbered 99 (as if the deck had been rebuilt from another
    deck.yaml): the slide is still found by its figure and refreshed; no text is deleted or added."""
    import dataclasses

    from slidegen.record import read_record, write_record

    prs = Presentation(str(decks["deck"]))
    record = read_record(prs)
    slides = tuple(dataclasses.replace(s, slide=99) if s.slide == 3 else s for s in record.slides)
    blocks = tuple(dataclasses.replace(b, slide=99) if b.slide == 3 else b for b in record.blocks)
    write_record(prs, dataclasses.replace(record, slides=slides, blocks=blocks))
    odd = tmp_path / "odd.pptx"
    prs.save(str(odd))
    before = [len(s.shapes) for s in Presentation(str(odd)).slides]
    result, now, report = update(decks["year"], odd, tmp_path / "odd_更新.pptx")
    assert len(now.slides[2].shapes) == before[2]  # slide 3: nothing deleted, nothing added
    assert figure_values(now.slides[2], 1)[0] == 64.5 and "約6割" in bullets(now.slides[2])[0].text
    assert "不要になったため削除" not in report


def test_a_reordered_ranking_in_a_formatted_phrase_is_said_and_keeps_its_look(decks, r6, responses_copy, tmp_path):
    """The official made 「教育機関と金融機関」 red and bold in slide 13's sentence and added words; the
    data then puts 金融機関 first. The phrase becomes 「金融機関と教育機関」, still red and bold, and
    the report says the ranking changed, in the sentence and in the chart."""
    from pptx.dml.color import RGBColor

    def more_banks(rows):
        header = rows[0]
        a, b = header.index("Q15A_02"), header.index("Q15B_02")
        moved = 0
        for row in rows[1:]:
            if row[a] == "0" and moved < 80:
                row[a] = row[b] = "1"
                moved += 1

    data = responses_copy(more_banks)
    prs = Presentation(str(decks["deck"]))
    shape = next(s for s in prs.slides[12].shapes if s.has_text_frame and "教育機関と金融機関が上位" in s.text_frame.text)
    p = shape.text_frame.paragraphs[0]
    red = set_apart(p, "教育機関と金融機関", after="（担当者追記）")
    red.font.bold = True
    red.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    edited = tmp_path / "red.pptx"
    prs.save(str(edited))
    result = pipeline.update(r6, edited, out=tmp_path / "red_更新.pptx", data=data)
    report = "\n".join(result.lines)
    p = next(
        s for s in Presentation(str(result.deck)).slides[12].shapes if s.has_text_frame and "（担当者追記）" in s.text_frame.text
    ).text_frame.paragraphs[0]
    assert "金融機関と教育機関が上位となった。（担当者追記）" in p.text
    styled = [r for r in p.runs if r.font.bold]
    assert "".join(r.text for r in styled) == "金融機関と教育機関"
    assert all(r.font.color.rgb == RGBColor(0xC0, 0x00, 0x00) for r in styled)
    assert "「教育機関と金融機関」→「金融機関と教育機関」（順位が入れ替わった）（書式はそのまま）" in report
    assert "並び順が入れ替わった：金融機関※1、教育機関" in report


def test_a_chart_copied_onto_an_officials_own_slide_is_refreshed_there_too(decks, tmp_path):
    """図5's chart pasted (with its name, as PowerPoint pastes it) onto a slide an official added:
    both the chart and its copy get the new numbers; the official's slide is not taken for 図5's."""
    import copy

    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Emu

    prs = Presentation(str(decks["deck"]))
    original = next(s for s in prs.slides[5].shapes if s.name == "slidegen:図5")
    own = prs.slides.add_slide(prs.slide_layouts.get_by_name("結果概要"))
    own.shapes.title.text = "担当者のまとめ"
    data = CategoryChartData()
    data.categories = ["仮"]
    data.add_series("仮", [1.0])
    pasted = own.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Emu(914400), Emu(2743200), original.width, original.height, data)
    pasted.chart.part._element = copy.deepcopy(original.chart.part._element)  # its own copy of the chart
    pasted.name = "slidegen:図5"
    edited = tmp_path / "pasted.pptx"
    prs.save(str(edited))
    result, now, report = update(decks["year"], edited, tmp_path / "pasted_更新.pptx")
    assert figure_values(now.slides[5], 5) == figure_values(now.slides[16], 5)
    assert figure_values(now.slides[16], 5)[0] == 70.5  # the corrected data's
    assert "  スライド17（担当者のまとめ） 図5:\n    ノウハウ・情報源の拡充 70.3 → 70.5" in report
    assert now.slides[16].shapes.title.text == "担当者のまとめ"
    clean(report)


def test_a_figure_an_older_slidegen_drew_is_drawn_afresh(decks, tmp_path):
    """A band whose labels were shapes (as slidegen drew them before they were the chart's data):
    update draws it afresh where it stands, says so, and the deck then checks clean."""
    A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    prs = Presentation(str(decks["deck"]))
    group = next(s for s in prs.slides[3].shapes if s.name == "slidegen:図2")
    chart = next(s for s in group.shapes if s.has_chart).chart
    for fld in list(chart._chartSpace.iter(f"{A}fld")):  # an older chart: no value fields in its labels
        fld.getparent().remove(fld)
    older = tmp_path / "older.pptx"
    prs.save(str(older))
    result, now, report = update(decks["year"], older, tmp_path / "older_更新.pptx")
    assert "スライド4（金融機関との連携関係の変化） 図2:\n    ラベルがグラフのデータにつながっていない（以前のslidegenの形式" in report
    names = [s.name for s in now.slides[3].shapes]
    assert names.count("slidegen:図2") == 1 and names.index("slidegen:図2") == [s.name for s in prs.slides[3].shapes].index("slidegen:図2")
    fresh = next(s for s in now.slides[3].shapes if s.name == "slidegen:図2")
    band = next(s for s in fresh.shapes if s.has_chart)
    assert [s.values[0] for s in band.chart.plots[0].series][:2] == [30.2, 61.0]
    assert (fresh.left, fresh.top, fresh.width, fresh.height) == (group.left, group.top, group.width, group.height)
    clean(report)
