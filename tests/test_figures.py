"""The 18 figures, read back from their drawings (slidegen.figures.vector): bars, labels, values, annotations."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, without_shared_cache
from PIL import Image

from slidegen import figures
from slidegen.aggregate import NOTES, Series
from slidegen.errors import SlidegenError
from slidegen.figures import style, wording
from slidegen.figures.fonts import FontError, resolve_font


@pytest.fixture(scope="module")
def font():
    return resolve_font()


@pytest.fixture(scope="module")
def drawn(r6_inputs, r6_tables, font, theme):
    """Every figure of the R6 deck, drawn in its slot."""
    slots = r6_inputs.deck.slots()
    return {
        spec.number: figures.draw(spec, r6_tables.figure(spec.number), r6_inputs.codebook, slots[spec.number], font, theme)
        for spec in r6_inputs.codebook.figures
    }


def artists(fig, prefix):
    """The shapes whose gid starts with ``prefix``, in drawing order."""
    return fig.find(prefix)


def plain(label: str) -> str:
    """A label without the † a sample deck puts after an option it invented (tested on its own)."""
    return label.replace("†", "")


def bar_labels(fig, series=""):
    """Option labels of the bars of a series, top to bottom (or left to right for shares)."""
    bars = artists(fig, f"bar:{series}:")
    key = (lambda b: -b.y) if hasattr(bars[0], "y") else (lambda b: 0)
    return [plain(b.gid.split(":", 2)[2]) for b in sorted(bars, key=key)]


def texts(fig, prefix):
    """{gid: text} of the texts whose gid starts with ``prefix``, † left out."""
    return {plain(t.gid): plain(t.text) for t in fig.texts(prefix)}


def test_every_figure_is_drawn_in_its_kind(r6_inputs, drawn):
    kinds = {spec.number: spec.chart for spec in r6_inputs.codebook.figures}
    assert kinds == {1: "doughnut", 2: "band", 3: "ranking", 4: "band", 5: "ranking", 6: "ranking", 7: "paired",
                     8: "gap", 9: "gap", 10: "paired", 11: "gap", 12: "gap", 13: "ranking", 14: "ranking",
                     15: "paired", 16: "ranking", 17: "ranking", 18: "ranking"}
    assert len(drawn) == 18


@pytest.mark.parametrize("number", [3, 5, 6, 13, 14, 16, 17, 18])
def test_ranking_bars_sorted_with_other_and_no_answer_last(r6_tables, drawn, number):
    table = r6_tables.figure(number)
    rows = table.series[0].rows
    labels = bar_labels(drawn[number], "全体")
    assert len(labels) == len(rows)
    tail = ["その他", "特にない", "無回答"] if "特にない" in labels else ["その他", "無回答"]  # 特にない: no answer in substance
    assert labels[-len(tail):] == tail
    values = {r.label: r.value for r in rows}
    head = [values[label] for label in labels[: -len(tail)]]
    assert head == sorted(head, reverse=True)
    # every bar carries its value, as printed
    shown = texts(drawn[number], "value:全体:")
    assert shown == {f"value:全体:{r.label}": f"{r.value:.1f}" for r in rows}


@pytest.mark.parametrize("number, unit", [(8, "points"), (9, "times"), (11, "points"), (12, "times")])
def test_gap_bars_are_the_top_five_in_order(r6_tables, drawn, number, unit):
    rows = r6_tables.figure(number).series[0].rows
    name = r6_tables.figure(number).series[0].name
    assert bar_labels(drawn[number], name) == [r.label for r in rows] and len(rows) == 5
    shown = list(texts(drawn[number], f"value:{name}:").values())
    assert shown == [wording.value_text(r.value, unit) for r in rows]
    if unit == "times":
        assert all(s.endswith("倍") for s in shown)


def test_band_brackets_are_summed_from_the_data(r6_tables, drawn):
    assert texts(drawn[2], "bracket") == {"bracket": "深い連携関係を維持・構築→91.3％"}
    assert texts(drawn[4], "bracket") == {"bracket": "概ね満足している→86.1％"}
    # parts in codebook order, 無回答 last, each labelled with its share
    assert [a.gid for a in artists(drawn[2], "bar::")] == [f"bar::{r.label}" for r in r6_tables.figure(2).series[0].rows]
    labels = texts(drawn[4], "label:")
    assert labels["label:満足している"] == "満足している\n27.5"
    assert labels["label:無回答"] == "無回答\n1.7"


def test_band_bracket_follows_the_data(r6_inputs, r6_tables, font, theme):
    """Change the counts: the bracket's sum is computed, never typed."""
    spec = r6_inputs.codebook.figure(4)
    table = r6_tables.figure(4)
    rows = list(table.series[0].rows)
    rows[0] = dataclasses.replace(rows[0], count=rows[0].count - 100, value=17.2)
    rows[2] = dataclasses.replace(rows[2], count=rows[2].count + 100, value=21.5)
    changed = dataclasses.replace(table, series=(Series("全体", tuple(rows)),))
    fig = figures.draw(spec, changed, r6_inputs.codebook, "full", font, theme)
    assert texts(fig, "bracket") == {"bracket": "概ね満足している→75.8％"}  # (168 + 571) / 975


def test_band_labels_sit_under_their_own_part_or_hang_from_a_leader(r6_tables, drawn):
    """Figure 4: a label as wide as its part or narrower is centred under it; the small parts'
    labels hang from leaders at least 1 pt wide, each at its part's middle, crossing nothing (the
    figure check would fail the build): centred in a box whose right edge meets the leader, as
    LibreOffice sets the native chart's data label, their widest line ends just left of it."""
    fig = drawn[4]
    parts = {a.gid[5:]: a for a in artists(fig, "bar::")}
    labels = {t.gid[6:]: t for t in fig.texts("label:")}
    leaders = {line.gid[7:]: line for line in artists(fig, "leader:")}
    assert set(leaders) == {"満足していない", "無回答"}
    for label, part in parts.items():
        middle = part.x + part.w / 2
        if label in leaders:
            assert list(leaders[label].xs) == pytest.approx([middle, middle], abs=0.002) and leaders[label].width >= 1
            text = labels[label]
            widest = max(fig.font.width(line, text.size) for line in text.text.split("\n"))
            assert middle - 12 <= text.x + widest / 2 <= middle + 2  # its widest line ends at the leader
        else:
            assert labels[label].x == pytest.approx(middle, abs=0.002)


def test_a_leader_crossing_a_label_fails_the_figure_check(font):
    from slidegen.figures import check_layout
    from slidegen.figures.layout import FitError
    from slidegen.figures.vector import Drawing, Line, Text

    fig = Drawing(288, 144, font)
    fig.shapes += [Text(100, 60, "became distant", 10, "#000000", "label:a"),
                   Text(10, 100, "no answer", 10, "#000000", "label:b")]
    check_layout(fig)
    fig.shapes.append(Line((120, 120), (140, 50), "#000000", 1, "leader:b"))  # down through label a
    with pytest.raises(FitError, match="the leader of 'b' crosses the text 'became distant'"):
        check_layout(fig)
    fig.shapes[-1] = Line((20, 20), (140, 95), "#000000", 1, "leader:b")  # its own label: allowed
    check_layout(fig)
    fig.shapes.append(Text(280, 20, "outside", 10, "#000000", "label:c"))
    with pytest.raises(FitError, match="the text 'outside' runs outside the figure"):
        check_layout(fig)
    fig.shapes[-1] = Text(105, 62, "on top", 10, "#000000", "label:c")
    with pytest.raises(FitError, match="the texts 'became distant' and 'on top' overlap"):
        check_layout(fig)


def test_a_band_too_crowded_to_hang_its_labels_is_refused():
    from slidegen.figures.layout import FitError, band_labels

    spans = [(0, 400)] + [(400 + 4 * i, 404 + 4 * i) for i in range(8)]
    with pytest.raises(FitError, match="cannot be hung from leaders without crossing"):
        band_labels(spans, [60] * 9, 0, 432)
    places = band_labels(spans[:4], [60] * 4, 0, 432)  # three small parts: a staircase of leaders
    assert [p.tier for p in places] == [0, 0, 1, 2] and [p.leader for p in places] == [False, True, True, True]


def test_band_colours_set_favourable_answers_apart(drawn, theme):
    """The answers the bracket sums in the main hues; the others in a contrasting hue; 無回答 grey."""
    colours = {a.gid[5:]: a.fill for a in artists(drawn[4], "bar::")}
    assert colours == {
        "満足している": theme.rgb("accent1"),
        "どちらかと言えば満足している": theme.rgb("accent2"),
        "どちらかと言えば満足していない": theme.rgb("accent5"),
        "満足していない": theme.rgb("accent6"),
        "無回答": "#D9D9D9",
    }


def test_doughnut(drawn):
    assert texts(drawn[1], "center") == {"center-label": "連携あり（予定含む）", "center": "69.5％"}
    assert bar_labels(drawn[1]) == ["連携済みまたは連携予定あり", "連携実績なし"]
    assert texts(drawn[1], "label:")["label:連携実績なし"] == "連携実績なし\n30.5％"


def test_paired_figures(r6_tables, drawn):
    for number, names in [(7, ("実績", "期待")), (10, ("実績", "意向")), (15, ("実績", "意向"))]:
        first, second = (bar_labels(drawn[number], n) for n in names)
        assert first == second  # one option list, same order in both panels
        values = {r.label: r.value for r in r6_tables.figure(number).series[0].rows}
        head = [values[label.split("※")[0]] for label in first[:-2]]  # 金融機関※1: a footnote mark
        assert head == sorted(head, reverse=True) and [label.split("※")[0] for label in first[-2:]] == ["その他", "無回答"]
    assert texts(drawn[10], "header:") == {"header:実績": "金融機関との連携実績のある分野",
                                           "header:意向": "貴団体が金融機関と連携して推進していく意向のある分野"}


def test_figure_15_prints_the_published_gains(r6, drawn):
    published = {f["fig"]: f for f in yaml.safe_load(r6.published.read_text(encoding="utf-8"))["figures"]}
    gains = texts(drawn[15], "gain:")
    assert gains["gain:地方創生関連事業者"] == "＋13.1pt"
    assert sorted(gains.values()) == sorted(wording.gain_text(g) for g in published[15]["deltas_pt"])
    assert not texts(drawn[7], "gain:") and not texts(drawn[10], "gain:")
    # the options the footnotes ※1 and ※2 speak of are marked in the chart
    labels = texts(drawn[15], "label:")
    assert labels["label:金融機関※1"] == "金融機関※1" and labels["label:その他※2"] == "その他※2"


def test_no_text_smaller_than_10pt_at_placed_size(drawn):
    for number, fig in drawn.items():
        sizes = [t.size for t in fig.texts()]
        assert min(sizes) >= style.MIN_PT, number


def test_descriptions_print_what_the_deck_prints(r6, r6_inputs, r6_tables):
    deck_text = (r6.data_dir / "published-deck.txt").read_text(encoding="utf-8")
    slots = r6_inputs.deck.slots()
    missing = []
    for spec in r6_inputs.codebook.figures:
        d = figures.describe(spec, r6_tables.figure(spec.number), r6_inputs.codebook, slots[spec.number])
        if d.caption not in deck_text:
            missing.append(spec.number)
        assert d.unit_label in deck_text and d.n_label in deck_text, spec.number
        assert d.alt_text.startswith(f"{figures.figure_label(spec.number)} {spec.title}")
    assert missing == [7]  # the published text has no caption for figure 7; ours is 【図７】title（複数回答）
    d = figures.describe(r6_inputs.codebook.figure(2), r6_tables.figure(2), r6_inputs.codebook, "half")
    assert (d.caption, d.subcaption, d.unit_label, d.n_label) == (
        "【図２】金融機関との連携関係の変化（択一回答）", "（地方創生が本格化してからの10年間）", "（回答比率：％）", "(n=975)")
    d15 = figures.describe(r6_inputs.codebook.figure(15), r6_tables.figure(15), r6_inputs.codebook, "full")
    assert d15.footnotes == ("※1：銀行（グループ会社を含む）、信用金庫、信用組合、政府系金融機関、保険、証券会社、農業協同組合",
                             "※2：いずれにも該当しないもの", NOTES["illustrative"])  # a sample deck: its invented options
    d12 = figures.describe(r6_inputs.codebook.figure(12), r6_tables.figure(12), r6_inputs.codebook, "half")
    assert NOTES["ratio"] in d12.footnotes  # ratios come from counts, and say so
    table2 = r6_tables.figure(2)
    assert NOTES["rounding"] not in figures.describe(r6_inputs.codebook.figure(2), table2, r6_inputs.codebook, "half").footnotes
    rows = list(table2.series[0].rows)
    rows[-1] = dataclasses.replace(rows[-1], value=1.4)  # as published: the shares add up to 100.1
    published = dataclasses.replace(table2, series=(Series("全体", tuple(rows)),))
    assert NOTES["rounding"] in figures.describe(r6_inputs.codebook.figure(2), published, r6_inputs.codebook, "half").footnotes
    assert figures.figure_label(9) == "図９" and figures.figure_label(12) == "図12"


def test_a_missing_glyph_fails_naming_the_figure(r6_inputs, r6_tables, font, theme):
    table = r6_tables.figure(3)
    rows = list(table.series[0].rows)
    rows[0] = dataclasses.replace(rows[0], label="連携協定\U0001D11E")
    broken = dataclasses.replace(table, series=(Series("全体", tuple(rows)),))
    with pytest.raises(FontError, match=r"figure 3: the font .* has no glyph for '\U0001D11E' \(U\+1D11E\)"):
        figures.draw(r6_inputs.codebook.figure(3), broken, r6_inputs.codebook, "half", font, theme)


def test_what_cannot_fit_fails_naming_the_figure(r6_inputs, r6_tables, font, theme):
    table = r6_tables.figure(10)
    many = table.series[0].rows * 2
    crowded = dataclasses.replace(table, series=(Series("実績", many), Series("意向", many)))
    with pytest.raises(SlidegenError, match=r"figure 10 \(.*, half width\): 34 rows need \d+ pt each for their labels but have \d+ pt"):
        figures.draw(r6_inputs.codebook.figure(10), crowded, r6_inputs.codebook, "half", font, theme)


def test_fallback_font_is_bundled_and_draws_every_figure(r6_inputs, r6_tables, theme):
    fallback = resolve_font("存在しないフォント", fallback=True)
    assert fallback.name == "IPAexゴシック" and fallback.path.name == "ipaexg.ttf"
    assert "matplotlib_fontja" in str(fallback.path)
    assert fallback.describe().startswith("the font 存在しないフォント is not installed here; figures are drawn and text is measured with IPAexゴシック")
    slots = r6_inputs.deck.slots()
    for spec in r6_inputs.codebook.figures:
        figures.draw(spec, r6_tables.figure(spec.number), r6_inputs.codebook, slots[spec.number], fallback, theme)


def test_rendering_twice_gives_the_same_bytes(r6_inputs, r6_tables, drawn):
    spec = r6_inputs.codebook.figure(15)
    d = figures.describe(spec, r6_tables.figure(15), r6_inputs.codebook, "full")
    a, b = figures.render(drawn[15], d), figures.render(drawn[15], d)
    assert a.png == b.png and a.svg == b.svg
    assert b"<dc:date>" not in a.svg and b"Matplotlib v" not in a.png
    from slidegen.figures.vector import from_svg, to_svg

    assert from_svg(a.svg, drawn[15].font).shapes == drawn[15].shapes  # the PDF reads back what was drawn
    assert to_svg(from_svg(a.svg, drawn[15].font)) == a.svg


def test_a_figure_is_kept_under_every_drawing_librarys_version(r6_inputs, r6_tables, font, theme, monkeypatch):
    """Another matplotlib, numpy, Pillow or fontTools may draw or encode a figure differently: each
    one's version is in the figure's cache key, so an upgrade redraws every figure (a whole build
    after one: test_reliability.py, other-matplotlib-redraws)."""
    from slidegen.inputs import versions

    spec, table = r6_inputs.codebook.figure(3), r6_tables.figure(3)

    def key() -> str:
        return figures.figure_key(spec, table, r6_inputs.codebook, "half", font, theme)

    keys = {key()}
    real = versions.version
    for library in figures.DRAWING_LIBRARIES:
        monkeypatch.setattr(versions, "version", lambda name, lib=library: "0.0.0-other" if name == lib else real(name))
        keys.add(key())
    assert len(keys) == 1 + len(figures.DRAWING_LIBRARIES) == 5


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "R6"
    result = subprocess.run([sys.executable, "-m", "slidegen", "--root", str(ROOT), "build", "--year", "R6", "--pdf",
                             "--figures", "--out", str(out)], capture_output=True, text=True, env={**without_shared_cache(), "PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr
    return out, result


def test_build_writes_every_figure_as_png_and_svg(built, r6_inputs):
    out, result = built
    assert "font: " in result.stderr
    assert "figures: drew 18, reused 0 unchanged" in result.stderr  # its own cache, beside its own output: cold
    pngs = sorted((out / "figures").glob("*.png"))
    svgs = sorted((out / "figures").glob("*.svg"))
    assert len(pngs) == len(svgs) == 18
    assert pngs[0].name == "fig01_金融機関との連携状況.png"
    assert pngs[14].name == "fig15_地方創生の推進に向けて連携実績がある組織・団体等／今後、連携強化を検討したい組織・団体等.png"
    with Image.open(pngs[0]) as im:  # a full-width slot, 12.0 × 4.0 in, at 200 dpi
        assert im.size == (2400, 800)
    with Image.open(pngs[1]) as im:  # a half-width slot, 5.9 × 4.0 in
        assert im.size == (1180, 800)


def test_build_is_byte_identical_across_processes(built, r6_build):
    """A build in another process (its own hash seed), drawing every figure afresh, gives the same
    bytes, deck and PDF included; its manifest differs only in saying it also wrote the figures."""
    out, _ = built
    result, _ = r6_build
    assert (out / "R6_deck.pdf").exists() and (out / "R6_deck.pptx").exists()
    theirs = {name: h for name, h in digest(out).items() if not name.startswith("figures/")}
    assert {n: h for n, h in theirs.items() if n != "manifest.json"} == {
        n: h for n, h in digest(result.out).items() if n != "manifest.json"}
    ours, other = (json.loads((f / "manifest.json").read_text(encoding="utf-8")) for f in (result.out, out))
    assert other["tables"] == ours["tables"] and other["slides"] == ours["slides"]
    assert {n: h for n, h in other["files"].items() if not n.startswith("figures/")} == ours["files"]


def _contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG's contrast ratio of two #RRGGBB colours."""

    def luminance(c: str) -> float:
        rgb = [int(c.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_text_reads_at_4_5_to_1_on_the_slide(drawn, r6, theme):
    """WCAG AA for small text: every text of every figure (the gains and the bracket's sum in the
    accent darkened a quarter: accent6 itself is 4.3:1) and every text the template styles (the
    sample notice, the footnotes) at 4.5:1 or more on the white slide."""
    from slidegen.inputs.template import read_template

    colors = {t.color for fig in drawn.values() for t in fig.texts() if t.text}
    assert {c: round(_contrast(c), 2) for c in colors if _contrast(c) < 4.5} == {}
    assert theme.rgb(style.ACCENT_TEXT) in colors and theme.rgb(style.ACCENT) not in colors
    template = read_template(r6.template)
    styled = {(name, role): s.color for name, layout in template.layouts.items()
              for role, s in layout.placeholders.items() if getattr(s, "color", None)}
    assert {k: c for k, c in styled.items() if _contrast("#" + c.lstrip("#")) < 4.5} == {}


def test_a_rebuild_measures_from_the_font_notes_and_opens_no_font(r6, tmp_path, own_cache, monkeypatch):
    """A build leaves notes of the fonts in its cache folder; a build with those notes finds and
    measures every font from them — no font file opened, matplotlib not asked — and writes the
    same bytes."""
    from slidegen import pipeline
    from slidegen.figures import fonts

    first = pipeline.build(r6, out=tmp_path / "R6", pdf=True)
    made = digest(first.out)
    notes = json.loads((tmp_path / ".cache" / "R6" / "fonts.json").read_text(encoding="utf-8"))
    assert f"{resolve_font().family}|regular" in notes["found"]
    assert {str(resolve_font().path), str(fonts.fallback_font().path)} <= set(notes["faces"])
    (tmp_path / ".cache" / "again").mkdir()
    (tmp_path / ".cache" / "again" / "fonts.json").write_text(json.dumps(notes), encoding="utf-8")

    def refused(*_):
        raise AssertionError("a font was opened or looked up though the notes have it")

    monkeypatch.setattr(fonts, "_open", refused)
    monkeypatch.setattr(fonts, "_in_matplotlib", refused)
    again = pipeline.build(r6, out=tmp_path / "again", pdf=True)
    assert {n: h for n, h in digest(again.out).items() if n != "manifest.json"} == {
        n: h for n, h in made.items() if n != "manifest.json"}


def test_font_notes_that_no_longer_hold_are_looked_up_again(tmp_path):
    """A noted font file that is gone is looked up afresh; a file whose size or time changed is
    measured afresh; the notes written after say what holds now."""
    from slidegen.figures import fonts

    font = resolve_font()
    width = font.width("地方創生", 10)
    file = tmp_path / "fonts.json"
    file.write_text(json.dumps({
        "version": 1,
        "found": {f"{font.family}|regular": [str(tmp_path / "gone.ttf"), "Gone"]},
        "faces": {str(font.path): {"stamp": [1, 2], "upem": 1000, "ascender": 1, "descender": -1, "glyphs": {"地": 1}}},
    }), encoding="utf-8")
    written: dict[Path, bytes] = {}
    with fonts.kept_notes(file, lambda path, data: written.update({path: data})):
        assert fonts._find_installed(font.family) == font.path
        assert font.width("地方創生", 10) == width
    saved = json.loads(written[file])
    assert saved["found"][f"{font.family}|regular"] == [str(font.path), font.family]
    assert saved["faces"][str(font.path)]["stamp"] == [font.path.stat().st_size, font.path.stat().st_mtime_ns]
    assert saved["faces"][str(font.path)]["glyphs"]["地"] != 1


def test_a_font_file_is_measured_as_freetype_measures_it(r6):
    """The font tables slidegen reads (figures.fontfile) give what FreeType gives unscaled — every
    glyph found, every advance, the ascent, descent, units per em and family name — for each face
    a deck is measured in, over every character of the deck spec and codebook and the whole of
    the kana, CJK punctuation and full-width forms."""
    from matplotlib import ft2font

    from slidegen.figures import fonts
    from slidegen.figures.fontfile import FontFile

    chars = set(r6.deck.read_text(encoding="utf-8") + r6.codebook.read_text(encoding="utf-8"))
    chars |= {chr(c) for c in [*range(0x20, 0x7F), *range(0x3000, 0x3100), *range(0xFF00, 0xFFF0)]}
    faces = {f.path for f in fonts.deck_fonts(None, "BIZ UDPゴシック").measured()}
    assert fonts.fallback_font().path in faces
    for path in faces:
        ours, theirs = FontFile(path), ft2font.FT2Font(str(path))
        assert (ours.units_per_em, ours.ascender, ours.descender, ours.family_name) == (
            theirs.units_per_EM, theirs.ascender, theirs.descender, theirs.family_name)
        for ch in sorted(chars):
            glyph = theirs.get_char_index(ord(ch))
            assert ours.glyph(ch) == glyph, (path.name, ch)
            if glyph:
                assert ours.advance(glyph) == theirs.load_glyph(glyph, ft2font.LoadFlags.NO_SCALE).horiAdvance, (path.name, ch)
