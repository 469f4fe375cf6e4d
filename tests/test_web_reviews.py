"""Analyst merges and splits replayed over consolidations (consolidate/reviews.py), and through the store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pausewatch.consolidate.merge import to_event
from pausewatch.consolidate.reviews import apply_reviews, split_event_id
from pausewatch.model import Corroboration, Event
from pausewatch.store import Grade, ReviewAction, ReviewRecord
from test_web_data import events_of, fill_store, sample

NOW = dt.datetime(2030, 3, 5, tzinfo=dt.UTC)


def record(id_: int, event_id: str, action: ReviewAction, **fields: object) -> ReviewRecord:
    return ReviewRecord(id_, event_id, action, "Ana", NOW, **fields)  # type: ignore[arg-type]


def by_id(events: list[Event]) -> dict[str, Event]:
    return {e.event_id: e for e in events}


def members(event: Event) -> set[str]:
    return {m.mention_id for m in event.mentions}


@pytest.fixture
def events() -> list[Event]:
    return events_of(sample()[1])


def test_web_reviews_merge_unions_claims_into_the_target(events: list[Event]) -> None:
    before = by_id(events)
    merged = by_id(apply_reviews(events, [record(1, "ev-test04", ReviewAction.MERGE, target_event_id="ev-test00")]))
    assert "ev-test04" not in merged
    assert members(merged["ev-test00"]) == members(before["ev-test00"]) | members(before["ev-test04"])
    assert merged["ev-test00"].contested_on == ("date",)  # 1 and 3 March now disagree
    assert merged["ev-test01"] is before["ev-test01"]  # untouched events come back as they were


def test_web_reviews_merge_survives_a_rerun_that_renumbers(events: list[Event]) -> None:
    """A re-run gives the source's claims the target's ID and the target's claims a new one."""
    before = by_id(events)
    both = sorted(members(before["ev-test00"]) | members(before["ev-test04"]))
    rerun = [e for e in events if e.event_id not in ("ev-test00", "ev-test04")]
    rerun += [to_event(list(before["ev-test04"].mentions), "ev-test00", {}),
              to_event(list(before["ev-test00"].mentions), "ev-fresh", {})]
    merge = record(1, "ev-test04", ReviewAction.MERGE, target_event_id="ev-test00", mention_ids=tuple(both))
    after = by_id(apply_reviews(rerun, [merge]))
    assert members(after["ev-test00"]) == set(both) and "ev-fresh" not in after


def test_web_reviews_split_moves_claims_to_a_stable_event(events: list[Event]) -> None:
    evacuation = by_id(events)["ev-test01"]
    moved = sorted(members(evacuation))[:1]
    split = record(7, "ev-test01", ReviewAction.SPLIT, mention_ids=tuple(moved))
    after = by_id(apply_reviews(events, [split]))
    assert split_event_id(7) == "ev-split-7" and members(after["ev-split-7"]) == set(moved)
    assert after["ev-test01"].corroboration == Corroboration.SINGLE_SOURCE
    again = by_id(apply_reviews(list(after.values()), [split]))
    assert {k: members(v) for k, v in again.items()} == {k: members(v) for k, v in after.items()}


def test_web_reviews_replay_is_idempotent(events: list[Event]) -> None:
    evacuation = sorted(members(by_id(events)["ev-test01"]))
    reviews = [record(1, "ev-test04", ReviewAction.MERGE, target_event_id="ev-test00"),
               record(2, "ev-test01", ReviewAction.SPLIT, mention_ids=(evacuation[0],)),
               record(3, "ev-split-2", ReviewAction.MERGE, target_event_id="ev-test05")]
    once = apply_reviews(events, reviews)
    twice = apply_reviews(once, reviews)
    assert [(e.event_id, members(e)) for e in once] == [(e.event_id, members(e)) for e in twice]
    assert evacuation[0] in members(by_id(once)["ev-test05"])


def test_web_reviews_grades_notes_and_stale_ids_change_nothing(events: list[Event]) -> None:
    reviews = [record(1, "ev-test00", ReviewAction.GRADE, grade=Grade.CONFIRMED),
               record(2, "ev-test00", ReviewAction.NOTE, note="checked"),
               record(3, "ev-gone", ReviewAction.SPLIT, mention_ids=("no-such-mention",)),
               record(4, "ev-gone", ReviewAction.MERGE, target_event_id="ev-test00")]
    assert apply_reviews(events, reviews) == sorted(
        events, key=lambda e: (e.date.isoformat() if e.date else "9999", e.type, e.event_id))


def test_web_reviews_refresh_events_replays_merges(tmp_path: Path) -> None:
    """A full re-consolidation through runner.refresh_events keeps an analyst's merge."""
    try:
        from pausewatch.runner import refresh_events
    except ModuleNotFoundError as exc:  # the NLP pipeline is still being written
        pytest.xfail(f"pausewatch.runner is not importable yet: {exc}")
    with fill_store(f"sqlite:///{tmp_path / 'r.db'}") as store:
        events = by_id(store.load_events())
        both = tuple(sorted(members(events["ev-test00"]) | members(events["ev-test04"])))
        store.add_review("ev-test04", "merge", "Ana", target_event_id="ev-test00", mention_ids=both)
        refreshed, _ = refresh_events(store)
        holder = {m.mention_id: e.event_id for e in refreshed for m in e.mentions}
        assert {holder[m] for m in both} == {"ev-test00"}
        assert {m.mention_id for e in store.load_events() if e.event_id == "ev-test00" for m in e.mentions} >= set(both)
