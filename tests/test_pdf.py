"""The PDF, read back with pypdf: one page per slide, fonts embedded, text extractable, outline
and metadata; and the kinsoku rules on every wrapped line the pages draw."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import ROOT
from pypdf import PdfReader
from test_deck import normal, reference_sentences, unmarked

from slidegen import pipeline
from slidegen.figures.fonts import FontError, resolve_font
from slidegen.figures.jptext import NO_END, NO_START, violations
from slidegen.inputs.deck import Bullet
from slidegen.slides import build_deck


@pytest.fixture(scope="module")
def reader(r6_build):
    result, _ = r6_build
    return PdfReader(str(result.out / "R6_deck.pdf"))


@pytest.fixture(scope="module")
def deck(r6_inputs, r6_tables, figure_cache):
    font = resolve_font()
    rendered = pipeline.figures(r6_inputs, r6_tables, font, figure_cache, png=False)
    return build_deck(r6_inputs.deck, r6_tables, r6_inputs.codebook, rendered, ROOT / "layouts" / "slidegen.pptx", font, "source")


def test_one_16_9_page_per_slide(reader, r6_inputs):
    assert len(reader.pages) == len(r6_inputs.deck.slides) == 16
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (960.0, 540.0)


def test_every_font_is_embedded(reader):
    fonts = {}
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            descriptor = f.get("/FontDescriptor")
            fonts[f["/BaseFont"]] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    assert fonts and all(fonts.values()), fonts
    assert all("+" in name for name in fonts)  # subsets (ABCDEF+Name)


def test_text_is_extractable_and_has_every_published_sentence(reader, r6):
    text = normal(unmarked("".join(page.extract_text() for page in reader.pages)))
    reference = (r6.data_dir / "published-deck.txt").read_text(encoding="utf-8")
    missing = [s for s in reference_sentences(reference) if normal(s) not in text]
    assert missing == []


def test_metadata_language_and_outline(reader, r6_inputs):
    survey = r6_inputs.codebook.survey
    assert reader.metadata.title == survey.title
    assert reader.metadata.author == survey.author
    assert reader.metadata.subject == f"{survey.fiscal_year} {survey.title}"
    assert reader.root_object["/Lang"] == "ja-JP"
    titles = [entry.title for entry in reader.outline]
    assert titles[0] == f"1. {survey.title}"
    assert titles[1:] == [f"{n}. {s.heading}" for n, s in enumerate(r6_inputs.deck.slides[1:], start=2)]
    assert [reader.get_destination_page_number(e) for e in reader.outline] == list(range(16))


def test_figures_are_vectors(reader):
    """A figure page holds no raster image: the charts are drawn as paths."""
    for page in reader.pages:
        assert not page.images


def test_kinsoku_on_every_wrapped_line(deck):
    checked = 0
    for slide in deck.slides:
        for block in slide.blocks:
            for paragraph in block.paragraphs:
                assert violations(paragraph.lines) == [], (slide.number, block.role)
                checked += len(paragraph.lines)
    assert checked > 100
    wrapped = [p for s in deck.slides for b in s.blocks for p in b.paragraphs if len(p.lines) > 1]
    assert len(wrapped) >= 10  # the rules were exercised on real breaks


def test_kinsoku_rules_themselves():
    from slidegen.figures.jptext import wrap

    measure = lambda s: len(s)  # one unit a character
    for text in ["あいうえお、かきくけこ。さしすせそ", "「あいう」えお（かき）くけこ【さし】す", "約70％が回答したRESAS等の活用"]:
        for width in range(3, 12):
            lines = wrap(text, width, measure)
            assert "".join(lines) == text.replace(" ", "")
            assert violations(lines) == [], (text, width, lines)
            assert not any(line and line[0] in NO_START for line in lines[1:])
            assert not any(line and line[-1] in NO_END for line in lines[:-1])
    for width in range(5, 12):  # numbers stay whole on one line, however narrow
        lines = wrap("全国1,403自治体の78.5％", width, measure)
        assert any("1,403" in line for line in lines) and any("78.5％" in line for line in lines), lines


def test_a_character_the_font_lacks_fails_the_build(r6_inputs, r6_tables, deck):
    slides = list(r6_inputs.deck.slides)
    slides[2] = dataclasses.replace(slides[2], bullets=(Bullet("連携状況\U0001D11Eを調査した"),))
    spec = dataclasses.replace(r6_inputs.deck, slides=tuple(slides))
    rendered = pipeline.figures(r6_inputs, r6_tables, resolve_font(), png=False)
    with pytest.raises(FontError, match=r"^slide 3 \(金融機関との連携状況について\), bullets: the font .* has no glyph for '\U0001D11E' \(U\+1D11E\)"):
        build_deck(spec, r6_tables, r6_inputs.codebook, rendered, ROOT / "layouts" / "slidegen.pptx", resolve_font(), "source")


def test_each_page_reads_heading_sentences_caption_then_figure(reader):
    """Issue 21, item 1 (in part): the PDF's text comes out in reading order — a copy, a screen
    reader, pdftotext take the heading, the sentences, each figure's caption and unit line, then
    the figure's own labels, then the notes — and the reader's window shows the title."""
    text = reader.pages[3].extract_text()
    order = ["金融機関との連携関係の変化", "9割以上の地方自治体", "【図２】金融機関との連携関係の変化", "(n=975)",
             "当初疎遠だったが", "【図３】", "接触機会（会議", "†は例示の選択肢"]
    places = [text.find(t) for t in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places))
    assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.trailer["/Root"]["/Lang"] == "ja-JP"


def _same_face(ours, theirs, in_order: bool = True) -> None:
    """Two reportlab faces with the same fields of the same types — set in the same order, with
    ``in_order`` — each table (a dict) in the same order."""
    fields = {k: v for k, v in vars(theirs).items() if k != "_pdfScale"}
    assert sorted(vars(ours)) == sorted(vars(theirs))
    if in_order:
        assert list(vars(ours)) == list(vars(theirs))
    for k, v in fields.items():
        assert getattr(ours, k) == v and type(getattr(ours, k)) is type(v), k
        if isinstance(v, dict):  # the same order too: what reportlab iterates, it iterates alike
            assert list(getattr(ours, k)) == list(v), k
    assert ours._pdfScale(1234) == theirs._pdfScale(1234)


def test_a_face_read_in_bulk_is_the_face_reportlab_parses():
    """A first build reads a face's character map, widths and glyph places in bulk
    (pdf_faces._parse): the face reportlab's own parse gives, field for field and in order —
    checked on every TrueType font of the machine that reportlab can subset."""
    import glob

    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    from slidegen.figures.fonts import bold_of
    from slidegen.writers import pdf_faces

    paths = {resolve_font().path, bold_of(resolve_font()).path}
    paths |= {Path(p) for p in glob.glob("/usr/share/fonts/**/*.ttf", recursive=True)}
    compared = 0
    for path in sorted(paths):
        try:
            theirs = TTFont("slidegen-test", str(path)).face
        except TTFError:
            assert pdf_faces._parse(path) is None
            continue
        ours = pdf_faces._parse(path)
        assert ours is not None, path
        _same_face(ours, theirs)
        compared += 1
    assert compared >= 2


def test_a_font_the_bulk_reading_does_not_know_is_parsed_by_reportlab(tmp_path):
    """A character map in a format the bulk reading leaves to reportlab (here 13, the build's
    font's format 12 relabelled): pdf_faces.ttfont gives reportlab's own parse of it."""
    import struct

    from reportlab.pdfbase.ttfonts import TTFont

    from slidegen.writers import pdf_faces

    data = bytearray(resolve_font().path.read_bytes())
    face = TTFont("slidegen-test", str(resolve_font().path)).face
    cmap = face.table["cmap"]["offset"]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    relabelled = 0
    for n in range(count):
        offset = struct.unpack_from(">L", data, cmap + 4 + 8 * n + 4)[0]
        if struct.unpack_from(">H", data, cmap + offset)[0] == 12:
            struct.pack_into(">H", data, cmap + offset, 13)
            relabelled += 1
    assert relabelled, "the build's font has a format 12 character map"
    path = tmp_path / "relabelled.ttf"
    path.write_bytes(bytes(data))
    assert pdf_faces._parse(path) is None
    _same_face(pdf_faces.ttfont("slidegen-test", path).face, TTFont("slidegen-test", str(path)).face)


def test_a_face_kept_between_builds_is_the_face_reportlab_parses(tmp_path):
    """A rebuild puts the PDF's font together from what the last build kept of reportlab's parse
    (slidegen.writers.pdf_faces): the same face, field for field, so the same PDF."""
    from reportlab.pdfbase.ttfonts import TTFont

    from slidegen.figures.fonts import bold_of
    from slidegen.writers import pdf_faces

    written: list[Path] = []

    def write(path: Path, data: bytes) -> None:
        written.append(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    for path in {resolve_font().path, bold_of(resolve_font()).path}:
        with pdf_faces.kept_faces(tmp_path, write):
            parsed = pdf_faces.ttfont("slidegen-test", path)  # parsed, and kept
            kept = pdf_faces.ttfont("slidegen-test", path)  # put together from what was kept
        assert written[-1].parent == tmp_path and len(written) == len(set(written))
        assert kept.face is not parsed.face
        _same_face(kept.face, parsed.face, in_order=False)  # the file's bytes are set last
        _same_face(parsed.face, TTFont("slidegen-test", str(path)).face)  # reportlab's own parse
        assert kept.face.name.ustr == parsed.face.name.ustr
        others = {k: v for k, v in vars(parsed).items() if k not in ("face", "state", "encoding")}
        assert {k: v for k, v in vars(kept).items() if k not in ("face", "state", "encoding")} == others
        text = "約7割の自治体が連携（R6）"
        assert kept.stringWidth(text, 12) == parsed.stringWidth(text, 12)
        assert kept.face.makeSubset([0x7D04, 0x5272, 0x0037]) == parsed.face.makeSubset([0x7D04, 0x5272, 0x0037])
