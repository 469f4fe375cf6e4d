"""Consolidation on hand-built mentions: no spaCy needed."""

from __future__ import annotations

from datetime import date
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from pausewatch.consolidate import consolidate, find_syndicated
from pausewatch.consolidate.cluster import cluster
from pausewatch.consolidate.link import MIN_SCORE, candidate_pairs, link_score
from pausewatch.model import Corroboration, Count, EventType, Mention, Place, Polarity, Precision, Status

CITY = Place("Varsena", "Varsena", "Halvor", "Solvany", 35.1, 38.2, Precision.TOWN)
DISTRICT = Place("Korvash", "Korvash", "Halvor", "Solvany", 35.12, 38.25, Precision.NEIGHBOURHOOD)


def mention(
    doc: str,
    kind: EventType,
    claimed_by: str,
    evidence: str,
    *,
    day: date | None = None,
    place: Place | None = CITY,
    count: int | None = None,
    polarity: Polarity = Polarity.ASSERTED,
    start: int = 0,
) -> Mention:
    figure = Count(count, count, count, None, "civilians", str(count)) if count is not None else None
    return Mention(
        doc,
        kind,
        claimed_by,
        polarity,
        Status.HAPPENED,
        evidence,
        (start, start + len(evidence)),
        date=day,
        place=place,
        count=figure,
    )


def test_consolidate_marks_conflicting_counts_contested() -> None:
    a = mention(
        "d1", EventType.EVACUATION, "Ministry", "2,350 civilians left Varsena", day=date(2025, 3, 11), count=2350
    )
    b = mention(
        "d2", EventType.EVACUATION, "Red Crescent", "about 900 civilians left Varsena", day=date(2025, 3, 11), count=900
    )
    [event] = consolidate([a, b])
    assert event.corroboration == Corroboration.CONTESTED
    assert "count" in event.contested_on
    assert event.figures is not None and (event.figures.low, event.figures.high) == (900, 2350)
    assert event.figures.by_source == {"Ministry": 2350, "Red Crescent": 900}


def test_consolidate_links_denial_with_assertion_at_a_district() -> None:
    denial = mention("d1", EventType.STRIKE, "Ministry", "no air strikes on Varsena", polarity=Polarity.DENIED)
    report = mention(
        "d2", EventType.STRIKE, "Monitor", "air strikes hit Korvash", day=date(2025, 3, 11), place=DISTRICT
    )
    [event] = consolidate([denial, report])
    assert event.corroboration == Corroboration.CONTESTED
    assert "polarity" in event.contested_on


def test_consolidate_corroborates_two_independent_sources() -> None:
    a = mention("d1", EventType.PAUSE, "Meridian", "the pause began in Varsena on Monday", day=date(2025, 3, 10))
    b = mention("d2", EventType.PAUSE, "SOLNA", "the humanitarian pause began in Varsena", day=date(2025, 3, 10))
    [event] = consolidate([a, b])
    assert event.corroboration == Corroboration.CORROBORATED
    assert event.sources == ("Meridian", "SOLNA")


def test_consolidate_keeps_unrelated_events_apart() -> None:
    a = mention("d1", EventType.AID, "SOLNA", "a convoy of 40 trucks entered", day=date(2025, 3, 11))
    b = mention("d2", EventType.AID, "Monitor", "bakeries handed out bread", day=date(2025, 3, 14))
    assert len(consolidate([a, b])) == 2


def test_consolidate_event_ids_survive_new_documents() -> None:
    a = mention("d1", EventType.PAUSE, "Meridian", "the pause began in Varsena on Monday", day=date(2025, 3, 10))
    first = consolidate([a])
    previous = {m.mention_id: e.event_id for e in first for m in e.mentions}
    b = mention("d0", EventType.PAUSE, "SOLNA", "the humanitarian pause began in Varsena", day=date(2025, 3, 10))
    second = consolidate([a, b], previous=previous)
    assert [e.event_id for e in second] == [first[0].event_id]


def test_consolidate_counts_syndicated_copy_once() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    original_of = find_syndicated([("a", text), ("b", "Header line. " + text + " Footer.")])
    assert original_of == {"b": "a"}
    m1 = mention("a", EventType.PAUSE, "Wire", "the pause began in Varsena", day=date(2025, 3, 10))
    m2 = mention("b", EventType.PAUSE, "Wire", "the pause began in Varsena", day=date(2025, 3, 10), start=7)
    [event] = consolidate([m1, m2], original_of)
    assert event.corroboration == Corroboration.SINGLE_SOURCE


@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=40))
def test_consolidate_cluster_partitions_items(n: int, pairs: list[tuple[int, int]]) -> None:
    scored = [(1.0, a % n, b % n) for a, b in pairs]
    groups = cluster(n, scored, lambda i, j: (i - j) % 3 == 0)
    assert sorted(i for g in groups for i in g) == list(range(n))
    assert all((i - j) % 3 == 0 for g in groups for i in g for j in g)


def test_consolidate_does_not_chain_two_districts_through_the_city() -> None:
    other = Place("Belvan", "Belvan", "Halvor", "Solvany", 35.2, 38.3, Precision.NEIGHBOURHOOD)
    day = date(2025, 3, 11)
    a = mention(
        "d1", EventType.CASUALTIES, "Monitor", "4 civilians were killed in Korvash", day=day, place=DISTRICT, count=4
    )
    b = mention("d2", EventType.CASUALTIES, "Wire", "civilians were killed in Varsena", day=day, count=5)
    c = mention(
        "d3", EventType.CASUALTIES, "Council", "5 civilians were killed in Belvan", day=day, place=other, count=5
    )
    events = consolidate([a, b, c])
    assert not any({"d1", "d3"} <= {m.doc_id for m in e.mentions} for e in events)


DAYS = st.one_of(st.none(), st.dates(date(2025, 3, 9), date(2025, 3, 13)))
NOUNS = st.sampled_from([None, "civilians", "people", "trucks", "wounded civilians"])
WORDS = st.lists(st.sampled_from(["strike", "convoy", "killed", "varsena", "pause", "hospital"]), max_size=4)


@st.composite
def random_mention(draw: st.DrawFn, index: int = 0) -> Mention:
    noun, figure = draw(NOUNS), draw(st.integers(1, 50))
    count = Count(figure, figure, figure, None, noun, str(figure)) if noun else None
    words = " ".join(draw(WORDS))
    return Mention(
        f"d{draw(st.integers(0, 5))}",
        draw(st.sampled_from([EventType.STRIKE, EventType.CASUALTIES])),
        draw(st.sampled_from(["Monitor", "Ministry"])),
        draw(st.sampled_from(list(Polarity))),
        Status.HAPPENED,
        words,
        (draw(st.integers(0, 500)), 600),
        date=draw(DAYS),
        place=draw(st.sampled_from([None, CITY, DISTRICT])),
        count=count,
    )


@given(st.lists(random_mention(), max_size=14))
def test_consolidate_candidate_pairs_miss_no_pair_that_would_link(mentions: list[Mention]) -> None:
    """Pruned blocking is exact: every same-type pair link_score rates at MIN_SCORE or more comes, once."""
    generated = list(candidate_pairs(mentions))
    assert len(generated) == len(set(generated)) and all(i < j for i, j in generated)
    linking = {
        (i, j)
        for i, j in combinations(range(len(mentions)), 2)
        if mentions[i].type == mentions[j].type and link_score(mentions[i], mentions[j]) >= MIN_SCORE
    }
    assert linking <= set(generated)


def test_consolidate_groups_word_for_word_copies_without_a_date_or_figure() -> None:
    """Undated copies of one sentence have nothing to link on pairwise; as one claim they are one event."""
    copies = [mention(f"copy{n}", EventType.STRIKE, "Wire", "shelling hit the Varsena market") for n in range(5)]
    other = mention("d9", EventType.STRIKE, "Wire", "shelling hit the Korvash bakery", place=DISTRICT)
    events = consolidate([*copies, other])
    assert sorted(len(e.mentions) for e in events) == [1, 5]
