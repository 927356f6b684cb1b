"""Loading a codebook, and the clear errors a malformed one gives."""

from __future__ import annotations

import pytest
import yaml
from conftest import ROOT

from slidegen.errors import CodebookError
from slidegen.figures.kinds import KINDS
from slidegen.inputs.codebook import load_codebook, option_column


def test_r6_codebook(r6_inputs):
    cb = r6_inputs.codebook
    assert cb.survey.sample_data is True
    assert [f.number for f in cb.figures] == list(range(1, 19))
    assert cb.questions["Q7B"].options == cb.questions["Q7A"].options
    assert cb.questions["Q13"].base == "not_linked" and cb.bases["not_linked"].codes == (2,)
    assert cb.columns[:4] == ("Q1", "Q2", "Q3_01", "Q3_02")
    assert option_column("Q10A", 3) == "Q10A_03"
    # every question lists 8 to 20 options ending in a catch-all, and says which are invented
    for q in cb.questions.values():
        if q.answer == "multi":
            assert 8 <= len(q.options) <= 20, q.id
            assert q.options[-1].other, q.id


@pytest.fixture
def write(tmp_path):
    base = yaml.safe_load((ROOT / "data" / "R6" / "codebook.yaml").read_text(encoding="utf-8"))

    def write(change):
        data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))
        change(data)
        path = tmp_path / "codebook.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    return write


def question(data, qid):
    return next(q for q in data["questions"] if q["id"] == qid)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: question(d, "Q3")["options"][1].update(code=1), r"questions\[2\] \(Q3\)\.options\[1\]\.code: code 1 is used twice"),
        (lambda d: question(d, "Q3").update(base="linkd"), r"questions\[2\] \(Q3\)\.base: unknown base 'linkd'; bases: all, linked, not_linked"),
        (lambda d: question(d, "Q3").update(answer="many"), r"questions\[2\] \(Q3\)\.answer: expected single or multi, found 'many'"),
        (lambda d: question(d, "Q7B").update(options_from="Q99"), r"questions\[7\] \(Q7B\)\.options_from: no earlier question 'Q99'"),
        (lambda d: question(d, "Q3")["options"][0].update(colour="red"), r"questions\[2\] \(Q3\)\.options\[0\]: unknown key\(s\) colour; allowed: code, footnote, illustrative, label, nonanswer, other, short_label"),
        (lambda d: d["figures"][7]["gap"].update(figure=5), r"figures\[7\] \(figure 8\)\.gap\.figure: figure 5 is not an earlier paired figure"),
        (lambda d: d["figures"][0].update(question="Q99"), r"figures\[0\] \(figure 1\): unknown question 'Q99'"),
        (lambda d: d["survey"].pop("title"), r"survey: missing key 'title'"),
        (lambda d: question(d, "Q3").update(base=True), r"questions\[2\] \(Q3\)\.base: expected text, found True \(YAML reads yes/no/on/off as true/false: put the text in quotes\)"),
        (lambda d: d["bases"]["linked"].update(codes=[9]), r"bases\.linked\.codes: Q1 has no option code 9"),
    ],
)
def test_malformed_codebook(write, change, message):
    path = write(change)
    with pytest.raises(CodebookError, match=f"^{path}: {message}"):
        load_codebook(path, KINDS)


def test_not_yaml(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("survey: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(path, KINDS)
