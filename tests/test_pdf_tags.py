"""The tagged PDF (issue 21, item 1): a PDF/UA-1 checker finds nothing, and the structure tree,
read back with pikepdf, gives per slide the heading, the sentences, each figure with the PPTX's
alt text and its data as a table whose cells are ``tables --json``'s — in the order they are read."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import ROOT
from pptx import Presentation

from slidegen.cli import main
from slidegen.figures import figure_label

P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    """A simple font's ToUnicode map: code → text (reportlab writes single-byte ``bfchar`` entries)."""
    data = font.ToUnicode.read_bytes().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    return mapping


def marked_text(pdf: pikepdf.Pdf) -> dict[tuple[int, int], str]:
    """The text inside each marked-content sequence with an id, by (page, MCID), decoded through
    the fonts' ToUnicode maps — what a screen reader gets for each structure element."""
    found: dict[tuple[int, int], str] = {}
    for p, page in enumerate(pdf.pages):
        fonts = {name: _unicode_map(f) for name, f in page.Resources.Font.items()}
        open_ids: list[int | None] = []
        font: dict[int, str] = {}
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                open_ids.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None)
            elif op == "BMC":
                open_ids.append(None)
            elif op == "EMC":
                open_ids.pop()
            elif op == "Tf":
                font = fonts[str(operands[0])]
            elif op in ("Tj", "TJ", "'", '"'):
                strings = operands[0] if op == "TJ" else [operands[-1]]
                text = "".join(font[b] for s in strings if isinstance(s, pikepdf.String) for b in bytes(s))
                mcid = next((m for m in reversed(open_ids) if m is not None), None)
                assert mcid is not None or any(m is None for m in open_ids), f"page {p + 1}: untagged text {text!r}"
                if mcid is not None:
                    found[(p, mcid)] = found.get((p, mcid), "") + text
    return found


class Tree:
    """The structure tree of a tagged PDF, with the text of each element."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.page_of = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        self.text = marked_text(pdf)

    def kids(self, node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
        k = node.get("/K")
        items = list(k) if isinstance(k, pikepdf.Array) else [k]
        return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR"]

    def type(self, node: pikepdf.Dictionary) -> str:
        return str(node.S)[1:]

    def text_of(self, node: pikepdf.Dictionary) -> str:
        k = node.get("/K")
        out = []
        for kid in list(k) if isinstance(k, pikepdf.Array) else [k]:
            if isinstance(kid, int):
                out.append(self.text.get((self.page_of[node.Pg.objgen], kid), ""))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                out.append(self.text.get((self.page_of[kid.Pg.objgen], int(kid.MCID)), ""))
            elif isinstance(kid, pikepdf.Dictionary):
                out.append(self.text_of(kid))
        return "".join(out)

    def walk(self, node: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
        yield node
        for kid in self.kids(node):
            yield from self.walk(kid)


@pytest.fixture(scope="module")
def tree(r6_build):
    result, _ = r6_build
    return Tree(pikepdf.open(result.out / "R6_deck.pdf"))


@pytest.fixture(scope="module")
def tables_json():
    result = CliRunner().invoke(main, ["--root", str(ROOT), "tables", "--year", "R6", "--json"])
    assert result.exit_code == 0, result.output
    return {f["number"]: f for f in json.loads(result.stdout)["figures"]}


def test_a_pdf_ua_1_checker_finds_nothing(r6_build):
    """page-validation (PyPI: a Rust port of veraPDF's PDF/UA-1 rules, passing its corpus)."""
    import page

    result, _ = r6_build
    report = page.validate_pdf(str(result.out / "R6_deck.pdf"), profile=page.ValidationProfile.PDF_UA_1)
    assert [(f.rule_id, f.message) for f in report.failures] == []
    assert report.is_compliant and report.rules.total > 100


def test_the_document_says_it_is_tagged_japanese_and_titled(tree):
    root = tree.pdf.Root
    assert bool(root.MarkInfo.Marked) and root.Lang == "ja-JP"
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    xmp = root.Metadata.read_bytes().decode("utf-8")
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert f">{tree.pdf.docinfo.Title}</rdf:li>" in xmp
    assert all(page.obj.Tabs == "/S" for page in tree.pdf.pages)


def test_each_slide_is_a_section_read_heading_sentences_figure_table_notes(tree, r6_build, tables_json):
    result, _ = r6_build
    prs = Presentation(str(result.out / "R6_deck.pptx"))
    document = tree.pdf.Root.StructTreeRoot.K
    assert tree.type(document) == "Document"
    sections = tree.kids(document)
    assert len(sections) == len(prs.slides) == 16
    for number, (section, slide) in enumerate(zip(sections, prs.slides), start=1):
        kids = tree.kids(section)
        types = [tree.type(k) for k in kids]
        heading = slide.shapes.title.text_frame.text.replace("\n", "") if number > 1 else None
        if number == 1:
            assert "H1" in types and tree.text_of(kids[types.index("H1")]).startswith("地方創生における金融機関との連携状況")
            continue
        assert types[0] == "H2" and tree.text_of(kids[0]) == heading, number
        # the sentences: a list whose items' bodies are the PPTX's bullet paragraphs
        body = next(s for s in slide.shapes if s.name == f"slidegen:s{number}:bullets")
        sentences = [p.text for p in body.text_frame.paragraphs if p.text]
        listed = kids[types.index("L")]
        items = [tree.text_of(next(k for k in tree.kids(li) if tree.type(k) == "LBody")) for li in tree.kids(listed)]
        assert items == sentences, number
        # each figure: the PPTX's alt text, then its data; after the sentences, in the PPTX's order
        alts = [e.get("descr") for e in slide.shapes._spTree.iter(f"{P_NS}cNvPr") if re.fullmatch(r"slidegen:図\d+", e.get("name") or "")]
        figures = [i for i, t in enumerate(types) if t == "Figure"]
        assert [str(kids[i].Alt) for i in figures] == alts, number
        assert all(types.index("L") < i for i in figures)
        for i in figures:
            assert types[i + 1] == "Table", number
            figure = next(n for n in tables_json if str(kids[i].Alt).startswith(f"{figure_label(n)} "))
            check_table(tree, kids[i + 1], tables_json[figure])
        # the running footer and the page number are artifacts: no element holds them
        texts = [tree.text_of(k) for k in kids]
        assert str(number) not in texts and not any(t.startswith("本資料の数値はサンプルデータ") for t in texts)


def check_table(tree: Tree, table: pikepdf.Dictionary, expected: dict) -> None:
    """A figure's Table: its caption, a header row of TH cells (Scope Column), then a row per option
    — a TH (Scope Row) and a TD per series — whose numbers are ``tables --json``'s."""
    caption, *rows = tree.kids(table)
    assert tree.type(caption) == "Caption" and tree.text_of(caption).startswith(f"{figure_label(expected['number'])} ")
    header = [(tree.type(c), str(c.A.Scope), tree.text_of(c)) for c in tree.kids(rows[0])]
    assert header == [("TH", "/Column", "選択肢"), *(("TH", "/Column", s["name"]) for s in expected["series"])]
    shown = {}
    for row in rows[1:]:
        label, *cells = tree.kids(row)
        assert tree.type(label) == "TH" and str(label.A.Scope) == "/Row"
        assert [tree.type(c) for c in cells] == ["TD"] * len(expected["series"])
        shown[re.sub(r"(※\d+|†)+$", "", tree.text_of(label))] = [tree.text_of(c) for c in cells]
    for i, series in enumerate(expected["series"]):
        for r in series["rows"]:
            assert shown[r["label"]][i].rstrip("倍") == f"{r['value']:.1f}", (expected["number"], r["label"])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdftotext_reads_a_slide_in_reading_order(r6_build):
    """In the content's order (``-raw``): heading, sentences, caption, unit line, the figure's own
    labels, its data, the next figure, the notes, then the footer."""
    result, _ = r6_build
    text = subprocess.run(["pdftotext", "-raw", "-f", "4", "-l", "4", str(result.out / "R6_deck.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    order = ["金融機関との連携関係の変化\n", "9割以上の地方自治体", "【図２】", "(n=975)", "当初疎遠だったが、\n関係が深まった",
             "図２ 金融機関との連携関係の変化のデータ", "当初疎遠だったが、関係が深まった 30.5", "【図３】",
             "接触機会（会議、意見交換等）の増加・減少 58.2", "図３ 左記質問の回答理由のデータ", "†は例示の選択肢",
             "本資料の数値はサンプルデータ"]
    places = [text.find(t) for t in order]
    assert -1 not in places and places == sorted(places), list(zip(order, places))
