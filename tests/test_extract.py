"""Extraction on sentences written for these tests: types, polarity, status, counts, claims."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from pausewatch.annotate.gazetteer import Gazetteer, load_gazetteer
from pausewatch.annotate.nlp import build_nlp
from pausewatch.annotate.quantities import find_quantities
from pausewatch.extract import extract_mentions
from pausewatch.extract.roles import whole_of
from pausewatch.model import Article, EventType, Guess, Mention, Polarity, Status
from pausewatch.settings import load_settings

ET = EventType


@pytest.fixture(scope="module")
def tools() -> tuple[Language, Gazetteer]:
    settings = load_settings()
    gazetteers = tuple(settings.gazetteers)
    return build_nlp(settings.spacy_model, gazetteers), load_gazetteer(gazetteers)


def mentions(tools: tuple[Language, Gazetteer], text: str) -> list[Mention]:
    nlp, gazetteer = tools
    article = Article(
        "d", "d.txt", "d.txt", text, None, "Test Wire", Guess("test", 1.0), date(2025, 3, 12), Guess("test", 1.0)
    )
    return extract_mentions(nlp(text), article, gazetteer).mentions


def only(found: list[Mention], kind: EventType) -> Mention:
    [m] = [m for m in found if m.type == kind]
    return m


@pytest.mark.parametrize(
    ("text", "kind", "polarity", "status"),
    [
        ("Government jets bombed the market in Idlib on Tuesday.", ET.STRIKE, Polarity.ASSERTED, Status.HAPPENED),
        ("No aircraft carried out any strike on Idlib since Sunday.", ET.STRIKE, Polarity.DENIED, Status.HAPPENED),
        ("The army halted air strikes on Homs for 72 hours.", ET.PAUSE, Polarity.ASSERTED, Status.HAPPENED),
        ("Nobody used the humanitarian corridors during the day.", ET.EVACUATION, Polarity.DENIED, Status.HAPPENED),
        (
            "The UN abandoned plans to evacuate sick children from Douma.",
            ET.MEDICAL_EVACUATION,
            Polarity.DENIED,
            Status.PLANNED,
        ),
        ("Two corridors will open in Mariupol on Friday.", ET.CORRIDOR, Polarity.ASSERTED, Status.PLANNED),
        (
            "Gunmen still hold dozens of civilians hostage in the old city.",
            ET.OBSTRUCTION,
            Polarity.ASSERTED,
            Status.ONGOING,
        ),
        ("The sides exchanged 40 prisoners near Kherson.", ET.RELEASE, Polarity.ASSERTED, Status.HAPPENED),
    ],
)
def test_extract_type_polarity_status(
    tools: tuple[Language, Gazetteer], text: str, kind: EventType, polarity: Polarity, status: Status
) -> None:
    m = only(mentions(tools, text), kind)
    assert (m.polarity, m.status) == (polarity, status)


def test_extract_count_with_qualifier_and_counted_noun(tools: tuple[Language, Gazetteer]) -> None:
    m = only(mentions(tools, "About 1,200 civilians left El Fasher through the southern crossing."), ET.EVACUATION)
    assert m.count is not None
    assert (m.count.best, str(m.count.qualifier), m.count.counted) == (1200, "about", "civilians")


@pytest.mark.parametrize(
    ("text", "whole", "parts"),
    [
        ("Nineteen villagers including four children died when the dam road was shelled.", (19, "villagers"),
         [(4, "children")]),
        ("Rockets killed 27 residents, including 11 children and six women, near the bakery.", (27, "residents"),
         [(11, "children"), (6, "women")]),
        ("Seven children were among at least 33 people killed at the ferry landing.", (33, "people"),
         [(7, "children")]),
        ("Three children were killed and 12 others wounded at the pumping station.", (3, "children"), []),
        ("Drones hit the square at noon, killing 14 residents, among them two children and one woman.",
         (14, "residents"), [(2, "children"), (1, "woman")]),
        ("Another 230 workers among them several apprentices were injured in the blast.", (230, "workers"), []),
    ],
)
def test_extract_count_is_the_whole_with_its_shares(
    tools: tuple[Language, Gazetteer], text: str, whole: tuple[int, str], parts: list[tuple[int, str]]
) -> None:
    m = only(mentions(tools, text), ET.CASUALTIES)
    assert m.count is not None and (m.count.best, m.count.counted) == whole
    assert [(p.best, p.counted) for p in m.count.parts] == parts


def test_extract_among_them_after_a_figure_opens_its_own_shares(tools: tuple[Language, Gazetteer]) -> None:
    nlp, _ = tools
    doc = nlp("Nine guards died at the gate and another 230 workers among them several apprentices were hurt.")
    heads = {q.head_index for q in find_quantities(doc[:])}
    workers = next(t for t in doc if t.text == "workers")
    assert workers.i in heads and whole_of(workers, heads - {workers.i}) is None


def test_extract_repeated_figure_keeps_the_shares_its_repetition_names(tools: tuple[Language, Gazetteer]) -> None:
    text = ("Artillery killed 21 residents in Homs on Monday. "
            "The barrage killed 21 residents, including eight children, medics said.")
    [m] = [m for m in mentions(tools, text) if m.type == ET.CASUALTIES]
    assert m.count is not None and m.span[0] == 0
    assert [(p.best, p.counted) for p in m.count.parts] == [(8, "children")]


def test_extract_undated_sentence_takes_the_day_its_paragraph_named(tools: tuple[Language, Gazetteer]) -> None:
    text = ("Shelling hit the old market in Idlib on Monday. Two civilians were killed.\n"
            "Rebels shelled a checkpoint near Homs on Sunday.\nFour soldiers were killed.")
    dates = [m.date for m in mentions(tools, text) if m.type == ET.CASUALTIES]
    assert dates == [date(2025, 3, 10), None]


def test_extract_place_resolves_to_admin1(tools: tuple[Language, Gazetteer]) -> None:
    m = only(mentions(tools, "Shells hit Sheikh Saeed on Monday."), ET.ATTACK)
    assert m.place is not None and m.place.admin1 == "Aleppo"
    assert m.date == date(2025, 3, 10)


def test_extract_claim_goes_to_the_reporting_source(tools: tuple[Language, Gazetteer]) -> None:
    found = mentions(tools, "At least 17 civilians were killed in Khan Younis, the health ministry said.")
    assert only(found, ET.CASUALTIES).claimed_by == "health ministry"
    own = mentions(tools, "An aid convoy of 40 trucks entered Rafah.")
    assert only(own, ET.AID).claimed_by == "Test Wire"


def test_extract_call_for_ceasefire_is_negotiation_not_pause(tools: tuple[Language, Gazetteer]) -> None:
    found = mentions(tools, "France called for a ceasefire in Aleppo.")
    assert [m.type for m in found] == [ET.NEGOTIATION]


def test_extract_described_people_are_not_casualty_reports(tools: tuple[Language, Gazetteer]) -> None:
    found = mentions(tools, "Some 10 wounded fighters were taken to a hospital in Idlib.")
    assert ET.CASUALTIES not in {m.type for m in found}
