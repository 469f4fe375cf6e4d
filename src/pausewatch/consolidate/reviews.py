"""Analyst merges and splits, replayed over every fresh consolidation so human fixes survive re-runs.

A merge moves into the target event every mention of the merged event, plus the mention IDs the
review recorded (so the merge still holds when a re-run renumbers one side). A split moves the
listed mentions into a new event whose ID is derived from the review's ID, so it never changes.
Reviews replay in the order they were made; grades and notes do not change membership.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from ..model import Event, Mention
from .merge import to_event

MERGE = "merge"
SPLIT = "split"


class ReviewLike(Protocol):
    """What replaying needs from a stored review (store.ReviewRecord fits), without importing store."""

    @property
    def id(self) -> int: ...

    @property
    def event_id(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def target_event_id(self) -> str | None: ...

    @property
    def mention_ids(self) -> tuple[str, ...]: ...


def split_event_id(review_id: int) -> str:
    """The ID of the event a split creates: the same on every run."""
    return f"ev-split-{review_id}"


def apply_reviews(
    events: Sequence[Event], reviews: Iterable[ReviewLike], original_of: Mapping[str, str] | None = None
) -> list[Event]:
    """Events after replaying every merge and split; untouched events come back as they were."""
    moves = sorted((r for r in reviews if r.action in (MERGE, SPLIT)), key=lambda r: r.id)
    if not moves:  # grades and notes only: nothing to rebuild
        return list(events)
    event_of = {m.mention_id: e.event_id for e in events for m in e.mentions}
    for review in moves:
        _replay(review, event_of)
    return _rebuild(events, event_of, dict(original_of or {}))


def _replay(review: ReviewLike, event_of: dict[str, str]) -> None:
    if review.action == MERGE and review.target_event_id and review.target_event_id != review.event_id:
        members = {mid for mid, eid in event_of.items() if eid == review.event_id}
        _move(event_of, members | set(review.mention_ids), review.target_event_id)
    elif review.action == SPLIT:
        _move(event_of, set(review.mention_ids), split_event_id(review.id))


def _move(event_of: dict[str, str], mention_ids: set[str], target: str) -> None:
    """Reassign the known mentions among mention_ids; IDs no longer stored are ignored."""
    for mention_id in mention_ids & event_of.keys():
        event_of[mention_id] = target


def _rebuild(events: Sequence[Event], event_of: dict[str, str], original_of: dict[str, str]) -> list[Event]:
    mentions = {m.mention_id: m for e in events for m in e.mentions}
    groups: dict[str, list[Mention]] = {}
    for mention_id, event_id in event_of.items():
        groups.setdefault(event_id, []).append(mentions[mention_id])
    before = {e.event_id: e for e in events}
    out = [_event(eid, members, before.get(eid), original_of) for eid, members in groups.items()]
    return sorted(out, key=lambda e: (e.date.isoformat() if e.date else "9999", e.type, e.event_id))


def _event(event_id: str, members: list[Mention], old: Event | None, original_of: dict[str, str]) -> Event:
    """The old event when its membership did not change, else one rebuilt from its new mentions."""
    if old is not None and {m.mention_id for m in old.mentions} == {m.mention_id for m in members}:
        return old
    return to_event(members, event_id, original_of)
