"""Property-based: however deck.yaml's expressions are written and however a resubmitted sheet is
garbled, slidegen gives a result or a clear error — a :class:`~slidegen.errors.SlidegenError`, which
the command line turns into one message and exit status 1 — never a crash (exit 70).

Hypothesis generates thousands of expressions (token soups, and well-formed calls of every
function with numbers, texts and lists of every size, nested) and hundreds of resubmitted sheets
(the response table's columns in any order, cells replaced by numbers, texts, blanks, long or odd
strings, columns dropped or added, rows repeated), saved as CSV or .xlsx.
"""

from __future__ import annotations

import csv
import io

import pytest
from conftest import read_rows
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slidegen.errors import SlidegenError
from slidegen.figures.kinds import KINDS
from slidegen.inputs.codebook import load_codebook
from slidegen.inputs.deck import _yes_no
from slidegen.inputs.master import load_master
from slidegen.inputs.responses import load_responses
from slidegen.slides import sentences

FUNCTIONS = sorted(
    ["value", "codes", "top", "label", "topvalue", "bracket", "gain", "gain_top", "gap_top", "survey", "meta", "data",
     "same", "within", "endswith", "wari", "ijo", "about_pct", "rate", "list_ja", "zen", "min", "max", "len"]
)  # fmt: skip
TOKENS = [*FUNCTIONS, "(", ")", "[", "]", ",", " ", "0", "1", "2", "15", "-1", "1e999", "1e308", "nan", "'x'", "''",
          "3.5", "<", ">", "==", "!=", "<=", "in", "not", "and", "or", "-", "+", "*", "**", "/", "if", "else",
          "lambda", "__import__", "x", ".", "{", "}", ":", "'title'", "'target'"]  # fmt: skip

numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=False).map(repr),
    st.sampled_from(["1e999", "-1e999", "1e9", "0"]),
)
texts = st.text(alphabet="abc'\"\\ 約割％{}", max_size=6).map(repr)


def _call(args: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(FUNCTIONS).map(lambda f: f"{f}({', '.join(args)})")


expressions = st.recursive(
    st.one_of(numbers, texts),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).flatmap(_call),
        st.lists(inner, max_size=4).map(lambda items: f"[{', '.join(items)}]"),
        st.tuples(inner, st.sampled_from(["<", "==", ">=", "in", "and", "or"]), inner).map(" ".join),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"not {e}"),
    ),
    max_leaves=12,
)
soups = st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)


@pytest.fixture(scope="module")
def context(r6_tables, r6_inputs):
    return sentences.Context(r6_tables, r6_inputs.codebook, {"file": "responses.csv", "corrections": 0})


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(expressions, soups, st.text(max_size=40)))
def test_any_expression_gives_a_value_or_says_why(context, expression):
    try:
        sentences.evaluate(expression, context)
    except SlidegenError as e:
        assert str(e)
    assert _yes_no(expression) in (True, False)  # reading a claim at load never fails either


@pytest.fixture(scope="module")
def small_year(r6, tmp_path_factory):
    """A response table of the first 40 bodies (fast to check), with the codebook and master list."""
    folder = tmp_path_factory.mktemp("props")
    rows = read_rows(r6.responses)
    table = folder / "responses.csv"
    with table.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows[:41])
    return {
        "folder": folder,
        "table": table,
        "rows": rows,
        "codebook": load_codebook(r6.codebook, KINDS),
        "master": load_master(r6.master),
    }


cells = st.one_of(
    st.sampled_from(["", "0", "1", "2", "3", "99", "-1", "1.5", "１", "=1+1", "TRUE", "なし", " 1 ", "\"", "0x1"]),
    st.text(max_size=12),
    st.integers(min_value=11_000, max_value=12_000).map(lambda n: "x" * n),
)


@st.composite
def sheets(draw):
    """How a resubmitted sheet is garbled: cells replaced, its first columns in another order, a
    column dropped or one added, saved as .xlsx or CSV, a row repeated, which bodies it holds."""
    mutations = draw(st.lists(st.tuples(st.integers(0, 200), cells), max_size=6))
    order = draw(st.permutations(range(5)))
    drop = draw(st.one_of(st.none(), st.integers(0, 200)))
    extra = draw(st.booleans())
    as_xlsx = draw(st.booleans())
    repeat = draw(st.booleans())
    picks = draw(st.lists(st.integers(1, 1403), min_size=1, max_size=3))
    return mutations, order, drop, extra, as_xlsx, repeat, picks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheets())
def test_any_resubmitted_sheet_is_applied_or_refused_with_a_reason(small_year, sheet):
    mutations, order, drop, extra, as_xlsx, repeat, picks = sheet
    all_rows = small_year["rows"]
    header = list(all_rows[0])
    body = [list(all_rows[min(p, len(all_rows) - 1)]) for p in picks]
    if repeat:
        body.append(list(body[0]))
    for at, value in mutations:
        row = body[at % len(body)]
        row[at % len(row)] = value
    width = len(header)
    columns = list(range(width))
    columns[: len(order)] = [columns[i] for i in order]  # the first columns in another order
    if drop is not None:
        columns.remove(columns[drop % width])
    table = [[header[i] for i in columns] + (["余計な列"] if extra else [])]
    table += [[row[i] for i in columns] + (["x"] if extra else []) for row in body]
    path = small_year["folder"] / ("sheet.xlsx" if as_xlsx else "sheet.csv")
    if as_xlsx:
        import openpyxl
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        book = openpyxl.Workbook()
        for r in table:  # (a control character cannot be saved in a workbook at all)
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) for c in r])
        book.save(path)
    else:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        path.write_text(out.getvalue(), encoding="utf-8")
    try:
        load_responses(small_year["table"], small_year["codebook"], small_year["master"], None, (path,))
    except SlidegenError as e:
        assert str(e)
