"""Aggregation rules on a small survey made for the purpose: rounding, 無回答, bases and gaps."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from slidegen.aggregate import aggregate, half_up, percent
from slidegen.figures.kinds import KINDS
from slidegen.inputs.codebook import load_codebook
from slidegen.inputs.master import load_master
from slidegen.inputs.reading import RawTable
from slidegen.inputs.responses import check_responses

CODEBOOK = """
survey: {year: T1, fiscal_year: 試験, title: 試験調査, author: 試験, published: 令和７年１月, period: 試験, target: 試験}
bases:
  all: {label: 全体}
  said_yes: {label: はいの団体, question: A, codes: [1]}
questions:
  - {id: A, text: 問A, answer: single, base: all, no_answer: true,
     options: [{code: 1, label: はい}, {code: 2, label: いいえ}]}
  - {id: B, text: 問B, answer: multi, base: said_yes,
     options: [{code: 1, label: 甲}, {code: 2, label: 乙}, {code: 3, label: 丙}, {code: 4, label: その他, other: true}]}
  - {id: C, text: 問C, answer: multi, base: said_yes, options_from: B}
figures:
  - {number: 1, title: 図A, question: A}
  - {number: 2, title: 図BC, series: [{name: 実績, question: B}, {name: 意向, question: C}]}
  - {number: 3, title: 差, gap: {figure: 2, measure: difference, top: 2}}
  - {number: 4, title: 倍率, gap: {figure: 2, measure: ratio, top: 5}}
"""

# 16 bodies: A = はい ×8, いいえ ×7, blank ×1. Among the 8: B and C per option (甲 乙 丙 その他).
ANSWERS = [
    ("1", "1000", "1001"), ("1", "0010", "1011"), ("1", "0010", "1101"), ("1", "0001", "0101"),
    ("1", "0000", "0101"), ("1", "0000", "0001"), ("1", "", "0001"), ("1", "0000", "0010"),
    *[("2", "", "")] * 7, ("", "", ""),
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    path = tmp_path_factory.mktemp("t1") / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    codebook = load_codebook(path, KINDS)
    master = load_master(ROOT / "data" / "municipalities.csv")
    header = ("団体コード", *codebook.columns)
    rows = []
    for line, (code, (a, b, c)) in enumerate(zip(list(master)[:16], ANSWERS), start=2):
        rows.append((line, (code, a, *(b or "    "), *(c or "    "))))
    rows = tuple((n, tuple(x.strip() for x in r)) for n, r in rows)
    responses = check_responses(RawTable(Path("t.csv"), header, rows, "utf-8"), codebook, master)
    return aggregate(codebook, responses, master)


@pytest.mark.parametrize(
    "count, n, expected",
    [(1, 16, 6.3), (7, 16, 43.8), (1, 8, 12.5), (975, 1403, 69.5), (428, 1403, 30.5), (2, 3, 66.7),
     (1, 3, 33.3), (0, 5, 0.0), (0, 0, 0.0), (1403, 1403, 100.0), (1, 40, 2.5), (3, 40, 7.5)],
)
def test_percent_rounds_half_up(count, n, expected):
    assert percent(count, n) == expected


def test_half_up_is_not_bankers_rounding():
    assert round(6.25, 1) == 6.2  # what Python's round gives
    assert half_up(625, 100) == 6.3
    assert half_up(-625, 100) == -6.3
    assert half_up(5, 2) == 2.5


def test_single_answer_with_no_answer(tables):
    rows = tables.figure(1).series[0].rows
    assert [(r.label, r.count, r.value) for r in rows] == [("はい", 8, 50.0), ("いいえ", 7, 43.8), ("無回答", 1, 6.3)]
    assert tables.figure(1).n == 16


def test_paired_multi_answer_on_its_base(tables):
    fig = tables.figure(2)
    assert fig.n == 8 and fig.base == "はいの団体"
    b, c = fig.series
    assert [(r.label, r.count) for r in b.rows] == [("甲", 1), ("乙", 0), ("丙", 2), ("その他", 1), ("無回答", 4)]
    assert [(r.label, r.count) for r in c.rows] == [("甲", 3), ("乙", 3), ("丙", 2), ("その他", 7), ("無回答", 0)]


def test_difference_gap(tables):
    fig = tables.figure(3)
    assert fig.unit == "points" and fig.series[0].name == "意向−実績"
    # the catch-all (その他, +75.0) is left out; top 2 of the rest, from the displayed percentages
    assert [(r.label, r.value) for r in fig.series[0].rows] == [("乙", 37.5), ("甲", 25.0)]


def test_ratio_gap(tables):
    fig = tables.figure(4)
    assert fig.unit == "times" and fig.series[0].name == "意向/実績"
    # 乙 was chosen by none in 実績: no ratio, left out; その他 is a catch-all
    assert [(r.label, r.value, r.count) for r in fig.series[0].rows] == [("甲", 3.0, None), ("丙", 1.0, None)]


def test_overview_counts_respondents_by_kind(tables):
    o = tables.survey
    assert o.target == 1788 and o.responses == 16
    assert o.responses_by_kind["都道府県"] == 1 and o.responses_by_kind["市"] == 15
