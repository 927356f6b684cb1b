"""The shipped R6 data reproduces the published deck: every n, value and claim of
data/R6/published.yaml (a copy of ../shared/reference/R6-published.yaml), read from that file.
Everything here runs from the repo's own files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from slidegen.aggregate import ranked
from slidegen.inputs.master import BODY_KINDS

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "R6-published.yaml"


@pytest.fixture(scope="module")
def published(r6):
    data = yaml.safe_load(r6.published.read_text(encoding="utf-8"))
    return data["survey"], {f["fig"]: f for f in data["figures"]}


def ranking(figure, series=0):
    """Option labels of a series in the ranking order the deck shows (slidegen.aggregate.ranked), 無回答 left out."""
    return [r.label for r in ranked(figure.series[series].rows) if r.code is not None]


def values(figure, series=0):
    return {r.label: r.value for r in figure.series[series].rows}


#: the SHA-256 of the secretariat's reference files (../shared/reference/) that the repo carries a
#: copy of, as recorded when they were copied: the copies are checked against these on any
#: checkout, and these against the reference files themselves wherever that folder is present
REFERENCE_COPIES = {
    "data/R6/published.yaml": ("R6-published.yaml", "0227b940218954952a482c7fcf75f41f2d08ac3298e9f341d3d719bbb9ed0e8f"),
    "data/R6/published-deck.txt": ("R6-deck-text.txt", "cdeeddcb04a2b7f1d390100173aa0135ab374db4a5376d809a47aaab9a763e7e"),
    "data/municipalities.csv": ("municipalities.csv", "954699dceb6846d746708961e3df0ee2f8964f55f93070f68fdeca67b1d7376a"),
}


@pytest.mark.parametrize("copy", sorted(REFERENCE_COPIES))
def test_the_repo_carries_the_reference_files_unchanged(copy):
    import hashlib

    name, recorded = REFERENCE_COPIES[copy]
    assert hashlib.sha256((ROOT / copy).read_bytes()).hexdigest() == recorded, f"{copy} differs from {name}"
    reference = REFERENCE.parent / name
    if reference.exists():  # beside the secretariat's folder: the record is of its file
        assert hashlib.sha256(reference.read_bytes()).hexdigest() == recorded, f"{name} changed: copy it again"


def test_survey_overview(r6_tables, r6_inputs, published):
    survey, _ = published
    o = r6_tables.survey
    assert o.target == 1788 == int(survey["target"][2:6])
    assert o.responses == survey["respondents"]
    assert o.response_rate == survey["response_rate"]
    assert o.response_rate_by_kind == survey["response_rate_by_kind"]
    assert list(o.responses_by_kind) == list(BODY_KINDS)
    meta = r6_inputs.codebook.survey
    for key in ("title", "fiscal_year", "author", "published", "period", "target"):
        assert getattr(meta, key) == survey[key]


def test_every_figure_n_and_title(r6_tables, published):
    _, figures = published
    assert [f.number for f in r6_tables.figures] == sorted(figures)
    for number, spec in figures.items():
        figure = r6_tables.figure(number)
        assert figure.title == spec["title"], number
        n = spec.get("n") or figures[spec["derived_from"]]["n"]
        assert figure.n == n, number
        if "answer" in spec:
            assert figure.answer == spec["answer"].split(",")[0], number


def test_every_known_option_label_is_in_the_codebook_verbatim(r6_inputs, published):
    _, figures = published
    for number, spec in figures.items():
        labels = {r for q in r6_inputs.codebook.figure(number).series for r in
                  (o.label for o in r6_inputs.codebook.questions[q.question].options)}
        for label in spec.get("known_options", []) + list(spec.get("values", {})):
            if label != "無回答":
                assert label in labels, (number, label)
                option = next(o for q in r6_inputs.codebook.figure(number).series
                              for o in r6_inputs.codebook.questions[q.question].options if o.label == label)
                assert not option.illustrative, (number, label)


def test_published_values(r6_tables, published):
    """Every published percentage comes out exactly, except the one figure 2 cannot give."""
    _, figures = published
    differences = []
    for number, spec in figures.items():
        got = values(r6_tables.figure(number))
        for label, value in spec.get("values", {}).items():
            if got[label] != value:
                differences.append((number, label, got[label], value))
    # figure 2's five values add to 100.1 %: no counts summing to 975 give them all (its note)
    assert "no five whole counts" in figures[2]["note"]
    assert len(differences) == 1
    number, label, got, value = differences[0]
    assert number == 2 and abs(got - value) == pytest.approx(0.1)


def test_annotations_sum_the_first_two_options(r6_tables, published):
    _, figures = published
    for number in (2, 4):
        annotation = figures[number]["annotation"]
        expected = float(annotation.split("→")[1].split("％")[0])
        rows = r6_tables.figure(number).series[0].rows
        from slidegen.aggregate import percent

        assert percent(rows[0].count + rows[1].count, r6_tables.figure(number).n) == expected


def test_claims(r6_tables, published):
    _, figures = published
    f = r6_tables.figure
    known = {n: figures[n].get("known_options", []) for n in figures}
    # 3: the two known options are the two most chosen
    assert set(ranking(f(3))[:2]) == set(known[3])
    # 5: ノウハウ most chosen at about 70 %; all three known options above half
    assert ranking(f(5))[0] == known[5][0]
    assert round(values(f(5))[known[5][0]], -1) == 70
    assert all(values(f(5))[label] > 50 for label in known[5])
    # 6: the two known options are the top two, each at about half
    assert set(ranking(f(6))[:2]) == set(known[6])
    assert all(45 <= values(f(6))[label] < 55 for label in known[6])
    # 7: 各種会議等への参加 tops both series; the two 情報提供 follow it in 期待
    assert ranking(f(7), 0)[0] == ranking(f(7), 1)[0] == known[7][0]
    assert set(ranking(f(7), 1)[1:3]) == set(known[7][1:3])
    # 8: 地域経済動向 and 地域課題 情報提供 top the difference; 9: 調査・マーケティング and 出資 the ratio
    assert [r.label for r in f(8).series[0].rows[:2]] == [known[7][2], known[7][1]]
    assert [r.label for r in f(9).series[0].rows[:2]] == [known[7][3], known[7][4]]
    assert all(len(f(n).series[0].rows) == 5 for n in (8, 9, 11, 12))
    # 10: 実績 top two; 意向 top three in order
    assert ranking(f(10), 0)[:2] == known[10][:2]
    assert ranking(f(10), 1)[:3] == [known[10][0], known[10][2], known[10][3]]
    # 11 and 12: top three in order
    assert [r.label for r in f(11).series[0].rows[:3]] == [known[10][2], known[10][4], known[10][5]]
    assert [r.label for r in f(12).series[0].rows[:3]] == known[10][6:9]
    # 13: the most chosen reason is an absence (…がない)
    assert ranking(f(13))[0].endswith("がない")
    # 14, 17: the three known options are the top three in order; 18: the top two
    assert ranking(f(14))[:3] == known[14]
    assert ranking(f(17))[:3] == known[17]
    assert ranking(f(18))[:2] == known[18]
    # 16: the top items are about initiative (提案活動, 業務運営) and information support
    top3 = ranking(f(16))[:3]
    assert any("提案活動" in t for t in top3) and any("業務運営" in t for t in top3) and any("情報" in t for t in top3)


def test_figure_15_gains_and_footnotes(r6_tables, r6_inputs, published):
    _, figures = published
    spec = figures[15]
    figure = r6_tables.figure(15)
    first, second = figure.series
    assert set(ranking(figure, 0)[:2]) == set(ranking(figure, 1)[:2]) == set(spec["known_options"][:2])
    gains = {a.label: round(b.value - a.value, 1) for a, b in zip(first.rows, second.rows) if a.code is not None}
    # the deck prints a gain beside four bars: exactly the gains of 2.0 points or more, in display order
    printed = [g for g in gains.values() if g >= 2.0]
    assert printed == spec["deltas_pt"]
    assert max(gains, key=gains.get) == "地方創生関連事業者" and gains["地方創生関連事業者"] == 13.1
    options = r6_inputs.codebook.questions["Q15A"].options
    footnotes = [f"※{i}：{o.footnote}" for i, o in enumerate((o for o in options if o.footnote), start=1)]
    assert footnotes == spec["footnotes"]

