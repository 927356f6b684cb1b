"""The PPTX deck, saved and reopened with python-pptx: slides, sentences, fonts, alt text; and
the deck following the data when it changes."""

from __future__ import annotations

import dataclasses
import re
import shutil
import zipfile

import pytest
from conftest import LIBREOFFICE, ROOT, read_rows
from lxml import etree
from pptx import Presentation

from slidegen import pipeline
from slidegen.aggregate import ILLUSTRATIVE_MARK
from slidegen.figures.fonts import resolve_font
from slidegen.inputs.deck import Bullet
from slidegen.inputs.project import open_year
from slidegen.slides import BALANCED, SlideFitError, TemplateLayoutError, build_deck
from slidegen.slides.sentences import TemplateError

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
BULLETS = "\uf06e○"


@pytest.fixture(scope="module")
def built(r6_build):
    return r6_build


@pytest.fixture(scope="module")
def prs(built):
    result, _ = built
    return Presentation(str(result.out / "R6_deck.pptx"))


def slide_text(slide) -> str:
    """All text of a slide, each paragraph's lines joined, paragraphs on their own lines."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts += ["".join(r.text for r in p.runs) for p in shape.text_frame.paragraphs]
    return "\n".join(parts)


def normal(text: str) -> str:
    """Text with every space, line break and bullet mark removed (the reference's layout is lost)."""
    return re.sub(rf"[\s\u3000{BULLETS}]", "", text).replace(PUBLISHED_RULE, RULE)


#: the cover's lead rules: ―― as published (U+2015), ── as slidegen sets them (U+2500: a rule that
#: joins in every font, where IPAexゴシック draws ―― as two short bars) — the same mark
PUBLISHED_RULE, RULE = "\u2015", "\u2500"


def reference_sentences(text: str) -> list[str]:
    """The sentences of the published deck text: from a bullet to the line that ends in 。."""
    sentences, current = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped[0] in BULLETS:
            current = stripped.lstrip(BULLETS).strip()
        elif current is not None:
            current += stripped
        elif stripped.endswith("。"):  # the bullet whose start the text lost
            sentences.append(stripped)
            continue
        if current is not None and current.endswith("。"):
            sentences.append(current)
            current = None
    return sentences


def test_slides_in_published_order(r6, r6_inputs, prs):
    assert len(prs.slides) == 16
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    headings = [s.heading for s in r6_inputs.deck.slides[1:]]
    got = [slide.shapes.title.text_frame.text.replace("\n", "") for slide in list(prs.slides)[1:]]
    assert got == headings
    assert [slide.slide_layout.name for slide in prs.slides][:4] == ["表紙", "結果概要", "図1", "図2"]
    reference = (r6.data_dir / "published-deck.txt").read_text(encoding="utf-8")
    positions = [normal(reference).find(normal(h)) for h in headings]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)  # headings in the published order


def unmarked(text: str) -> str:
    """Text without the † slidegen prints after an option a sample deck invented — in a sentence
    too (issue 23) — which the published wording cannot have."""
    return text.replace(ILLUSTRATIVE_MARK, "")


def test_every_sentence_of_the_published_deck(r6, prs):
    reference = (r6.data_dir / "published-deck.txt").read_text(encoding="utf-8")
    ours = normal(unmarked("\n".join(slide_text(s) for s in prs.slides)))
    sentences = reference_sentences(reference)
    assert len(sentences) == 32  # every bullet, finding and cover line that ends in 。
    missing = [s for s in sentences if normal(s) not in ours]
    assert missing == []


def test_every_heading_caption_and_label_of_the_published_deck(r6, prs):
    """Each word group of the reference text is on a slide, or (for what the published deck
    drew inside its charts) in the notes that carry the figure's table."""
    reference = (r6.data_dir / "published-deck.txt").read_text(encoding="utf-8")
    ours = normal(unmarked("\n".join(slide_text(s) + "\n" + s.notes_slide.notes_text_frame.text for s in prs.slides)))
    tokens = {t for line in reference.splitlines() for t in line.replace("\uf06e", " ").split() if normal(t)}
    missing = sorted(t for t in tokens if normal(t) not in ours)
    assert missing == []


def descr(shape) -> str:
    return shape._element.xpath("./*[1]/p:cNvPr/@descr")[0]


def test_figures_with_captions_and_alt_text(prs, r6_tables):
    figures = [(i, shape) for i, slide in enumerate(prs.slides, start=1) for shape in slide.shapes
               if shape.name.startswith("slidegen:図")]  # a chart, a group of chart and annotations, or a picture
    assert len(figures) == 18
    assert [shape.name for _, shape in figures] == [f"slidegen:図{n}" for n in range(1, 19)]
    for _, shape in figures:
        n = int(shape.name.removeprefix("slidegen:図"))
        table = r6_tables.figure(n)
        assert table.title in descr(shape) and f"n={table.n:,}" in descr(shape)
    alt = descr(figures[0][1])
    assert alt == "図１ 金融機関との連携状況（n=1,403）。連携済みまたは連携予定あり 69.5％、連携実績なし 30.5％。中央に連携あり（予定含む） 69.5％"
    slide4 = slide_text(prs.slides[3])
    assert "【図２】金融機関との連携関係の変化（択一回答）" in slide4 and "（地方創生が本格化してからの10年間）" in slide4
    assert "（回答比率：％） (n=975)" in slide4
    assert "※1：銀行（グループ会社を含む）" in slide_text(prs.slides[12])


def test_every_run_has_the_east_asian_font_and_japanese_language(built):
    """Each run names its East Asian font as the theme's — the heading font in a title, the body
    font elsewhere — and the theme names the deck's font in both East Asian slots."""
    result, _ = built
    font = resolve_font()
    name = font.fallback_for or font.name  # the deck names the configured font
    with zipfile.ZipFile(result.out / "R6_deck.pptx") as z:
        parts = [n for n in z.namelist() if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", n)]
        assert len(parts) == 32
        slots = set()
        for part in parts:
            tree = etree.fromstring(z.read(part))
            for sp in tree.iter(f"{P}sp"):
                title = sp.find(f".//{P}ph[@type='title']") is not None or sp.find(f".//{P}ph[@type='ctrTitle']") is not None
                placeholder = sp.find(f".//{P}ph") is not None
                for run in sp.iter(f"{A}r"):
                    rpr = run.find(f"{A}rPr")
                    assert rpr is not None and rpr.get("lang") == "ja-JP", part
                    slot = rpr.find(f"{A}ea").get("typeface")
                    assert slot == ("+mj-ea" if title else "+mn-ea"), part
                    slots.add(slot)
                    if placeholder:  # its colour, weight and Latin font are the template's
                        assert rpr.find(f"{A}latin") is None and rpr.find(f"{A}solidFill") is None and rpr.get("b") is None, part
        assert slots == {"+mj-ea", "+mn-ea"}
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
        for which in ("majorFont", "minorFont"):
            font = theme.find(f".//{A}{which}")
            assert font.find(f"{A}ea").get("typeface") == name
            assert {f.get("script"): f.get("typeface") for f in font.findall(f"{A}font")}["Jpan"] == name


def test_notes_carry_the_table_and_the_source(prs):
    notes = prs.slides[2].notes_slide.notes_text_frame.text
    assert "連携済みまたは連携予定あり: 69.5％" in notes and "連携実績なし: 30.5％" in notes
    assert "連携あり（予定含む）: 69.5％" in notes
    assert re.search(r"回答データ responses\.csv（SHA-256 [0-9a-f]{16}…）", notes)
    assert "地方創生関連事業者: ＋13.1pt" in prs.slides[12].notes_slide.notes_text_frame.text


def test_sample_data_is_stamped_on_every_data_slide_and_marked_on_the_cover(prs, r6_inputs):
    survey = r6_inputs.codebook.survey
    stamped = [survey.sample_note in slide_text(s) for s in prs.slides]
    assert stamped == [False] + [True] * 15
    cover = {ph.placeholder_format.idx: ph for ph in prs.slides[0].placeholders}
    assert cover[15].text_frame.text == survey.sample_mark == "サンプル（合成データ）"  # the stamp, in its red frame
    assert 12 not in cover  # no page number on the cover
    numbers = [next(ph.text_frame.text for ph in s.placeholders if ph.placeholder_format.idx == 12) for s in list(prs.slides)[1:]]
    assert numbers == [str(n) for n in range(2, 17)]


def test_build_reports_its_stages_and_writes_a_manifest(built):
    result, messages = built
    assert messages[0] == f"reading {ROOT / 'data' / 'R6' / 'responses.csv'}"
    assert [m.split(":")[0] for m in messages[1:]] == ["font", "slides", "figures", "deck"]
    drawn, reused = (int(word) for word in re.findall(r"\d+", messages[3]))  # (the suite's builds share a cache)
    assert messages[3] == f"figures: drew {drawn}, reused {reused} unchanged" and drawn + reused == 18
    assert messages[-1] == "deck: wrote R6_deck.pptx, R6_deck.pdf, R6_deck.html and R6_集計表.xlsx"
    assert result.broken_claims == ()
    import json

    manifest = json.loads((result.out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {"responses", "codebook", "deck", "master", "template", "corrections", "resubmissions"}
    assert manifest["inputs"]["corrections"]["applied"] == 0
    assert manifest["tables"]["figures"][0]["series"][0]["rows"][0]["value"] == 69.5
    assert "約7割" in manifest["slides"][2]["texts"]["bullets"]


# ---- the deck follows the data --------------------------------------------------------------

def test_sentences_follow_a_correction_and_broken_claims_are_reported(r6, responses_copy, tmp_path):
    rows = read_rows(r6.responses)
    header = rows[0]
    q1 = header.index("Q1")
    linked_only = [i for i, c in enumerate(header) if c.split("_")[0] in
                   {"Q2", "Q3", "Q4", "Q5", "Q6", "Q7A", "Q7B", "Q10A", "Q10B"}]
    q3_03 = header.index("Q3_03")

    def edit(rows):
        moved = 0
        for row in rows[1:]:
            if row[q1] == "1" and moved < 70:  # 905 of 1,403 = 64.5 %: 約6割
                row[q1] = "2"
                for i in linked_only:
                    row[i] = ""
                moved += 1
            elif row[q1] == "1":
                row[q3_03] = "1"  # 金融機関からの提案の増加・減少 becomes the top reason
    data = responses_copy(edit)
    messages = []
    result = pipeline.build(r6, data=data, out=tmp_path / "R6", progress=messages.append)
    prs = Presentation(str(result.out / "R6_deck.pptx"))
    lead = slide_text(prs.slides[2])
    assert "約6割の自治体がこれまで金融機関と何らかの連携実績・予定があると回答した。" in lead
    assert "約7割" not in lead
    warnings = [m for m in messages if m.startswith("warning:")]
    assert any(
        w.startswith("warning: スライド4（金融機関との連携関係の変化）：「理由としては、接触機会の増加や連携協定の締結等を挙げた")
        and "は、図3の上位2項目（データでは「金融機関からの提案の増加・減少」・" in w
        and "今のデータでは成り立たない（deck.yaml の claims: same(codes(3, 2), [1, 2])）" in w
        for w in warnings
    ), warnings
    assert result.broken_claims and all(w[len("warning: "):] in result.broken_claims for w in warnings)


# ---- template, fit and safety ---------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(r6_inputs, r6_tables, figure_cache):
    return pipeline.figures(r6_inputs, r6_tables, resolve_font(), figure_cache, png=False)


def deck_with(r6_inputs, change):
    slides = list(r6_inputs.deck.slides)
    change(slides)
    return dataclasses.replace(r6_inputs.deck, slides=tuple(slides))


def test_a_template_missing_a_layout_is_a_clear_error(r6_inputs, r6_tables, rendered, tmp_path):
    prs = Presentation(str(ROOT / "layouts" / "slidegen.pptx"))
    for layout in prs.slide_layouts:
        if layout.name == "図2":
            layout._element.cSld.set("name", "二つの図")
    template = tmp_path / "office.pptx"
    prs.save(str(template))
    with pytest.raises(TemplateLayoutError, match=rf"^{template}: the template has no layout '図2', which slide 4 of deck.yaml uses; "
                                                  r"its layouts are 表紙, 結果概要, 図1, 二つの図$"):
        build_deck(r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, template, resolve_font(), "source")


def test_text_that_cannot_fit_fails_naming_the_slide(r6_inputs, r6_tables, rendered):
    def change(slides):
        slides[2] = dataclasses.replace(slides[2], bullets=(Bullet("連携状況を調査した結果、" * 60),))
    with pytest.raises(SlideFitError, match=r"^slide 3 \(金融機関との連携状況について\): the bullets text needs \d+ pt of height"):
        build_deck(deck_with(r6_inputs, change), r6_tables, r6_inputs.codebook, rendered,
                   ROOT / "layouts" / "slidegen.pptx", resolve_font(), "source")


def test_long_text_shrinks_within_limits_before_failing(r6_inputs, r6_tables, rendered):
    def change(slides):
        slides[2] = dataclasses.replace(slides[2], bullets=(Bullet("連携状況を調査した結果、" * 25),))
    deck = build_deck(deck_with(r6_inputs, change), r6_tables, r6_inputs.codebook, rendered,
                      ROOT / "layouts" / "slidegen.pptx", resolve_font(), "source")
    bullets = next(b for b in deck.slides[2].blocks if b.role == "bullets")
    assert 11 <= bullets.size < 14
    for line in bullets.paragraphs[0].lines[1:]:
        assert line[0] not in "、。）」"  # kinsoku: no line starts with closing punctuation


@pytest.mark.parametrize("template", ["{__import__('os').system('echo x')}", "{value.__class__}", "{open('x')}"])
def test_a_spec_cannot_run_code(r6_inputs, r6_tables, rendered, template):
    def change(slides):
        slides[2] = dataclasses.replace(slides[2], bullets=(Bullet(template),))
    with pytest.raises(TemplateError, match=r"deck\.yaml: slide 3 \(金融機関との連携状況について\): .* is not allowed here"):
        build_deck(deck_with(r6_inputs, change), r6_tables, r6_inputs.codebook, rendered,
                   ROOT / "layouts" / "slidegen.pptx", resolve_font(), "source")


def test_template_option_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from slidegen.cli import main

    bad = tmp_path / "not-a-deck.pptx"
    bad.write_bytes(b"not a zip")
    result = CliRunner().invoke(main, ["--root", str(ROOT), "build", "--year", "R6", "--template", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: {bad}: not a readable .pptx template")
    assert not (tmp_path / "o").exists()


def test_a_failed_build_leaves_the_previous_deck_intact(r6, built, responses_copy):
    result, _ = built
    before = {p: p.read_bytes() for p in result.out.rglob("*") if p.is_file()}

    def edit(rows):
        rows[1][rows[0].index("Q1")] = "9"
    from slidegen.errors import ResponseError

    with pytest.raises(ResponseError):
        pipeline.build(r6, data=responses_copy(edit), out=result.out)
    after = {p: p.read_bytes() for p in result.out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in result.out.parent.iterdir()) == ["R6"]  # no staging folder left behind (the suite's cache is elsewhere)


def test_the_deck_fits_and_names_the_configured_font_with_the_bundled_fallback(r6_inputs, r6_tables, figure_cache):
    """On a machine without BIZ UDPゴシック (a fresh CI machine), slidegen draws with the IPAexゴシック
    that matplotlib-fontja ships: its wider kana must still fit every box, and the deck must still
    name the configured font, which the reader's PowerPoint has."""
    from slidegen.writers.pdf import pdf_bytes
    from slidegen.writers.pptx import pptx_bytes

    fallback = resolve_font("存在しないフォント", fallback=True)
    assert fallback.fallback_for == "存在しないフォント"
    rendered = pipeline.figures(r6_inputs, r6_tables, fallback, figure_cache)
    template = ROOT / "layouts" / "slidegen.pptx"
    deck = build_deck(
        r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, template, fallback, "source", theme_font=fallback.fallback_for
    )
    data = pptx_bytes(deck, template)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
        slide = etree.fromstring(z.read("ppt/slides/slide3.xml"))
    assert theme.find(f".//{A}minorFont/{A}ea").get("typeface") == "存在しないフォント"
    assert {r.find(f"{A}rPr/{A}ea").get("typeface") for r in slide.iter(f"{A}r")} == {"+mj-ea", "+mn-ea"}
    assert pdf_bytes(deck).startswith(b"%PDF")


def test_powerpoint_wraps_the_text_itself(built):
    """One paragraph per sentence with no line break inside it, and the East Asian line-break rules
    on every paragraph, so PowerPoint (or LibreOffice) wraps a sentence afresh in whatever font it has.
    Titles and captions, phrases rather than sentences, keep their phrase breaks."""
    result, _ = built
    P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
    with zipfile.ZipFile(result.out / "R6_deck.pptx") as z:
        slides = sorted(n for n in z.namelist() if re.match(r"ppt/slides/slide\d+\.xml$", n))
        assert len(slides) == 16
        for part in slides:
            tree = etree.fromstring(z.read(part))
            placeholders = tree.findall(f"{P}cSld/{P}spTree/{P}sp")  # the texts; a chart's annotations sit in groups
            for sp in placeholders:
                role = sp.find(f"{P}nvSpPr/{P}cNvPr").get("name").rsplit(":", 1)[1]
                if role not in BALANCED:
                    assert list(sp.iter(f"{A}br")) == [], (part, role)
            for p in tree.iter(f"{A}p"):
                ppr = p.find(f"{A}pPr")
                assert ppr is not None and ppr.get("eaLnBrk") == "1" and ppr.get("hangingPunct") == "1", part
            for sp in placeholders:  # every shape slidegen filled has a stable name
                name = sp.find(f"{P}nvSpPr/{P}cNvPr").get("name")
                assert re.fullmatch(r"slidegen:s\d+:\w+", name), (part, name)
            bodies = {sp.find(f"{P}nvSpPr/{P}cNvPr").get("name").rsplit(":", 1)[1]: sp.find(f"{P}txBody/{A}bodyPr")
                      for sp in placeholders}
            if "bullets" in bodies:  # body text shrinks when an official lengthens it
                assert bodies["bullets"].find(f"{A}normAutofit") is not None


def test_every_sentence_is_one_paragraph_as_written(built, r6_inputs, r6_tables):
    from slidegen.slides import slide_texts
    from slidegen.slides.sentences import Context

    result, _ = built
    prs = Presentation(str(result.out / "R6_deck.pptx"))
    context = Context(r6_tables, r6_inputs.codebook)
    for number, (spec, slide) in enumerate(zip(r6_inputs.deck.slides, prs.slides), start=1):
        expected = slide_texts(spec, context, f"slide {number}").get("bullets", [])
        shape = next((s for s in slide.shapes if s.name == f"slidegen:s{number}:bullets"), None)
        if expected:
            assert [p.text for p in shape.text_frame.paragraphs] == expected


def test_every_text_fits_in_the_fallback_font_too(r6_inputs, r6_tables, figure_cache):
    """What PowerPoint on a Mac lays out (no BIZ UDPゴシック) must fit as well: every block fits
    when wrapped in the bundled IPAexゴシック at the size chosen."""
    from slidegen.figures.fonts import bold_of, fallback_font
    from slidegen.figures.jptext import wrap
    from slidegen.ooxml import EMU_PER_PT
    from slidegen.slides import LEADING, SPARE, measure

    rendered = pipeline.figures(r6_inputs, r6_tables, resolve_font(), figure_cache, png=False)
    deck = build_deck(r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, ROOT / "layouts" / "slidegen.pptx",
                      resolve_font(), "source")
    other = fallback_font()
    for slide in deck.slides:
        for block in slide.blocks:
            if block.role == "number":
                continue
            face = bold_of(other) if block.style.bold else other
            fits = measure(face, block.size)
            width = block.style.box.width / EMU_PER_PT * SPARE
            indent = face.width(block.paragraphs[0].bullet + "　", block.size) if block.paragraphs[0].bullet else 0.0
            lines = sum(len(wrap(p.text, width - indent, fits)) for p in block.paragraphs)
            needed = lines * block.size * LEADING + (len(block.paragraphs) - 1) * block.gap
            assert needed <= block.style.box.height / EMU_PER_PT + 0.5, (slide.number, block.role)


def test_a_line_summed_from_its_pieces_measures_as_the_line_whole():
    """A wrapper tries every line of a paragraph as it grows; the layout's measure sums a line from
    counts taken once over its pieces (LineMeasure.spans). For every span of pieces of texts mixing
    kanji, kana, Latin words, numbers, spaces and punctuation, the sum is the very number measuring
    the joined, stripped line gives — in both fonts, at sizes and spacings the deck uses — so every
    line breaks where measuring each line whole would break it."""
    import random

    from slidegen.figures.fonts import fallback_font
    from slidegen.figures.jptext import units, wrap, wrap_even
    from slidegen.slides import measure

    pieces = ["金融機関", "との", "連携", "、", "。", "（", "）", "約7割", "1,403", "69.5％", "n=975",
              "RESAS", " ", "　", "  ", "ＤＸ", "ー", "・", "PDCA", "サイクル", "\t", "の", "が", "⺀", "A"]
    rng = random.Random(20261205)
    for font in dict.fromkeys((resolve_font(), fallback_font())):
        for size, spacing in ((16.0, 0.0), (10.5, -0.4), (12.0, 0.25)):
            fits = measure(font, size, spacing)
            whole = lambda text, fits=fits: fits(text)  # noqa: E731  the same measure, without spans
            for _ in range(60):
                text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
                parts = units(text)
                span = fits.spans(parts)
                for s in range(len(parts)):
                    for e in range(s + 1, len(parts) + 1):
                        assert span(s, e) == fits("".join(parts[s:e]).strip()), (text, s, e)
                for width in (40.0, 95.5, 180.0, 400.0):
                    assert wrap(text, width, fits) == wrap(text, width, whole), (text, width)
                    assert wrap_even(text, width, fits) == wrap_even(text, width, whole), (text, width)


def test_no_paragraph_of_the_pdf_ends_with_a_stub_line(r6_inputs, r6_tables, rendered):
    """The PDF draws the model's lines: no paragraph of two or more lines ends with fewer than four
    characters (「た。」 alone); in the configured font and in the fallback."""
    from slidegen.figures.fonts import fallback_font
    from slidegen.figures.jptext import MIN_LAST_LINE, wrap, wrap_even

    for font in dict.fromkeys((resolve_font(), fallback_font())):
        deck = build_deck(r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, ROOT / "layouts" / "slidegen.pptx", font, "source")
        stubs = [(s.number, b.role, p.lines) for s in deck.slides for b in s.blocks for p in b.paragraphs
                 if len(p.lines) > 1 and len(p.lines[-1].strip()) < MIN_LAST_LINE]
        assert stubs == [], font.name
    measure = lambda t: 10.0 * len(t)  # noqa: E731  a monospaced measure: 10 pt a character
    text = "金融機関との連携状況を調査した結果を報告した。"  # 23 characters: 22 and a stub of 1 at 220 pt
    assert [len(line) for line in wrap(text, 220, measure)] == [21, 2]  # 「。」 may not open a line: 「た。」
    assert [len(line) for line in wrap_even(text, 220, measure)] == [19, 4]


def test_a_deck_of_real_data_carries_no_sample_mark(tmp_path):
    """With sample_data: false the deck has no stamp, no sample note and no † — and the sample deck
    marks every invented option it shows."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    codebook = root / "data" / "R6" / "codebook.yaml"
    codebook.write_text(codebook.read_text(encoding="utf-8").replace("sample_data: true", "sample_data: false"), encoding="utf-8")
    year = open_year(root, "R6")
    real = Presentation(str(pipeline.build(year).out / "R6_deck.pptx"))
    text = "\n".join(slide_text(s) for s in real.slides)
    charts = [c for slide in real.slides for c in _charts(slide.shapes)]
    categories = [str(label) for c in charts for plot in c.chart.plots for label in plot.categories]
    assert "†" not in text and not any("†" in c for c in categories)
    assert "サンプル" not in text
    assert 15 not in {ph.placeholder_format.idx for ph in real.slides[0].placeholders}


def _charts(shapes):
    for shape in shapes:
        if shape.shape_type == 6:
            yield from _charts(shape.shapes)
        elif shape.has_chart:
            yield shape


def test_every_invented_option_is_marked_in_a_sample_deck(prs, r6_inputs):
    codebook = r6_inputs.codebook
    checked = 0
    for slide in prs.slides:
        for group in slide.shapes:
            if not group.name.startswith("slidegen:図"):
                continue
            spec = codebook.figure(int(group.name.split(":")[1][1:]))
            question = spec.series[0].question if spec.series else codebook.figure(spec.gap.figure).series[0].question
            invented = {o.label for o in codebook.questions[question].options if o.illustrative}
            for chart in _charts([group]):
                plot = chart.chart.plots[0]
                labels = [str(s.name) for s in plot.series] if spec.chart == "band" else [str(c) for c in plot.categories]
                for label in labels:
                    plain = label.split("※")[0]
                    assert plain.endswith("†") == (plain.removesuffix("†") in invented), (group.name, label)
                    checked += 1
    assert checked > 100
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert "†は例示の選択肢" in notes and "†は例示の選択肢" in "\n".join(slide_text(s) for s in prs.slides)


def test_the_deck_describes_itself_to_assistive_technology_and_to_office(prs):
    """Issue 21, item 3: a figure's group speaks for it (its parts are decorative), the default
    language is Japanese, the document properties are the deck's, and chart axis ids are unsigned."""
    from slidegen.ooxml import DECORATIVE_EXT, qn

    groups = [s for slide in prs.slides for s in slide.shapes if s.shape_type == 6 and s.name.startswith("slidegen:図")]
    assert groups and all(g._element.xpath("./p:nvGrpSpPr/p:cNvPr")[0].get("descr") for g in groups)
    for group in groups:
        for part in group.shapes:
            uris = [e.get("uri") for e in part._element.xpath("./*[1]/p:cNvPr/a:extLst/a:ext")]
            assert DECORATIVE_EXT in uris, part.name
    default = prs.part._element.find(f"{qn('p:defaultTextStyle')}/{qn('a:defPPr')}/{qn('a:defRPr')}")
    assert default.get("lang") == "ja-JP"
    app = next(p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/app.xml").blob.decode()
    assert "<Application>slidegen</Application>" in app and "(16:9)</PresentationFormat>" in app
    assert f"<Slides>{len(prs.slides)}</Slides>" in app and "結果概要" in app
    ids = [int(e.get("val")) for s in prs.slides for shape in s.shapes for e in _axis_ids(shape)]
    assert ids and min(ids) >= 0


def _axis_ids(shape):
    from slidegen.ooxml import qn

    if shape.shape_type == 6:
        for inner in shape.shapes:
            yield from _axis_ids(inner)
    elif shape.has_chart:
        yield from shape.chart._chartSpace.iter(qn("c:axId"), qn("c:crossAx"))


def test_the_thumbnail_is_the_cover(prs):
    """Issue 21, item 3: a file browser shows the cover (the template's thumbnail was a blank page)."""
    import io

    from PIL import Image, ImageStat

    part = next(p for p in prs.part.package.iter_parts() if str(p.partname) == "/docProps/thumbnail.jpeg")
    image = Image.open(io.BytesIO(part.blob)).convert("L")
    assert image.size == (256, 144)
    top, title = image.crop((0, 0, 256, 20)), image.crop((40, 30, 216, 60))  # white above; the title's ink
    assert ImageStat.Stat(top).mean[0] > 245 and ImageStat.Stat(title).mean[0] < 235


def test_a_sentence_resting_on_an_invented_option_carries_its_mark(prs):
    """Slide 11 names the most chosen reason, an option the sample deck invented: the sentence marks
    it with † as the chart beside it does; no sentence naming only published options carries one."""
    bullets = [p for slide in prs.slides for shape in slide.shapes if shape.name.endswith(":bullets")
               for p in shape.text_frame.text.split("\n")]
    marked = [b for b in bullets if ILLUSTRATIVE_MARK in b]
    assert marked == ["金融機関と連携していない地方自治体の約5割が、その理由として連携するきっかけがない†ことを挙げた。"]


def test_the_departure_is_said_where_a_reader_meets_it(r6, r6_tables, r6_build):
    """Figure 2's 無回答 (1.3 here, 1.4 published) is said on the figure — under it, in its alt text,
    in the speaker notes and on its 集計表 sheet — with the reason worked out from the published
    values themselves: no five whole counts summing to 975 give them all. No other figure departs."""
    from openpyxl import load_workbook
    from pptx import Presentation

    from slidegen.compare.verify import _whole_counts_give

    import yaml

    figures = {f["fig"]: f for f in yaml.safe_load(r6.published.read_text(encoding="utf-8"))["figures"]}
    shares = [float(v) for v in figures[2]["values"].values()]
    assert not _whole_counts_give(975, shares)
    assert _whole_counts_give(975, [*shares[:-1], 1.3])  # what the deck shows is one way the counts fall
    said = "※無回答は公表値1.4％（公表値5つの合計が100.1％で、n=975では5つすべてを再現する回答数がないため、回答数からの比率を示した）"
    assert {f.number: f.departures for f in r6_tables.figures if f.departures} == {2: (said,)}
    out = r6_build[0].out
    slide = Presentation(str(out / "R6_deck.pptx")).slides[3]
    footnotes = next(s for s in slide.shapes if s.name.endswith(":footnotes")).text_frame.text
    assert said in footnotes.replace("\n", "") and said in slide.notes_slide.notes_text_frame.text
    alt = next(s for s in slide.shapes if s.name == "slidegen:図2")._element.xpath("./*[1]/p:cNvPr/@descr")[0]
    assert alt.endswith(said.removeprefix("※"))
    sheet = load_workbook(out / "R6_集計表.xlsx")["図2"]
    assert said in [row[0] for row in sheet.iter_rows(values_only=True)]


def test_one_type_size_per_role_on_each_slide(built, r6):
    """Read back from the PPTX (scripts/type_sizes.py): each slide sets each role — captions, unit
    lines, sentences, footnotes — in one size (slides 4 and 6 set their two captions at 11 and 12 pt),
    and headings, unit lines and footnotes are one size across the deck (the footnotes of slides 4
    and 13 were 9.5 pt, the others 10)."""
    import runpy

    sizes = runpy.run_path(str(ROOT / "scripts" / "type_sizes.py"))["sizes"]  # the script's own function
    found = sizes(built[0].out / "R6_deck.pptx", r6.template)
    assert {n: {role: sorted(v) for role, v in roles.items() if len(v) > 1} for n, roles in found.items()} == {
        n: {} for n in found
    }
    across = {}
    for roles in found.values():
        for role, values in roles.items():
            across.setdefault(role, set()).update(values)
    assert (across["heading"], across["unit"], across["footnotes"]) == ({24.0}, {11.0}, {10.0})
    assert found[4]["caption"] == found[6]["caption"] == {11.0}


def test_break_faults_are_what_a_reader_sends_back():
    from slidegen.figures.jptext import break_faults, filled

    assert break_faults("多く挙げられた。", ["多く挙げられ", "た。"]) == ["last line 'た。'"]
    text = "補助的な事項が上位に挙げられた。"
    assert break_faults(text, ["補助的な事項が上", "位に挙げられた。"]) == ["compound split が上/位に"]
    assert break_faults(text, ["補助的な事項が", "上位に挙げられた。"]) == []
    assert break_faults("提案・コンサルティング等", ["提案・コン", "サルティング等"]) == ["katakana split ・コン/サルテ"]
    assert break_faults("地方自治体に期待する", ["地方", "自治体に期待する"]) == []  # BudouX: 地方/自治体
    # a closing 。 hangs past the margin, as PowerPoint and LibreOffice let it
    assert filled("あいう。", 3, len) == ["あいう。"] and filled("あいうえ", 3, len) == ["あいう", "え"]


def test_the_summary_paragraphs_keep_their_spacing_in_the_pptx(built, r6_inputs, r6_tables, rendered):
    """Slide 2's paragraphs that no box width breaks well: each is still one run PowerPoint wraps,
    at the spacing the model chose (spc, hundredths of a point), within the limit; the paragraphs
    that broke well are left at 0."""
    deck = build_deck(r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, ROOT / "layouts" / "slidegen.pptx",
                      resolve_font(), "source")
    blocks = [b for b in deck.slides[1].blocks if b.role == "bullets"]
    paragraphs = blocks[0].paragraphs
    assert 0 < sum(1 for p in paragraphs if p.spacing) < len(paragraphs)
    assert all(abs(p.spacing) <= 1.0 for p in paragraphs)
    shape = next(s for s in Presentation(str(built[0].out / "R6_deck.pptx")).slides[1].shapes if s.name.endswith(":bullets"))
    for p, written in zip(paragraphs, shape.text_frame.paragraphs):
        spc = {r.font._rPr.get("spc") for r in written.runs}
        assert spc == ({str(round(p.spacing * 100))} if p.spacing else {None})
        assert len(written.runs) == 1 and written.text == p.text
    import pikepdf  # the PDF sets the same spacing (the Tc operator) on those paragraphs' lines

    with pikepdf.open(built[0].out / "R6_deck.pdf") as pdf:
        drawn = {float(operands[0]) for operands, op in pikepdf.parse_content_stream(pdf.pages[1]) if str(op) == "Tc"}
    assert {round(x, 2) for x in drawn if x} == {p.spacing for p in paragraphs if p.spacing}


@pytest.fixture(scope="module")
def line_breaks():
    import runpy

    return runpy.run_path(str(ROOT / "scripts" / "line_breaks.py"))  # the script's own functions


@LIBREOFFICE
def test_libreoffice_breaks_the_sentences_where_a_reader_accepts_it(built, line_breaks, r6_lo_render, tmp_path):
    """LibreOffice's render, with the bundled IPAexゴシック alone (a Mac without BIZ UDPゴシック) and,
    where the machine has it, with BIZ UDPゴシック: no paragraph ends on a line of fewer than four
    characters, no katakana word or kanji compound is split (scripts/line_breaks.py) — on every
    slide: the summary slide's paragraphs, which no one box width breaks well in both fonts, are
    set a shade looser or tighter, or broken by slidegen itself."""
    import subprocess

    from slidegen.figures.fonts import fallback_font

    deck = built[0].out / "R6_deck.pptx"
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{fallback_font().path.parent}</dir>'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    renders = [line_breaks["faults"](deck, conf)]
    if "BIZ UDPGothic" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout:
        renders.append(line_breaks["faults_in"](deck, r6_lo_render))
    for found in renders:
        assert found == []


@LIBREOFFICE
def test_headings_and_captions_stand_where_the_pdf_puts_them(built, line_breaks, r6_lo_render):
    """Each slide's heading and each figure's caption starts at the same place in LibreOffice's
    render of the PPTX and in slidegen's PDF, within 2 pt (pdftotext -bbox-layout): the two writers
    place every placeholder alike (the template's titles once stood 12 pt apart)."""
    pdf = built[0].out / "R6_deck.pdf"
    compared = 0
    for page in range(1, 17):
        mine = line_breaks["page_lines"](pdf, page)
        ours, heading = {text: (x, y) for text, x, y in mine}, mine[0][0]
        for text, x, y in line_breaks["page_lines"](r6_lo_render, page):
            if text in ours and (text.startswith(("【図", "（図")) or (page > 1 and text == heading)):
                assert abs(x - ours[text][0]) <= 2 and abs(y - ours[text][1]) <= 2, (page, text, (x, y), ours[text])
                compared += 1
    assert compared >= 15 + 18  # every heading but the cover's, and every caption



def test_a_rebuild_lays_out_only_the_texts_whose_words_changed(r6, tmp_path, own_cache, responses_copy):
    """A build keeps each text as it laid it out in its cache; a rebuild after a correction lays
    out again only the texts the correction changed — every other is taken as it was — and gives
    the very deck a build with nothing kept gives."""
    import pickle

    from slidegen import slides

    def corrected_rows(rows):
        q4 = rows[0].index("Q4")
        next(r for r in rows[1:] if r[q4] == "1")[q4] = "2"

    corrected = responses_copy(corrected_rows)
    pipeline.build(r6, out=tmp_path / "R6")
    kept = tmp_path / ".cache" / "R6" / "layouts.pickle"
    assert kept.exists()
    fresh = pipeline.build(r6, data=corrected, out=tmp_path / "fresh")  # its own cache: all laid out anew
    before = set(pickle.loads(kept.read_bytes())["blocks"])
    again = pipeline.build(r6, data=corrected, out=tmp_path / "R6")  # the kept file alone serves it
    for name in ("R6_deck.pptx", "R6_deck.html", "R6_集計表.xlsx"):
        assert (again.out / name).read_bytes() == (fresh.out / name).read_bytes(), name
    laid = slides._USED - before
    assert len(before) > 50  # every text of the deck, each as fitted in its box
    assert 0 < len(laid) < 10, laid  # what the correction changed (a footnote), not the deck's whole text


def test_whole_counts_are_looked_for_where_they_can_round_to_a_share():
    """The counts that round to a published share are looked for within 0.06 points of it, not
    among every count up to n: the same counts, for every one-decimal share and n up to 40, and
    for a seventh of them at the n of R6's figures."""
    from slidegen.aggregate import percent
    from slidegen.compare import verify

    cases = [(n, w / 10) for n in range(1, 41) for w in range(1001)]
    cases += [(n, w / 10) for n in (975, 1403) for w in range(0, 1001, 7)]
    for n, share in cases:
        every = [c for c in range(n + 1) if percent(c, n) == round(share, 1)]
        assert verify._whole_counts_give(n, [share, 100 - share]) == any(
            percent(n - c, n) == round(100 - share, 1) for c in every
        ), (n, share)
