"""Cutting the survey by segment (issue 22, in part): the axes are data (data/segments.yaml), every
body of the master list falls in one segment of each, each segment's aggregates are its own
bodies' answers, and no share resting on one or two bodies can be read — nor worked back out."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, read_rows

from slidegen import pipeline
from slidegen.aggregate import HIDDEN_ROW, PERCENT, FigureTable, Row, Series, protect
from slidegen.cli import main
from slidegen.errors import SegmentsError
from slidegen.inputs.segments import SmallCells, load_segments

AXES = {"団体区分": 5, "都道府県": 47, "財務局": 11}


@pytest.fixture(scope="module")
def cuts(r6_inputs):
    return {axis: pipeline.cut(r6_inputs, axis) for axis in AXES}


def test_every_body_is_in_one_segment_of_each_axis(r6_inputs):
    segments = load_segments(ROOT / "data" / "segments.yaml", r6_inputs.master)
    assert {name: len(axis.values) for name, axis in segments.axes.items()} == AXES
    for axis in segments.axes.values():
        assert set(axis.of) == set(r6_inputs.master)
        assert sum(len(axis.codes(v)) for v in axis.values) == 1788
    bureaus = segments.axis("財務局")
    assert "福岡財務支局" in bureaus.values and "沖縄総合事務局" in bureaus.values
    assert bureaus.of["401005"] == "福岡財務支局" and bureaus.of["472018"] == "沖縄総合事務局"  # 福岡県, 那覇市
    assert segments.axis("団体区分").values == ("都道府県", "市", "町", "村", "特別区")


def test_a_prefecture_no_bureau_holds_is_named(r6_inputs, tmp_path):
    text = (ROOT / "data" / "segments.yaml").read_text(encoding="utf-8").replace("      沖縄総合事務局: [沖縄県]\n", "")
    (tmp_path / "segments.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SegmentsError, match="axis 財務局: no segment for 沖縄県"):
        load_segments(tmp_path / "segments.yaml", r6_inputs.master)


def test_each_segment_counts_its_own_bodies(cuts, r6_inputs):
    """The n of every segment, counted again from the response table and the master list."""
    rows = read_rows(r6_inputs.year.responses)
    q1 = rows[0].index("Q1")
    answered = {r[0]: r[q1] for r in rows[1:]}
    master = r6_inputs.master
    bureau_of = {p: b for b, ps in yaml.safe_load((ROOT / "data" / "segments.yaml").read_text(encoding="utf-8"))
                 ["axes"]["財務局"]["map"].items() for p in ps}
    segment_of = {"団体区分": lambda b: b.kind, "都道府県": lambda b: b.prefecture, "財務局": lambda b: bureau_of[b.prefecture]}
    for axis, cut in cuts.items():
        for segment in cut.segments:
            codes = {c for c, b in master.items() if segment_of[axis](b) == segment.value}
            assert segment.tables.survey.target == len(codes), (axis, segment.value)
            assert segment.tables.survey.responses == sum(c in answered for c in codes), (axis, segment.value)
            linked = sum(answered.get(c) == "1" for c in codes)
            assert segment.tables.figure(2).n == linked, (axis, segment.value)  # 図2's base: linked bodies
        national = pipeline.tables(r6_inputs)
        assert sum(s.tables.figure(1).n for s in cut.segments) == national.figure(1).n


def test_no_share_of_one_or_two_bodies_is_shown_or_derivable(cuts):
    for axis, cut in cuts.items():
        for segment in cut.segments:
            for number, shown in segment.figures.items():
                d = shown.to_dict()
                for series in d["series"]:
                    values = [r["value"] for r in series["rows"]]
                    for row in series["rows"]:
                        if row["count"] is not None:
                            assert not 0 < row["count"] <= 2, (axis, segment.value, number, row)
                    if d["answer"] == "single" and d["unit"] == PERCENT:
                        assert values.count(None) != 1, (axis, segment.value, number)  # 100 less the others
                        # … and the withheld rows' sum, which 100 less the others gives, names no body
                        withheld = sum(shown.table.series[0].rows[r].count or 0 for _, r in shown.hidden)
                        assert withheld == 0 or withheld > 2 or len(shown.hidden) == len(values), (axis, segment.value, number)
                assert d["reference"] == (d["n"] < 30)
    withheld = Counter(axis for axis, cut in cuts.items() for s in cut.segments for f in s.figures.values() if f.hidden)
    assert withheld["都道府県"] > 0  # the rule has work to do in small segments


def test_protect_withholds_a_small_cell_and_its_complement():
    rows = (Row("A", 40, 80.0, 1), Row("B", 8, 16.0, 2), Row("C", 2, 4.0, 3), Row("無回答", 0, 0.0))
    table = FigureTable(1, "t", "single", 50, PERCENT, (Series("全体", rows),), "all")
    shown = protect(table, SmallCells(2, 30))
    assert shown.hidden == {(0, 2), (0, 1)} and not shown.reference  # C, and B that 100 − A would give back
    tiny = FigureTable(1, "t", "single", 2, PERCENT, (Series("全体", rows),), "all")
    assert protect(tiny, SmallCells(2, 30)).hidden == {(0, i) for i in range(4)}
    multi = FigureTable(1, "t", "multi", 50, PERCENT, (Series("全体", rows),), "all")
    assert protect(multi, SmallCells(2, 30)).hidden == {(0, 2)}  # shares of a multiple answer do not add up


def test_a_segments_figure_holds_no_withheld_row(cuts):
    """What a segment's deck draws (Protected.shown_table): no withheld option's row — a single
    answer's merged into one 非表示 row, so its shares still add up to 100 — and the table names
    what it withholds."""
    for axis, cut in cuts.items():
        for segment in cut.segments:
            for number, protected in segment.figures.items():
                shown = protected.shown_table()
                hidden = {protected.table.series[0].rows[r].label for _, r in protected.hidden}
                if shown.n <= 2:  # nothing of it is shown: the deck says so in its place
                    assert all(s.rows == () for s in shown.series) and set(shown.withheld) == hidden
                    continue
                assert set(shown.withheld) == hidden and shown.reference == protected.reference
                for series in shown.series:
                    labels = [row.label for row in series.rows]
                    assert not hidden & set(labels), (axis, segment.value, number)
                    for row in series.rows:
                        assert row.count is None or not 0 < row.count <= 2 or row.label == HIDDEN_ROW
                    if shown.answer == "single" and hidden:
                        assert labels[-1] == HIDDEN_ROW
                        assert series.rows[-1].count == sum(
                            protected.table.series[0].rows[r].count for _, r in protected.hidden)
                        if shown.n:
                            assert abs(sum(row.value for row in series.rows) - 100) < 0.3
    rows = (Row("A", 40, 80.0, 1), Row("B", 8, 16.0, 2), Row("C", 2, 4.0, 3), Row("無回答", 0, 0.0))
    table = FigureTable(1, "t", "single", 50, PERCENT, (Series("全体", rows),), "all")
    shown = protect(table, SmallCells(2, 30)).shown_table()
    assert [(r.label, r.count, r.value) for r in shown.series[0].rows] == [
        ("A", 40, 80.0), (HIDDEN_ROW, 10, 20.0)]  # (無回答, chosen by none, is a part of no width: left out)
    assert shown.withheld == ("B", "C")


def test_tables_by_axis_as_json_and_text(r6_inputs, cuts):
    result = CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6", "--by", "財務局", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["axis"] == "財務局" and len(data["segments"]) == 11
    assert data == json.loads(json.dumps(cuts["財務局"].to_dict(), ensure_ascii=False))
    text = CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6", "--by", "都道府県"])
    assert text.exit_code == 0
    assert text.stdout.count("■ 都道府県：") == 47 and "■ 都道府県：沖縄県" in text.stdout
    assert "—：選んだ団体が2団体以下の選択肢は" in text.stdout and "【参考値】図" in text.stdout


def test_an_axis_the_file_lacks_is_named_with_those_it_has():
    result = CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6", "--by", "市町村"])
    assert result.exit_code == 1
    assert "no axis '市町村'; the axes are 団体区分, 都道府県, 財務局" in result.stderr


def test_the_comparison_workbook_is_tables_by_json_side_by_side(tmp_path):
    """`tables --by 団体区分 --xlsx FILE`: per figure, 全体 first then each segment, the n of each
    column, the shares `--json` gives (「—」 where withheld), and each difference from 全体 in points."""
    from openpyxl import load_workbook

    target = tmp_path / "比較表.xlsx"
    args = ["--root", str(ROOT), "tables", "--year", "R6", "--by", "団体区分", "--json", "--xlsx", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    by = json.loads(result.stdout)
    national = json.loads(CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6", "--json"]).stdout)
    wb = load_workbook(target)
    assert wb.properties.description == "slidegen 比較表" and wb.sheetnames[0] == "区分別の回答"
    audit = pytest.importorskip("openxml_audit").OpenXmlValidator().validate(str(target))
    assert [e for e in audit.errors if str(e.severity).lower().endswith("error")] == []
    names = [s["segment"] for s in by["segments"]]
    for figure in national["figures"]:
        grid = [list(r) for r in wb[f"図{figure['number']}"].iter_rows(values_only=True)]
        n_rows = [i for i, r in enumerate(grid) if r[0] == "n"]
        assert len(n_rows) == len(figure["series"])
        for s, at in enumerate(n_rows):
            header = grid[at - 1]
            assert header[1:2 + len(names)] == ["全体", *names]
            segments = [next(f for f in seg["figures"] if f["number"] == figure["number"]) for seg in by["segments"]]
            assert grid[at][1:2 + len(names)] == [figure["n"], *(f["n"] for f in segments)]
            for k, row in enumerate(figure["series"][s]["rows"]):
                line = grid[at + 2 + k]
                assert line[0] == row["label"] and line[1] == row["value"]
                for j, f in enumerate(segments):
                    theirs = next((r for r in f["series"][s]["rows"] if r["label"] == row["label"]), None)
                    expected = "" if theirs is None else "—" if theirs["value"] is None else theirs["value"]
                    got = "" if line[2 + j] is None else line[2 + j]  # (Excel keeps 0.0 as 0)
                    assert got == expected, (figure["number"], row["label"], names[j])
            if figure["unit"] == "percent":  # the differences from 全体, in points
                below = at + 2 + len(figure["series"][s]["rows"]) + 1
                assert grid[below][0].startswith("全体との差（ポイント）")
                for k, row in enumerate(figure["series"][s]["rows"]):
                    for j in range(len(names)):
                        share, diff = grid[at + 2 + k][2 + j], grid[below + 1 + k][1 + j]
                        assert diff == (round(share - row["value"], 1) if isinstance(share, (int, float)) else share)


def test_a_sentence_a_segment_breaks_falls_back_and_is_listed(cuts, r6_inputs):
    """In the 市 segment the published claim behind slide 6's 「自治体の半数が…」 (each about half)
    and slide 8's rankings do not hold: the segment's deck says deck.yaml's fallback, computed
    from the segment's data, never the national words; its cover names the segment and gives the
    segment's own counts; the build can list each one."""
    from slidegen.slides import slide_texts
    from slidegen.slides.sentences import Context

    city = next(s for s in cuts["団体区分"].segments if s.value == "市")
    spec, fell = pipeline.segment_deck(r6_inputs.deck, city.shown(), r6_inputs.codebook)
    context = Context(city.shown(), r6_inputs.codebook)
    slide6 = slide_texts(spec.slides[5], context, "slide 6")["bullets"]
    assert not any("半数が金融機関からの提案内容や実績" in t for t in slide6)
    assert slide6[-1] == "連携基準としては、" + "や".join(context.top(6, 2)) + "を挙げた地方自治体が多かった。"
    said = [f.said() for f in fell]
    assert any(line.startswith("スライド6（") and "前提" in line and slide6[-1] in line for line in said)
    assert [f.where[:5] for f in fell if f.instead is not None] == ["スライド6", "スライド8", "スライド8"]
    cover = slide_texts(spec.slides[0], context, "cover")["overview"]
    assert cover[:2] == ["── 集計区分 ：団体区分「市」", f"── 調査対象 ：市の{city.tables.survey.target}自治体"]
    assert not any("全国" in line for line in cover)
    # a segment with no small cell and no broken claim keeps every national sentence word for word
    national, none = pipeline.segment_deck(r6_inputs.deck, pipeline.tables(r6_inputs), r6_inputs.codebook)
    assert none == () and national == r6_inputs.deck


def test_a_sentence_resting_on_a_withheld_option_falls_back(cuts, r6_inputs):
    """Where a segment withholds options of a figure, a sentence that needs them (its ranking
    reaches them, its bracket sums them) is never printed with the segment's numbers."""
    from slidegen.slides.sentences import Context, NotShown

    for axis, cut in cuts.items():
        for segment in cut.segments:
            context = Context(segment.shown(), r6_inputs.codebook)
            for number, protected in segment.figures.items():
                if not protected.hidden or protected.table.answer != "multi" or number in (8, 9, 11, 12):
                    continue
                k = len(protected.table.series[0].rows)
                with pytest.raises(NotShown):
                    context.top(number, k)


@pytest.fixture(scope="module")
def by_kind(tmp_path_factory):
    """``slidegen build --year R6 --by 団体区分`` into a fresh folder: (output folder, result)."""
    out = tmp_path_factory.mktemp("by") / "R6"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "build", "--year", "R6", "--by", "団体区分", "--out", str(out)])
    return out, result


def test_build_by_writes_a_deck_per_segment_with_its_own_n(by_kind, cuts, r6_inputs):
    """Five decks, each all a build writes, the cover naming its segment and its own counts, every
    figure's n the segment's; no count of 1 or 2 bodies in any deck's data; the 比較表 beside."""
    from pptx import Presentation

    out, result = by_kind
    assert result.exit_code == 0, result.output
    folder = out / "segments" / "団体区分"
    assert result.stdout.splitlines()[0] == f"Wrote 5 decks in {folder}:"
    assert (folder / "R6_団体区分_比較表.xlsx").is_file()
    for segment in cuts["団体区分"].segments:
        deck = folder / segment.value
        assert sorted(p.name for p in deck.iterdir()) == [
            "R6_deck.html", "R6_deck.pptx", "R6_集計表.xlsx", "manifest.json"]
        manifest = json.loads((deck / "manifest.json").read_text(encoding="utf-8"))
        survey = manifest["tables"]["survey"]
        assert (survey["target"], survey["responses"]) == (segment.tables.survey.target, segment.tables.survey.responses)
        for figure in manifest["tables"]["figures"]:
            assert figure["n"] == segment.tables.figure(figure["number"]).n
            for series in figure["series"]:
                for row in series["rows"]:
                    assert not 0 < (row["count"] or 0) <= 2, (segment.value, figure["number"], row)
        cover = "\n".join(s.text_frame.text for s in Presentation(str(deck / "R6_deck.pptx")).slides[0].shapes if s.has_text_frame)
        assert f"集計区分 ：団体区分「{segment.value}」" in cover
        assert f"{segment.value}の{segment.tables.survey.target:,}自治体" in cover or f"{segment.value}の{segment.tables.survey.target}自治体" in cover
        assert "全国" not in cover
    assert "スライド6（" in result.stderr  # the sentences that fell back are listed


def test_a_national_rebuild_keeps_the_segment_decks(by_kind):
    out, _ = by_kind
    before = sorted(p.relative_to(out) for p in (out / "segments").rglob("*"))
    result = CliRunner().invoke(main, ["--root", str(ROOT), "build", "--year", "R6", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out) for p in (out / "segments").rglob("*")) == before
    assert (out / "R6_deck.pptx").is_file()
    # and says what it wrote itself: not the segment decks, nor their figure cache as 「figures/」
    own = [p for p in out.rglob("*") if p.is_file() and p.relative_to(out).parts[0] != "segments"]
    assert result.stdout.splitlines()[0] == f"Wrote {len(own)} files in {out}:"
    assert "figures/" not in result.stdout


def test_build_by_an_axis_the_file_lacks_is_named():
    result = CliRunner().invoke(main, ["--root", str(ROOT), "build", "--year", "R6", "--by", "市町村"])
    assert result.exit_code == 1
    assert "市町村" in result.stderr and "団体区分" in result.stderr


def test_a_figure_a_segment_has_no_body_for_is_said_in_its_place(cuts, r6_inputs):
    """都道府県 answer no question on why they do not work with a financial institution (図13, n = 0):
    their deck's slide 11 shows no figure and says why in its place."""
    prefectures = next(s for s in cuts["団体区分"].segments if s.value == "都道府県")
    assert prefectures.tables.figure(13).n == 0
    spec, fell = pipeline.segment_deck(r6_inputs.deck, prefectures.shown(), r6_inputs.codebook)
    slide = next(s for s in spec.slides if s.heading == "金融機関と連携していない理由")
    assert slide.figures == ()
    assert [b.text for b in slide.bullets] == ["この区分には図13の対象となる団体がないため、図はない。"]
    assert any(f.template == "図13" for f in fell)


def test_check_audits_a_segment_deck_against_its_segment(by_kind):
    """A segment's deck carries its segment in its record: ``check`` compares it with that
    segment's data (before, it compared the 村 deck with the whole survey and reported 462 of its
    numbers as wrong)."""
    out, _ = by_kind
    deck = out / "segments" / "団体区分" / "村" / "R6_deck.pptx"
    result = CliRunner().invoke(main, ["--root", str(ROOT), "check", "--year", "R6", str(deck)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "slidegen check：R6_deck.pptx（R6、団体区分「村」、データ：responses.csv、訂正 0件）"
    assert lines[-1].endswith("データと食い違う数値はない")


def test_update_refreshes_a_segment_deck_with_its_segments_data(by_kind, r6, tmp_path):
    """Corrections that move bodies of 北海道's 町 out of 連携あり: ``update`` of the 町 deck gives
    figure 1 the 町 segment's new shares (not the survey's) and leaves nothing ``check`` objects to."""
    from conftest import charts_of, corrected_year
    from pptx import Presentation

    out, _ = by_kind
    deck = out / "segments" / "団体区分" / "町" / "R6_deck.pptx"
    year = corrected_year(r6, tmp_path)
    result = pipeline.update(year, deck, out=tmp_path / "町_更新.pptx")
    assert result.lines[0] == "slidegen update：R6_deck.pptx → 町_更新.pptx（R6、団体区分「町」）"
    assert "■ 要確認：更新後もデータと食い違う数値（slidegen check）：0件" in result.lines
    towns = pipeline.one_segment(pipeline.load_inputs(year), "団体区分", "町").shown().figure(1)
    before = charts_of(Presentation(str(deck)))["slidegen:図1:chart"].chart.plots[0].series[0].values
    after = charts_of(Presentation(str(result.deck)))["slidegen:図1:chart"].chart.plots[0].series[0].values
    assert list(after) == [row.value for row in towns.series[0].rows] != list(before)
    assert towns.n == pipeline.one_segment(pipeline.load_inputs(year), "団体区分", "町").tables.figure(1).n


def test_a_unit_line_too_long_for_a_half_slot_breaks_before_its_n(by_kind):
    """特別区's figures are 参考値 (n = 8): beside another figure, 「（回答比率：％） (n=8、参考値)」 does not
    fit one line, so its n is a paragraph of its own — LibreOffice broke it as 「(n=8、参考/値)」."""
    from pptx import Presentation

    out, _ = by_kind
    prs = Presentation(str(out / "segments" / "団体区分" / "特別区" / "R6_deck.pptx"))
    slide = prs.slides[5]  # figures 5 and 6, side by side
    units = [s for s in slide.shapes if s.name.split(":")[-1] in ("unit1", "unit2")]
    assert [[p.text for p in s.text_frame.paragraphs] for s in units] == [["（回答比率：％）", "(n=8、参考値)"]] * 2


def test_a_figure_whose_every_option_is_withheld_is_said_in_its_place(cuts, r6_inputs):
    """特別区 (8 bodies with 連携) chose each option of figure 2 too rarely to show any: rather than a
    grey 「非表示 100.0」 band, slide 4 says why figure 2 is not there, and lists it as fallen back."""
    wards = next(s for s in cuts["団体区分"].segments if s.value == "特別区")
    shown = wards.shown()
    assert [row.label for row in shown.figure(2).series[0].rows] == ["非表示"]
    spec, fell = pipeline.segment_deck(r6_inputs.deck, shown, r6_inputs.codebook)
    slide = next(s for s in spec.slides if s.heading == "金融機関との連携関係の変化")
    assert slide.figures == (3,)
    assert slide.bullets[-1].text == "この区分では、図2のどの選択肢も選んだ団体が少なく、団体が特定されないよう図を表示していない。"
    assert any(f.template == "図2" and f.why == "どの選択肢も非表示の" for f in fell)
