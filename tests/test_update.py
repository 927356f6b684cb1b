"""`slidegen update`: a deck officials edited, refreshed with corrected data, their edits kept.

The R6 deck is built, then edited with python-pptx as an official would edit it in PowerPoint —
a chart moved and resized, a series recoloured, a heading changed, one sentence rewritten, another
edited around its 「約7割」, a slide added, one deleted, two swapped, a note written — and the data
corrected so that figure 1 falls below 65 %. `update` must carry the new numbers into every chart
and every sentence nobody touched, replace 「約7割」 inside the edited sentence, keep the rewritten
one and say so, and leave everything else as the official left it. The same again on the edited
deck re-saved by LibreOffice Impress, which renames placeholders and drops their numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import LIBREOFFICE, ROOT, charts_of, corrected_year, lo_edit
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu

from slidegen import pipeline
from slidegen.cli import main
from slidegen.errors import UpdateError
from slidegen.record import Record, read_record, write_record

EDITED = "調査の結果、約7割の自治体が金融機関と連携していた。"
REWRITTEN = "（担当者が書き換えた文）連携の状況は別紙のとおり。"
HEADING = "満足度（担当者が修正）"
NOTE = "担当者メモ：局長説明用に数字を確認済み"
RED = RGBColor(0xC0, 0x00, 0x00)


def shape_named(prs, name):
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.name == name:
                return slide, shape
    raise KeyError(name)


def paragraphs(shape) -> list[str]:
    return [p.text.replace("\v", "") for p in shape.text_frame.paragraphs]


def edit_as_an_official(deck: Path, out: Path) -> dict:
    """The edits an official makes in PowerPoint; what the test later looks for."""
    prs = Presentation(str(deck))
    _, chart3 = shape_named(prs, "slidegen:図3")
    chart3.left, chart3.top, chart3.width, chart3.height = Emu(6000000), Emu(2600000), Emu(5200000), Emu(3600000)
    _, band = shape_named(prs, "slidegen:図2")
    band_chart = next(s for s in band.shapes if s.has_chart).chart
    fill = band_chart.plots[0].series[1].format.fill
    fill.solid()
    fill.fore_color.rgb = RED
    _, heading = shape_named(prs, "slidegen:s5:heading")
    heading.text_frame.paragraphs[0].runs[0].text = HEADING
    _, summary = shape_named(prs, "slidegen:s2:bullets")
    rewritten = summary.text_frame.paragraphs[1]
    rewritten.runs[0].text = REWRITTEN
    _, lead = shape_named(prs, "slidegen:s3:bullets")
    lead.text_frame.paragraphs[0].runs[0].text = EDITED
    slide3 = lead.part.slide
    slide3.notes_slide.notes_text_frame.add_paragraph().text = NOTE
    added = prs.slides.add_slide(prs.slide_layouts.get_by_name("結果概要"))
    added.shapes.title.text = "担当者が追加したスライド"
    ids = prs.slides._sldIdLst
    slides = list(ids)
    prs.part.drop_rel(slides[15].rId)  # slide 16 (図18) deleted, as PowerPoint deletes it
    ids.remove(slides[15])
    slides[13].addnext(slides[12])  # slides 13 and 14 swapped
    prs.save(str(out))
    return {"chart3": (6000000, 2600000, 5200000, 3600000)}


def libreoffice_resave(deck: Path, folder: Path) -> Path:
    folder.mkdir()
    return lo_edit(deck, folder / deck.name)


@pytest.fixture(scope="module")
def scenario(r6, tmp_path_factory):
    folder = tmp_path_factory.mktemp("update")
    built = pipeline.build(r6, out=folder / "built" / "R6")
    edited = folder / "edited.pptx"
    expected = edit_as_an_official(built.out / "R6_deck.pptx", edited)
    corrected = corrected_year(r6, folder)
    fresh = pipeline.build(corrected, out=folder / "fresh" / "R6")
    return {"folder": folder, "edited": edited, "year": corrected, "fresh": fresh.out / "R6_deck.pptx", **expected}


def updated(year, deck: Path):
    result = pipeline.update(year, deck)
    return result, Presentation(str(result.deck))


def values(chart) -> list:
    plot = chart.plots[0]
    return [(s.name, list(s.values)) for s in plot.series] + [("categories", list(plot.categories))]


def check_updated(deck: Path, scenario, resaved: bool) -> None:
    result, prs = updated(scenario["year"], deck)
    fresh = Presentation(str(scenario["fresh"]))
    report = "\n".join(result.lines)
    # every chart carries the new values: those of a fresh build of the corrected data
    now, new = charts_of(prs), charts_of(fresh)
    deleted = {"slidegen:図18"}
    assert set(now) == set(new) - deleted
    for name, shape in now.items():
        assert values(shape.chart) == values(new[name].chart), name
    assert now["slidegen:図1:chart"].chart.plots[0].series[0].values[0] < 65
    # the moved and resized chart keeps its place and size; the recoloured series its colour
    chart3 = now["slidegen:図3"]
    slack = 1000 if resaved else 0  # LibreOffice keeps geometry in 1/100 mm (360 EMU), rounding twice
    place = (chart3.left, chart3.top, chart3.width, chart3.height)
    assert all(abs(a - b) <= slack for a, b in zip(place, scenario["chart3"])), place
    band = now["slidegen:図2:chart"].chart.plots[0].series[1]
    assert band.format.fill.fore_color.rgb == RED
    # the sentence edited around 「約7割」 keeps the official's words with the new share
    texts = [t for slide in prs.slides for s in slide.shapes if s.has_text_frame for t in paragraphs(s)]
    assert "調査の結果、約6割の自治体が金融機関と連携していた。" in texts
    assert "「約7割」→「約6割」" in report
    # the untouched sentence on the summary slide is the new build's; the rewritten one is kept and reported
    new_summary = paragraphs(shape_named(fresh, "slidegen:s2:bullets")[1])
    assert "約6割" in new_summary[1]
    assert REWRITTEN in texts and new_summary[1] not in texts
    old_summary = new_summary[1].replace("約6割", "約7割")
    assert f"    現「{REWRITTEN}」\n    旧「{old_summary}」\n    新「{new_summary[1]}」" in report
    untouched = new_summary[2]
    assert untouched in texts
    # the heading, the added slide, the order and the note are kept; the deleted slide is not back
    assert HEADING in texts
    headings = [s.shapes.title.text_frame.text.replace("\v", "") if s.shapes.title is not None else "" for s in prs.slides]
    fresh_headings = [s.shapes.title.text_frame.text.replace("\v", "") for s in fresh.slides]
    assert len(prs.slides) == 16  # 16 - 1 deleted + 1 added
    assert headings[-1] == "担当者が追加したスライド"
    assert headings[12] == fresh_headings[13] and headings[13] == fresh_headings[12]
    assert fresh_headings[15] not in headings
    assert "■ デッキにない要素（再追加せず）：1件\n  スライド（作成時16）「地方自治体が費用負担してでも外部機関に期待したい役割」: 削除されたものとみなし" in report
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    slide3_notes = next(n for n in notes if NOTE in n)
    fresh_notes = fresh.slides[2].notes_slide.notes_text_frame.text
    assert slide3_notes == fresh_notes + "\n" + NOTE  # slidegen's table refreshed, the official's note kept
    # the report is written beside the deck, and the deck records what slidegen wrote now
    assert result.report.read_text(encoding="utf-8").splitlines() == list(result.lines)
    assert read_record(prs).year == "R6"


def test_update_refreshes_an_edited_deck_and_keeps_the_edits(r6, scenario):
    check_updated(scenario["edited"], scenario, resaved=False)


@LIBREOFFICE
def test_update_works_on_a_deck_libreoffice_resaved(r6, scenario):
    resaved = libreoffice_resave(scenario["edited"], scenario["folder"] / "lo")
    names = {s.name for slide in Presentation(str(resaved)).slides for s in slide.shapes}
    assert "slidegen:s2:bullets" not in names  # LibreOffice renamed the placeholders
    check_updated(resaved, scenario, resaved=True)


def test_update_on_an_unedited_deck_matches_a_fresh_build(r6, scenario):
    """The texts and charts of an updated unedited deck are those of a fresh build of the same data."""
    built = scenario["folder"] / "built" / "R6" / "R6_deck.pptx"
    result, prs = updated(scenario["year"], built)
    fresh = Presentation(str(scenario["fresh"]))
    assert [sorted(paragraphs(s) for s in slide.shapes if s.has_text_frame) for slide in prs.slides] == [
        sorted(paragraphs(s) for s in slide.shapes if s.has_text_frame) for slide in fresh.slides
    ]  # (a text the new data calls for, such as a rounding note, is added after the others)
    now, new = charts_of(prs), charts_of(fresh)
    assert {n: values(c.chart) for n, c in now.items()} == {n: values(c.chart) for n, c in new.items()}
    assert [s.notes_slide.notes_text_frame.text for s in prs.slides] == [s.notes_slide.notes_text_frame.text for s in fresh.slides]
    assert "■ 要確認：手を加えられた文は変更せず：0件" in result.lines
    # the annotations grouped with each chart: the fresh build's texts, in the fresh build's places
    assert annotations(prs) == annotations(fresh)
    # and each sentence set at the fresh build's spacing (slide 2's are spaced to break well)
    assert spacings(prs) == spacings(fresh) and any(v != {None} for v in spacings(fresh).values())


def spacings(prs) -> dict[tuple[int, str], set]:
    """Each text paragraph's character spacing (its runs' spc), by slide and text."""
    return {
        (k, p.text): {r.font._rPr.get("spc") for r in p.runs}
        for k, slide in enumerate(prs.slides, start=1)
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        if p.runs
    }


def annotations(prs) -> dict[str, list]:
    """Each figure group's shapes: text and place (a line: its two ends)."""
    found = {}
    for slide in prs.slides:
        for group in slide.shapes:
            if group.shape_type == 6 and group.name.startswith("slidegen:図"):
                found[group.name] = [
                    (s.begin_x, s.begin_y, s.end_x, s.end_y)
                    if s.shape_type == 9
                    else (s.text_frame.text if s.has_text_frame else "", s.left, s.top, s.width, s.height)
                    for s in group.shapes
                ]
    return found


def test_update_never_touches_its_input_and_refuses_what_it_did_not_make(r6, scenario, tmp_path):
    edited = scenario["edited"]
    before = edited.read_bytes()
    first = pipeline.update(scenario["year"], edited, out=tmp_path / "a.pptx").deck.read_bytes()
    assert edited.read_bytes() == before
    again = pipeline.update(scenario["year"], edited, out=tmp_path / "a.pptx")  # its own file: replaced
    assert again.deck.read_bytes() == first  # the same inputs, the same bytes
    with pytest.raises(UpdateError, match="slidegen never changes its input"):
        pipeline.update(r6, edited, out=edited)
    foreign = tmp_path / "foreign.pptx"
    Presentation().save(str(foreign))
    with pytest.raises(UpdateError, match=r"slidegen did not build this deck \(it carries no slidegen record\)"):
        pipeline.update(r6, foreign)
    (tmp_path / "mine.txt").write_text("my own notes", encoding="utf-8")
    with pytest.raises(UpdateError, match="a file slidegen did not make is there"):
        pipeline.update(r6, edited, out=tmp_path / "mine.pptx")
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "my own notes"


def test_update_refuses_a_missing_deck_and_one_of_another_year(scenario, tmp_path):
    result = CliRunner().invoke(main, ["--root", str(ROOT), "update", "--year", "R6", str(tmp_path / "missing.pptx")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path / 'missing.pptx'}: no such file; name a deck slidegen built")
    prs = Presentation(str(scenario["edited"]))
    record = read_record(prs)
    write_record(prs, Record("R5", record.title, record.charts, record.slides, record.blocks))
    other = tmp_path / "R5_deck.pptx"
    prs.save(str(other))
    result = CliRunner().invoke(main, ["--root", str(ROOT), "update", "--year", "R6", str(other)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {other}: this deck was built for the survey year R5, not R6; run `slidegen update --year R5 {other}`.\n"
    )
    assert not (tmp_path / "R5_deck_更新.pptx").exists()


def test_a_picture_deck_gets_new_images_in_place(r6, scenario):
    """In a `--charts picture` deck each figure is a picture: `update` swaps the image and keeps the
    place, size and crop the official gave it."""
    folder = scenario["folder"] / "pictures"
    built = pipeline.build(r6, out=folder / "built" / "R6", charts="picture")
    prs = Presentation(str(built.out / "R6_deck.pptx"))
    _, picture = shape_named(prs, "slidegen:図1")
    picture.left, picture.top, picture.width, picture.height = Emu(914400), Emu(2743200), Emu(4572000), Emu(3200400)
    picture.crop_left, picture.crop_right = 0.1, 0.05
    edited = folder / "edited.pptx"
    prs.save(str(edited))
    result, now = updated(scenario["year"], edited)
    _, after = shape_named(now, "slidegen:図1")
    assert (after.left, after.top, after.width, after.height) == (914400, 2743200, 4572000, 3200400)
    assert (after.crop_left, after.crop_right) == (0.1, 0.05)
    fresh = pipeline.build(scenario["year"], out=folder / "fresh" / "R6", charts="picture", figures=True)
    assert after.image.blob == next((fresh.out / "figures").glob("fig01_*.png")).read_bytes()
    assert "64.5" in after._element.xpath("./p:nvPicPr/p:cNvPr/@descr")[0]
    assert "  スライド3（金融機関との連携状況について） 図1: 画像を差し替え" in result.lines


def test_the_update_command_prints_the_report_and_where_it_wrote(scenario, tmp_path):
    out = tmp_path / "v2.pptx"
    root = scenario["year"].root
    result = CliRunner().invoke(main, ["--root", str(root), "update", "--year", "R6", str(scenario["edited"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "slidegen update：edited.pptx → v2.pptx（R6）"
    assert lines[1].startswith("データ：responses.csv、訂正 ") and lines[1].endswith("件")
    assert lines[-1] == f"Wrote {out} and {out.with_suffix('.txt')}"
    assert "corrections: applied" in result.stderr


def test_update_sets_the_new_words_at_the_fresh_builds_spacing(r6, scenario, tmp_path):
    """A sentence nobody touched is rewritten in its formatting, but at the character spacing a
    fresh build gives its new words (slidegen's, so that they break well): here the summary's
    sentence the correction changes, set at another spacing in the deck being updated."""
    built = Presentation(str(scenario["folder"] / "built" / "R6" / "R6_deck.pptx"))
    fresh = Presentation(str(scenario["fresh"]))

    def summary(prs):
        return next(s for s in prs.slides[1].shapes if s.name.endswith(":bullets")).text_frame.paragraphs

    changed = [k for k, (a, b) in enumerate(zip(summary(built), summary(fresh))) if a.text != b.text]
    assert changed
    for k in changed:
        for r in summary(built)[k].runs:
            r.font._rPr.set("spc", "-70")  # as if the old words had needed another spacing
    deck = tmp_path / "R6_deck.pptx"
    built.save(str(deck))
    _, prs = updated(scenario["year"], deck)
    for k in changed:
        want = {r.font._rPr.get("spc") for r in summary(fresh)[k].runs}
        assert {r.font._rPr.get("spc") for r in summary(prs)[k].runs} == want != {"-70"}, k
