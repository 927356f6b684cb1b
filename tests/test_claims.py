"""Every printed word is backed: for each claim of the deck spec, data that breaks it, and the warning.

A claim names figures (``codes(7, 3, 2)``, ``gain(15)``…). For each one the test edits the response
table the way a correction could — swapping two options of one question among the bodies, or
answering the second question of a pair exactly as the first — until the claim no longer holds,
then checks that the build's claim check (the one that prints ``warning: …``) reports it. A claim
no such edit can break would be a claim that cannot fail: the test says so.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

import pytest
from conftest import ROOT

from slidegen import pipeline
from slidegen.aggregate import aggregate
from slidegen.inputs.codebook import option_column
from slidegen.slides import broken_claims, sentences

_FIGURE = re.compile(r"\b(?:value|codes|top|label|topvalue|bracket|gain|gain_top|gap_top)\((\d+)(?:,\s*\d+)?(?:,\s*(\d+))?")


def claims(spec):
    """(slide number, slide spec, bullet, claim) for every claim of the deck."""
    return [(number, s, b, c) for number, s in enumerate(spec.slides, start=1) for b in s.bullets for c in b.claims]


def _questions(codebook, figure: int) -> list:
    spec = codebook.figure(figure)
    if spec.gap is not None:
        spec = codebook.figure(spec.gap.figure)
    return [codebook.questions[s.question] for s in spec.series]


def _swapped(frame, question, a: int, b: int):
    """The bodies' answers with options ``a`` and ``b`` of ``question`` exchanged."""
    frame = frame.copy()
    if question.answer == "single":
        column = frame[question.id]
        frame[question.id] = column.mask(column == a, b).mask(column == b, a)
    else:
        ca, cb = option_column(question.id, a), option_column(question.id, b)
        frame[[ca, cb]] = frame[[cb, ca]].to_numpy()
    return frame


def _copied(frame, first, second):
    """The second question answered exactly as the first (a pair with no gap)."""
    frame = frame.copy()
    for o in first.options:
        frame[option_column(second.id, o.code)] = frame[option_column(first.id, o.code)].to_numpy()
    return frame


def edits(inputs, claim: str):
    """Response tables a correction could produce, each with what was done, for the figures ``claim`` names."""
    frame = inputs.responses.frame
    seen = []
    for match in _FIGURE.finditer(claim):
        figure = int(match.group(1))
        questions = _questions(inputs.codebook, figure)
        if len(questions) == 2 and (figure, "copy") not in seen:
            seen.append((figure, "copy"))
            yield f"{questions[1].id} answered as {questions[0].id}", _copied(frame, *questions)
        for q in questions:
            codes = [o.code for o in q.options if not o.other]
            for a, b in itertools.combinations(codes, 2):
                yield f"{q.id} options {a} and {b} swapped", _swapped(frame, q, a, b)


def test_every_claim_holds_on_the_shipped_data(r6_inputs, r6_tables):
    context = sentences.Context(r6_tables, r6_inputs.codebook)
    for number, s, _, claim in claims(r6_inputs.deck):
        assert sentences.evaluate(claim, context), f"slide {number}: {claim}"


def _shipped_claims():
    from slidegen.figures.kinds import KINDS
    from slidegen.inputs.codebook import load_codebook
    from slidegen.inputs.deck import load_deck
    from slidegen.inputs.project import open_year

    year = open_year(ROOT, "R6")
    return claims(load_deck(year.deck, load_codebook(year.codebook, KINDS)))


SHIPPED = _shipped_claims()


@pytest.mark.parametrize("number, slide, bullet, claim", SHIPPED, ids=[f"slide{n}:{c}" for n, _, _, c in SHIPPED])
def test_data_that_breaks_each_claim_is_reported(r6_inputs, number, slide, bullet, claim):
    one = dataclasses.replace(slide, bullets=(dataclasses.replace(bullet, claims=(claim,)),))
    for what, frame in edits(r6_inputs, claim):
        responses = dataclasses.replace(r6_inputs.responses, frame=frame)
        tables = aggregate(r6_inputs.codebook, responses, r6_inputs.master)
        context = sentences.Context(tables, r6_inputs.codebook)
        try:
            holds = sentences.evaluate(claim, context)
        except sentences.TemplateError:
            continue  # the edit left the sentence nothing to say: not the case under test
        if not holds:
            warnings = broken_claims(one, context, f"slide {number}", r6_inputs.deck.path)
            assert warnings and claim in warnings[0] and "今のデータでは成り立たない" in warnings[0], what
            return
    pytest.fail(f"slide {number}: no edit of the data breaks {claim!r}: a claim that cannot fail backs nothing")


def test_a_fixed_sentence_needs_claims_or_background(r6, tmp_path):
    from slidegen.inputs.deck import DeckSpecError, load_deck

    spec = tmp_path / "deck.yaml"
    spec.write_text("slides:\n  - layout: 図1\n    heading: 見出し\n    figures: [1]\n    bullets:\n"
                    "      - 約7割の自治体が連携していると回答した。\n", encoding="utf-8")
    with pytest.raises(DeckSpecError, match=r"bullets\[1\]: 「約7割の自治体が.*computes nothing from the data and states no claim"):
        load_deck(spec, pipeline.load_inputs(r6).codebook)


def test_the_functions_deck_yaml_lists_are_those_templates_may_call(r6, r6_tables, r6_inputs):
    """Like sqlite-utils' test_docs: the list at the top of deck.yaml is the whitelist, no more, no less."""
    header = []
    for line in r6.deck.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    documented = set(re.findall(r"\b([a-z_]+)\(", "\n".join(header)))
    callable_ = set(sentences.Context(r6_tables, r6_inputs.codebook).functions())
    assert documented == callable_


@pytest.mark.parametrize("slide, message", [
    ("  - layout: 図1\n    title: 表題\n    figures: [1]\n", r"slides\[1\] \(図1\)\.title: the layout 図1 has no place for title"),
    ("  - layout: 図1\n    heading: 見出し\n    figures: [1, 2]\n", r"slides\[1\] \(図1\)\.figures\[2\]: the layout 図1 has no place"),
    ("  - layout: 図3\n    heading: 見出し\n", r"slides\[1\] \(図3\): the layout '図3' is not one of the template's: 表紙, 結果概要, 図1, 図2"),
    ("  - layout: 表紙\n    heading: 見出し\n", r"slides\[1\] \(表紙\)\.heading: the layout 表紙 has no place for heading"),
])
def test_a_key_the_layout_has_no_place_for_is_an_error(r6, tmp_path, slide, message):
    from slidegen.errors import DeckSpecError
    from slidegen.figures.kinds import KINDS
    from slidegen.inputs.codebook import load_codebook
    from slidegen.inputs.deck import load_deck
    from slidegen.inputs.layouts import load_layouts

    spec = tmp_path / "deck.yaml"
    spec.write_text("slides:\n" + slide, encoding="utf-8")
    with pytest.raises(DeckSpecError, match=message):
        load_deck(spec, load_codebook(r6.codebook, KINDS), load_layouts(r6.layouts))
