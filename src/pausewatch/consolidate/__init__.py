"""consolidate: merge mentions across documents into events, keeping every claim.

The chain follows dedupe: candidate_pairs (blocking) -> link_score (pairwise) -> cluster
(constrained agglomerative) -> to_event. Event IDs are stable: a cluster keeps the ID its mentions had in the
previous run, so re-runs and new documents do not renumber what analysts have reviewed.
"""

from __future__ import annotations

from collections import Counter

from ..model import Event, Mention
from .cluster import cluster
from .link import MIN_SCORE, candidate_pairs, compatible, link_score
from .merge import new_event_id, to_event
from .syndication import find_syndicated

__all__ = ["consolidate", "find_syndicated"]


def _assign_ids(clusters: list[list[Mention]], previous: dict[str, str]) -> list[str]:
    """Reuse the previous run's ID held by most of a cluster's mentions; largest clusters choose first."""
    ids: list[str] = [""] * len(clusters)
    taken: set[str] = set()
    for index in sorted(range(len(clusters)), key=lambda i: (-len(clusters[i]), i)):
        votes = Counter(previous[m.mention_id] for m in clusters[index] if m.mention_id in previous)
        reuse = [eid for eid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])) if eid not in taken]
        ids[index] = reuse[0] if reuse else new_event_id(clusters[index])
        taken.add(ids[index])
    return ids


def same_claim_key(m: Mention) -> tuple[object, ...]:
    """What makes two mentions one claim: the same sentence saying the same thing, whatever the document.

    Syndicated and re-published copies repeat their original's sentences word for word; grouping them
    first counts them once in the pairwise work (the event still lists every copy).
    """
    return (m.type, m.claimed_by, m.polarity, m.status, m.evidence, m.date, m.place, m.actor, m.target,
            m.count, m.phase)


def _group_same_claims(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions grouped by claim, each group in mention-ID order, groups in the order of their first."""
    groups: dict[tuple[object, ...], list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: m.mention_id):
        groups.setdefault(same_claim_key(m), []).append(m)
    return list(groups.values())


def consolidate(
    mentions: list[Mention], original_of: dict[str, str] | None = None, previous: dict[str, str] | None = None
) -> list[Event]:
    """Events from all mentions, sorted by date, type and ID for deterministic output."""
    claims = _group_same_claims(mentions)
    ordered = [group[0] for group in claims]
    scored = ((link_score(ordered[i], ordered[j]), i, j) for i, j in candidate_pairs(ordered))
    links = [s for s in scored if s[0] >= MIN_SCORE]
    groups = cluster(len(ordered), links, lambda i, j: compatible(ordered[i], ordered[j]))
    clusters = [[m for i in group for m in claims[i]] for group in groups]
    ids = _assign_ids(clusters, previous or {})
    events = [to_event(c, eid, original_of or {}) for c, eid in zip(clusters, ids, strict=True)]
    return sorted(events, key=lambda e: (e.date.isoformat() if e.date else "9999", e.type, e.event_id))
