"""Reading and checking response tables: encodings, Excel, and every mistake a data owner can make."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import read_rows

from slidegen import pipeline
from slidegen.errors import ResponseError, TableFileError
from slidegen.inputs.responses import load_responses


def load(r6_inputs, path):
    return load_responses(path, r6_inputs.codebook, r6_inputs.master)


def problems(r6_inputs, path) -> list[str]:
    with pytest.raises(ResponseError) as caught:
        load(r6_inputs, path)
    return [str(p) for p in caught.value.problems]


def column(rows, name):
    return rows[0].index(name)


def first_row(rows, q1: str) -> int:
    """Index of the first data row whose Q1 is ``q1`` (1: linked, 2: not linked)."""
    i = column(rows, "Q1")
    return next(k for k in range(1, len(rows)) if rows[k][i] == q1)


# ---- encodings and Excel -------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_encodings_give_the_same_tables(r6_inputs, r6_tables, responses_copy, encoding):
    path = responses_copy(encoding=encoding)
    responses = load(r6_inputs, path)
    assert responses.encoding == ("utf-8-sig" if encoding.startswith("utf-8") else "cp932")
    inputs = dataclasses.replace(r6_inputs, responses=responses)
    assert pipeline.tables(inputs) == r6_tables


def test_xlsx_gives_the_same_tables(r6, r6_inputs, r6_tables, tmp_path):
    from openpyxl import Workbook

    rows = read_rows(r6.responses)
    wb = Workbook()
    ws = wb.active
    ws.append(rows[0])
    for row in rows[1:]:
        # as Excel holds it: codes as numbers (leading zero lost), answers as numbers, blanks empty
        ws.append([int(row[0]), row[1], *[int(c) if c else None for c in row[2:]]])
    wb.save(tmp_path / "responses.xlsx")
    responses = load(r6_inputs, tmp_path / "responses.xlsx")
    inputs = dataclasses.replace(r6_inputs, responses=responses)
    assert pipeline.tables(inputs) == r6_tables


def test_full_width_digits_and_stray_spaces_are_read(r6_inputs, r6_tables, responses_copy):
    def edit(rows):
        q1 = column(rows, "Q1")
        for row in rows[1:50]:
            row[q1] = {"1": "１", "2": " 2 "}[row[q1]]
    responses = load(r6_inputs, responses_copy(edit))
    assert responses.frame["Q1"].tolist() == load(r6_inputs, responses_copy()).frame["Q1"].tolist()


# ---- files that are not tables ---------------------------------------------------------------

def test_empty_file(r6_inputs, tmp_path):
    (tmp_path / "r.csv").write_bytes(b"")
    with pytest.raises(TableFileError, match=r"r\.csv: the file is empty; expected a header row"):
        load(r6_inputs, tmp_path / "r.csv")


def test_binary_file(r6_inputs, tmp_path):
    (tmp_path / "r.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(TableFileError, match=r"r\.csv: this is not a text table \(it holds binary data\); expected CSV or \.xlsx"):
        load(r6_inputs, tmp_path / "r.csv")


def test_text_that_is_not_a_table(r6_inputs, tmp_path):
    (tmp_path / "r.csv").write_text("回答は別紙のとおり\n", encoding="utf-8")
    found = problems(r6_inputs, tmp_path / "r.csv")
    assert any("r.csv: line 1, column 団体コード: the column 団体コード is missing from the header (line 1)" in p for p in found)


def test_utf16_from_excel_unicode_text(r6_inputs, tmp_path):
    (tmp_path / "r.txt").write_bytes("団体コード\tQ1\n".encode("utf-16"))  # with its byte-order mark, as Excel saves it
    with pytest.raises(TableFileError, match=r"^.*r\.txt: this file is UTF-16 \(Excel's 「Unicode テキスト」\); save it as 「CSV UTF-8」 or \.xlsx\.$"):
        load(r6_inputs, tmp_path / "r.txt")


def test_text_in_another_encoding(r6_inputs, tmp_path):
    (tmp_path / "r.csv").write_bytes(b"\x80\x81,\x85\x40\n")  # neither UTF-8 nor cp932
    with pytest.raises(TableFileError, match=r"r\.csv: the text is neither UTF-8 nor Shift_JIS \(cp932\); save it as 「CSV UTF-8」 from Excel\.$"):
        load(r6_inputs, tmp_path / "r.csv")


def test_broken_xlsx(r6_inputs, tmp_path):
    (tmp_path / "r.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(TableFileError, match=r"r\.xlsx: not a readable \.xlsx workbook"):
        load(r6_inputs, tmp_path / "r.xlsx")


def test_ragged_row(r6_inputs, responses_copy):
    def edit(rows):
        rows[3].append("1")
    with pytest.raises(TableFileError, match=r"line 4 has 158 cells but the header has 157 columns; the extra value '1' has no column"):
        load(r6_inputs, responses_copy(edit))


# ---- header ---------------------------------------------------------------------------------

def test_missing_column(r6_inputs, responses_copy):
    def edit(rows):
        i = column(rows, "Q5_03")
        for row in rows:
            del row[i]
    found = problems(r6_inputs, responses_copy(edit))
    assert len(found) == 1
    assert found[0].endswith("responses.csv: line 1: missing column(s) Q5_03: the codebook codebook.yaml asks for them; add them, blank where no body answered")


def test_unknown_column_suggests_the_likely_one(r6_inputs, responses_copy):
    def edit(rows):
        rows[0][column(rows, "Q5_03")] = "Q5_3"
    found = problems(r6_inputs, responses_copy(edit))
    assert any("responses.csv: line 1, column Q5_3: unknown column: the codebook codebook.yaml has no such question column; did you mean Q5_03?" in p
               for p in found)


# ---- cells ----------------------------------------------------------------------------------

def set_cell(r6_inputs, responses_copy, q1: str, name: str, value: str) -> str:
    """Put ``value`` in column ``name`` of the first body whose Q1 is ``q1``; the one problem
    reported, with the path of the copy replaced by ``<file>``."""
    rows = read_rows(responses_copy())
    k = first_row(rows, q1)

    def edit(rows):
        rows[k][column(rows, name)] = value
    path = responses_copy(edit)
    (found,) = problems(r6_inputs, path)
    assert found.startswith(f"{path}: row 団体コード {rows[k][0]} (line {k + 1}), column {name}: value {value!r}: ")
    return found.split(f"value {value!r}: ", 1)[1]


@pytest.mark.parametrize(
    "q1, name, value, expected",
    [
        ("1", "Q4", "7",  # unknown option code
         "expected one of 1 (満足している), 2 (どちらかと言えば満足している), 3 (どちらかと言えば満足していない), "
         "4 (満足していない) or blank (無回答)"),
        ("1", "Q5_02", "○",  # a value other than 0/1 in a multiple-answer column
         "expected 1 (chosen), 0 or blank (not chosen): Q5 is a multiple-answer question"),
        ("2", "Q2", "1",  # an answer from a body outside the question's base
         "Q2 is asked only of 金融機関と連携のある自治体 (Q1 = 1), and this body answered Q1 = 2; "
         "leave Q2 blank or correct Q1"),
        ("1", "Q13_04", "0",  # a 0 outside the base is an answer too
         "Q13 is asked only of 金融機関と連携していない自治体 (Q1 = 2), and this body answered Q1 = 1; "
         "leave Q13 blank or correct Q1"),
    ],
)
def test_bad_cell(r6_inputs, responses_copy, q1, name, value, expected):
    assert set_cell(r6_inputs, responses_copy, q1, name, value) == expected


def test_duplicate_code(r6_inputs, responses_copy):
    def edit(rows):
        rows.append(list(rows[5]))
    (found,) = problems(r6_inputs, responses_copy(edit))
    code = read_rows(responses_copy())[5][0]
    assert found.endswith(
        f"row 団体コード {code} (line 1405), column 団体コード: value '{code}': "
        "duplicate 団体コード: this body already has a row at line 6; keep one row per body"
    )


def test_code_not_in_master(r6_inputs, responses_copy):
    def edit(rows):
        rows[2][0] = "999999"
    (found,) = problems(r6_inputs, responses_copy(edit))
    assert "row 団体コード 999999 (line 3), column 団体コード: value '999999': this 団体コード is not in the master list" in found


def test_name_that_does_not_match_the_code(r6_inputs, responses_copy):
    def edit(rows):
        rows[2][1] = "架空市"
    (found,) = problems(r6_inputs, responses_copy(edit))
    assert "column 団体名: value '架空市': the name does not match 団体コード" in found


def test_excel_stripped_leading_zero_is_accepted(r6_inputs, r6_tables, responses_copy):
    def edit(rows):
        for row in rows[1:]:
            row[0] = str(int(row[0]))
    assert load(r6_inputs, responses_copy(edit)).frame.index[0] == read_rows(responses_copy())[1][0]


def test_required_question_left_blank(r6_inputs, responses_copy):
    def edit(rows):
        rows[1][column(rows, "Q1")] = ""
    found = problems(r6_inputs, responses_copy(edit))
    assert any("column Q1: value '': expected one of 1 (連携済みまたは連携予定あり), 2 (連携実績なし); this question must be answered" in p
               for p in found)


def test_every_problem_is_reported_at_once(r6_inputs, responses_copy):
    def edit(rows):
        for k in range(1, 31):
            rows[k][column(rows, "Q3_01")] = "2"
    with pytest.raises(ResponseError) as caught:
        load(r6_inputs, responses_copy(edit))
    assert len(caught.value.problems) >= 25  # those rows in Q3's base
    message = str(caught.value)
    assert message.startswith(f"{len(caught.value.problems)} problems in the response table; nothing was written:")
    assert message.count("\n  ") == 21 and message.endswith(f"... and {len(caught.value.problems) - 20} more")
