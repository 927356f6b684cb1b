"""The deck and the 集計表 are valid Office Open XML, as openxml-audit (a Python port of the Open XML
SDK's validator) reads them.

What it still reports in the deck is one thing, once per series with leader lines: the series'
labels' Office 2013 extension (``c:ext`` with URI {CE6537A1-D6FC-4f65-9D91-7224C49458BB}) holding
``c15:showLeaderLines`` with ``c15:leaderLines`` (their line's width and colour). The validator
takes that extension for a choice of one; [MS-ODRAWXML] 2.2.1.2 lists both as its children, and
Office writes them so: Apache POI's ``poi-examples/.../xwpf/usermodel/bar-chart-template.docx``,
saved by Microsoft Office Word, holds ``<c15:showLeaderLines val="1"/><c15:leaderLines>`` in one
``c:ext`` of its chart, and openxml-audit reports the same error, at the same path, on it. (A data
label's own extension holds only ``c15:showDataLabelsRange``, as Excel writes it.) Every other
error is a failure.
"""

from __future__ import annotations

import pytest

openxml_audit = pytest.importorskip("openxml_audit")

#: the one report on the deck that is the validator's mistake (see above)
C15_EXTENSION = "Choice allows at most 1 occurrence(s), found 2"


def errors(path) -> list:
    result = openxml_audit.OpenXmlValidator().validate(str(path))
    return [e for e in result.errors if str(e.severity).lower().endswith("error")]


def test_the_deck_has_no_error_but_the_validators_reading_of_a_label_extension(r6_build):
    result, _ = r6_build
    found = errors(result.out / "R6_deck.pptx")
    assert [e for e in found if e.description != C15_EXTENSION or not e.path.endswith("/extLst[1]/ext[1]")] == []
    assert all(e.path.endswith("/dLbls[1]/extLst[1]/ext[1]") for e in found)  # a series' labels


def test_the_workbook_has_no_error(r6_build):
    result, _ = r6_build
    assert errors(result.out / "R6_集計表.xlsx") == []
