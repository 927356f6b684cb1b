"""The shipped synthetic response table: reproducible from its seed, and plausible."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, read_rows


def test_generator_reproduces_the_shipped_table_byte_for_byte(r6, tmp_path):
    out = tmp_path / "responses.csv"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sample_responses.py"), "--year", "R6", "--root", str(ROOT), "--out", str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == r6.responses.read_bytes()
    # the one published value no whole counts can give is said, not hidden
    assert "Q2 無回答: 1.3 (published 1.4)" in result.stderr


def test_shape(r6, r6_inputs):
    rows = read_rows(r6.responses)
    assert rows[0][:3] == ["団体コード", "団体名", "Q1"]
    assert len(rows) == 1 + 1403
    assert r6.responses.read_bytes().startswith("\ufeff団体コード".encode())  # Excel opens it as UTF-8


def test_bodies_outside_a_base_leave_its_questions_blank(r6, r6_inputs):
    rows = read_rows(r6.responses)
    header = rows[0]
    linked_only = [i for i, c in enumerate(header) if c.split("_")[0] in {"Q2", "Q4", "Q5", "Q7A", "Q10B"}]
    for row in rows[1:]:
        if row[header.index("Q1")] == "2":
            assert all(row[i] == "" for i in linked_only)


def test_kinds_answer_differently(r6_inputs):
    frame = r6_inputs.responses.frame
    linked = frame.groupby("区分")["Q1"].apply(lambda s: (s == 1).mean())
    assert linked["都道府県"] == 1.0 and linked["市"] > linked["町"] > linked["村"]
    q14 = [c for c in frame.columns if c.startswith("Q14_")]
    ticks = frame[q14].sum(axis=1).groupby(frame["区分"]).mean()
    assert ticks["都道府県"] > ticks["市"] > ticks["村"]


def test_every_answering_body_chose_something(r6_inputs):
    frame = r6_inputs.responses.frame
    codebook = r6_inputs.codebook
    for q in codebook.questions.values():
        if q.answer == "multi":
            base = frame[r6_inputs.responses.in_base(codebook, q.base)]
            chosen = base[list(q.columns)].sum(axis=1)
            assert 0 < (chosen == 0).sum() < 0.02 * len(base), q.id  # a few 無回答, no more
