"""Greedy agglomerative clustering: strongest links first, and a merge only when every pair fits.

Plain connected components chain unrelated mentions through a vague one (a city-wide report
links every district's incident). Here two clusters merge only if all their cross pairs meet the
hard constraints, so a hub cannot glue two districts or two days together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def cluster(
    n: int, scored_pairs: Iterable[tuple[float, int, int]], fits: Callable[[int, int], bool]
) -> list[list[int]]:
    """Groups of item indices, each sorted, in order of their first item."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    root = list(range(n))
    for _, a, b in sorted(scored_pairs, key=lambda s: (-s[0], s[1], s[2])):
        ra, rb = root[a], root[b]
        if ra == rb or not all(fits(x, y) for x in members[ra] for y in members[rb]):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        members[keep].extend(members.pop(gone))
        for item in members[keep]:
            root[item] = keep
    return [sorted(group) for _, group in sorted(members.items())]
