"""Corrections as the secretariat makes them: a resubmitted sheet replaces a body's whole answer,
a late answer adds a body, a line of the log withdraws one; `--corrections` chooses which apply;
a table that already holds the log is refused; the change report says every value that moved."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT, read_rows, write_rows

from slidegen import pipeline
from slidegen.cli import main
from slidegen.errors import ResponseError
from slidegen.inputs.corrections import COLUMNS
from slidegen.inputs.project import open_year


@pytest.fixture
def year(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "layouts", root / "layouts")
    return open_year(root, "R6")


def not_linked_now(header: list[str], row: list[str], linked: list[str]) -> list[str]:
    """The row of a linked body answering 連携なし instead: Q1 2, the linked questions blank, a reason given."""
    out = list(row)
    for i, column in enumerate(header):
        if column == "Q1":
            out[i] = "2"
        elif any(column == q or column.startswith(f"{q}_") for q in linked):
            out[i] = ""
        elif column.startswith("Q13_"):
            out[i] = "1" if column == "Q13_01" else "0"
    return out


def linked_questions(year) -> list[str]:
    return [q.id for q in pipeline.load_inputs(year).codebook.questions.values() if q.base == "linked"]


def tables_of(year, **kw) -> dict:
    return pipeline.tables(pipeline.load_inputs(year, **kw)).to_dict()


def test_a_resubmitted_sheet_replaces_a_bodys_whole_answer(year, tmp_path):
    """One row flips a body from 連携あり to 連携なし — no line per cell — and the aggregates are
    those of the response table edited by hand the same way."""
    rows = read_rows(year.responses)
    header = rows[0]
    at = next(i for i, r in enumerate(rows) if i and r[header.index("Q1")] == "1")
    new = not_linked_now(header, rows[at], linked_questions(year))
    pipeline.build(year)
    (year.resubmissions).mkdir()
    write_rows(year.resubmissions / "2025-02-10_再提出.csv", [header, new])
    messages: list[str] = []
    result = pipeline.build(year, progress=messages.append)

    by_hand = [*rows[:at], new, *rows[at + 1 :]]
    edited = write_rows(tmp_path / "by_hand.csv", by_hand)
    assert tables_of(year) == tables_of(year, data=edited, corrections="none")
    assert tables_of(year)["figures"][0]["series"][0]["rows"][0]["count"] == 974
    assert "resubmissions: 1 sheet(s) in resubmissions/ replaced 1 bodies' answers and added 0 late ones" in messages
    changes = (result.out / "changes.txt").read_text(encoding="utf-8").splitlines()
    name = pipeline.load_inputs(year).master[rows[at][0]].name
    assert changes[1] == "団体: 訂正 0、差し替え 1、追加 0、取り下げ 0"
    assert changes[2].startswith(f"  差し替え {rows[at][0]} {name}: Q1 1 → 2、")
    assert "スライド3 図1 連携済みまたは連携予定あり（件数） 975 → 974" in changes
    assert "スライド11 図13 n 428 → 429" in changes


def test_a_late_answer_adds_a_body_and_the_cover_follows(year):
    rows = read_rows(year.responses)
    header = rows[0]
    inputs = pipeline.load_inputs(year)
    answered = {r[0] for r in rows[1:]}
    code = next(c for c, b in inputs.master.items() if c not in answered and b.kind == "町")
    late = not_linked_now(header, rows[1], linked_questions(year))
    late[0], late[header.index("団体名")] = code, inputs.master[code].name
    towns = pipeline.tables(inputs).survey.responses_by_kind["町"]
    pipeline.build(year)
    year.resubmissions.mkdir()
    write_rows(year.resubmissions / "遅延回答.csv", [header, late])
    result = pipeline.build(year)
    changes = (result.out / "changes.txt").read_text(encoding="utf-8").splitlines()
    assert changes[1] == "団体: 訂正 0、差し替え 0、追加 1、取り下げ 0"
    assert changes[2] == f"  追加（遅れて届いた回答） {code} {inputs.master[code].name}"
    assert "スライド1 有効回答数 1,403 → 1,404" in changes
    assert f"スライド1 有効回答数（町） {towns:,} → {towns + 1:,}" in changes
    assert any(line.startswith("スライド1 有効回答率（町） 71.7 → ") for line in changes)
    assert any(line.startswith("スライド1 overview:") for line in changes)  # the cover's sentence too


def test_a_withdrawn_answer_is_removed(year):
    rows = read_rows(year.responses)
    code = rows[1][0]
    name = pipeline.load_inputs(year).master[code].name
    pipeline.build(year)
    write_rows(year.data_dir / "corrections.csv", [list(COLUMNS), [code, "*", "", "", "回答の取り下げ", "2025-02-11"]])
    messages: list[str] = []
    result = pipeline.build(year, progress=messages.append)
    assert "corrections: applied 1 from corrections.csv (withdrawing 1 bodies' answers)" in messages
    assert code not in pipeline.load_inputs(year).responses.frame.index
    changes = (result.out / "changes.txt").read_text(encoding="utf-8").splitlines()
    assert changes[1:4] == ["訂正 0件 → 1件", "団体: 訂正 0、差し替え 0、追加 0、取り下げ 1", f"  取り下げ {code} {name}"]
    assert "スライド1 有効回答数 1,403 → 1,402" in changes


def test_a_withdrawal_takes_no_new_value_and_nothing_after_it(year):
    code = read_rows(year.responses)[1][0]
    write_rows(
        year.data_dir / "corrections.csv",
        [list(COLUMNS), [code, "*", "", "1", "取り下げ", "2025-02-11"], [code, "*", "", "", "取り下げ", "2025-02-11"],
         [code, "Q1", "1", "2", "訂正", "2025-02-12"]],
    )
    with pytest.raises(ResponseError) as caught:
        pipeline.load_inputs(year)
    log = year.data_dir / "corrections.csv"
    assert [str(p) for p in caught.value.problems] == [
        f"{log}: row 団体コード {code} (line 2), column 新値: value '1': a withdrawal (設問 *) removes the body's whole "
        "answer and takes no new value; leave 新値 empty",
        f"{log}: row 団体コード {code} (line 4), column 団体コード: value '{code}': this body's answer was withdrawn at "
        "line 3 of the log; a later line cannot change it",
    ]


def test_a_problem_in_a_resubmitted_row_names_its_sheet_and_line(year):
    rows = read_rows(year.responses)
    header = rows[0]
    bad = list(rows[5])
    bad[header.index("Q1")] = "9"
    year.resubmissions.mkdir()
    sheet = write_rows(year.resubmissions / "再提出.csv", [header, bad])
    with pytest.raises(ResponseError) as caught:
        pipeline.load_inputs(year)
    assert str(caught.value.problems[0]).startswith(f"{sheet}: row 団体コード {bad[0]} (line 2), column Q1: value '9': ")
    write_rows(year.resubmissions / "再提出.csv", [header[:-1], bad[:-1]])
    with pytest.raises(ResponseError) as caught:
        pipeline.load_inputs(year)
    assert str(caught.value.problems[0]) == (
        f"{sheet}: line 1: missing column(s) {header[-1]}; a resubmitted sheet has the response table's columns (in any order)"
    )


def test_a_move_of_the_bracket_alone_is_in_the_report_and_in_diff(year, tmp_path):
    rows = read_rows(year.responses)
    header = rows[0]
    q4 = header.index("Q4")
    body = next(r for r in rows[1:] if r[q4] == "3")
    pipeline.build(year)
    write_rows(year.data_dir / "corrections.csv", [list(COLUMNS), [body[0], "Q4", "3", "1", "再回答", "2025-02-03"]])
    result = pipeline.build(year)
    changes = (result.out / "changes.txt").read_text(encoding="utf-8").splitlines()
    assert "スライド5 図4 ブラケット「概ね満足している」 86.1 → 86.2" in changes
    fixed = [list(r) for r in rows]
    next(r for r in fixed[1:] if r[0] == body[0])[q4] = "1"
    out = CliRunner().invoke(
        main,
        ["--root", str(year.root), "diff", str(year.responses), str(write_rows(tmp_path / "fixed.csv", fixed)),
         "--year", "R6", "--corrections", "none"],
    )
    assert out.exit_code == 1
    assert "スライド5 図4 ブラケット「概ね満足している」 86.1 → 86.2" in out.stdout.splitlines()


def test_corrections_none_builds_the_table_as_submitted(year):
    rows = read_rows(year.responses)
    q4 = rows[0].index("Q4")
    body = next(r for r in rows[1:] if r[q4] == "3")
    write_rows(year.data_dir / "corrections.csv", [list(COLUMNS), [body[0], "Q4", "3", "1", "再回答", "2025-02-03"]])
    messages: list[str] = []
    result = pipeline.build(year, out=year.root / "output" / "submitted", corrections="none", progress=messages.append)
    assert "corrections: none applied (the table as submitted)" in messages
    manifest = (result.out / "manifest.json").read_text(encoding="utf-8")
    assert '"applied": 0' in manifest
    assert tables_of(year, corrections="none") != tables_of(year)
    result = CliRunner().invoke(main, ["--root", str(year.root), "tables", "--year", "R6", "--corrections", "nowhere.csv"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --corrections nowhere.csv: no such file; name a corrections log (CSV or .xlsx), or none for the table as submitted.\n"
    )


def test_a_table_that_already_holds_the_log_is_refused_never_corrected_twice(year, tmp_path):
    rows = read_rows(year.responses)
    header = rows[0]
    q4 = header.index("Q4")
    bodies = [r for r in rows[1:] if r[q4] == "3"][:3]
    write_rows(year.data_dir / "corrections.csv", [list(COLUMNS), *[[b[0], "Q4", "3", "1", "再回答", "2025-02-03"] for b in bodies]])
    corrected = [list(r) for r in rows]
    for r in corrected[1:]:
        if r[0] in {b[0] for b in bodies}:
            r[q4] = "1"
    data = write_rows(tmp_path / "corrected.csv", corrected)
    result = CliRunner().invoke(main, ["--root", str(year.root), "tables", "--year", "R6", "--data", str(data)])
    assert result.exit_code == 1
    assert f"{data}: this table already holds every correction of {year.data_dir / 'corrections.csv'}" in result.stderr
    assert "Build it as it is with --corrections none" in result.stderr
    assert tables_of(year, data=data, corrections="none") == tables_of(year)  # applied once, either way
