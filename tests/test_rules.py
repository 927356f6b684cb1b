"""The pure rules the outputs share, tested on their own, without a build: how a number is written
(slidegen.figures.wording), the ranking and the gains a figure prints (slidegen.aggregate), where
a band's parts and labels go (slidegen.figures.layout) and what each chart kind asks of a figure
(slidegen.figures.kinds)."""

from __future__ import annotations

import pytest

from slidegen.aggregate import FigureTable, Row, Series, ranked, shown_gains
from slidegen.figures import wording
from slidegen.figures.kinds import KINDS
from slidegen.figures.layout import FitError, band_label_width, band_labels, band_spans
from slidegen.inputs.kinds import DERIVED, ONE, PAIR, accepting, default_kind


@pytest.mark.parametrize("value, unit, shown, said", [
    (69.5, "percent", "69.5", "69.5％"),
    (69.45, "percent", "69.5", "69.5％"),  # (as the aggregate gives it: rounded half up already)
    (24.3, "points", "24.3", "24.3ポイント"),
    (2.25, "times", "2.2倍", "2.2倍"),  # Python's format, as every output prints it
    (0.0, "percent", "0.0", "0.0％"),
])
def test_a_value_is_written_one_way_on_every_output(value, unit, shown, said):
    assert wording.value_text(value, unit) == shown
    assert wording.alt_value(value, unit) == said


def test_gains_shares_and_brackets_are_written_as_the_deck_prints_them():
    assert wording.gain_text(13.1) == "＋13.1pt" and wording.gain_text(-0.4) == "－0.4pt"
    assert wording.gain_text(0.0) == "＋0.0pt"
    assert wording.percent_text(91.25) == "91.2％"
    assert wording.gain_alt(13.1) == "＋13.1ポイント" and wording.gain_alt(-2.0) == "－2.0ポイント"
    assert wording.bracket_text("深い連携関係を維持・構築", 91.3) == "深い連携関係を維持・構築→91.3％"


def row(label, value, count=None, code=1, other=False, nonanswer=False):
    return Row(label, count, value, code, other=other, nonanswer=nonanswer)


def test_ranking_puts_the_catch_alls_and_the_non_answers_last_whatever_their_size():
    rows = [row("A", 10, 10, 1), row("その他", 50, 50, 2, other=True), row("B", 30, 30, 3),
            row("特にない", 40, 40, 4, nonanswer=True), row("無回答", 60, 60, None), row("C", 30, 30, 5)]
    assert [r.label for r in ranked(rows)] == ["B", "C", "A", "その他", "特にない", "無回答"]  # a tie keeps codebook order
    assert [r.label for r in ranked(rows, False)] == ["A", "B", "C", "その他", "特にない", "無回答"]


def test_a_paired_figure_prints_the_gains_of_at_least_its_least():
    first = Series("実績", (row("A", 10.0, 10, 1), row("B", 20.0, 20, 2), row("その他", 1.0, 1, 3, other=True)))
    second = Series("意向", (row("A", 25.5, 25, 1), row("B", 21.0, 21, 2), row("その他", 9.0, 9, 3, other=True)))
    table = FigureTable(7, "t", "multi", 100, "percent", (first, second), "linked")
    assert [(r.label, g) for r, g in shown_gains(table, 2.0)] == [("A", 15.5)]  # B gains 1.0; その他 never
    assert [(r.label, g) for r, g in shown_gains(table, 0.5)] == [("A", 15.5), ("B", 1.0)]
    assert shown_gains(table, None) == []


def test_a_band_is_split_by_weight_and_its_labels_sit_under_their_parts_or_hang():
    spans = band_spans([50, 30, 19, 1], 0, 100)
    assert spans == [(0, 50), (50, 80), (80, 99), (99, 100)]
    places = band_labels(spans, [20, 20, 12, 12], 0, 100)
    assert [p.tier for p in places[:3]] == [0, 0, 0] and not any(p.leader for p in places[:3])
    assert places[3].leader and places[3].tier >= 1 and places[3].right <= 100  # too narrow: hung from a leader
    with pytest.raises(FitError):
        band_labels(band_spans([1] * 12 + [88], 0, 100), [30] * 13, 0, 100)


def test_a_band_label_breaks_no_narrower_than_its_first_clause():
    width = band_label_width(["当初疎遠だったが、関係が深まった", "変わらない"], len, 12)
    assert width == len("当初疎遠だったが、")


def test_each_shape_of_figure_has_one_default_kind_and_the_kinds_that_accept_it():
    assert default_kind(KINDS, ONE, "single") == "band" and default_kind(KINDS, ONE, "multi") == "ranking"
    assert default_kind(KINDS, PAIR, "multi") == "paired" and default_kind(KINDS, DERIVED, "single") == "gap"
    assert accepting(KINDS, ONE, "single") == ["doughnut", "band"]
    assert all(k.name == name and callable(k.picture) and callable(k.native) for name, k in KINDS.items())


def test_alt_text_says_every_series_and_the_annotations_numbers(r6_inputs, r6_tables):
    from slidegen.figures import describe

    alt = {n: describe(r6_inputs.codebook.figure(n), r6_tables.figure(n), r6_inputs.codebook, "full").alt_text
           for n in (1, 2, 15)}
    assert "中央に連携あり（予定含む） 69.5％" in alt[1]
    # after the bracket, where the figure departs from the published deck and why (issue 23)
    assert alt[2].endswith("深い連携関係を維持・構築 計91.3％。無回答は公表値1.4％（公表値5つの合計が100.1％で、"
                           "n=975では5つすべてを再現する回答数がないため、回答数からの比率を示した）")
    assert "。実績：教育機関 42.3％" in alt[15] and "。意向：教育機関 43.1％" in alt[15]
    assert "地方創生関連事業者 ＋13.1ポイント" in alt[15]
