"""Which mentions describe the same event: blocking, then a pairwise score under hard constraints.

Blocking groups mentions by type and province and, for dated mentions, compares only those within
a day of each other. The pairwise test has hard constraints (dates within a day, places that can
contain each other, no two different districts) and a score from shared date, shared district,
shared counted noun and shared wording. A denial and an assertion of the same kind of event at a
compatible place and time are linked on looser terms: that pairing is exactly the contradiction the
analyst needs to see ("no strikes for seven days" vs "strikes hit Sheikh Saeed").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations

from ..model import Mention, Place, Precision

MAX_DAY_GAP = 1
MIN_SCORE = 1.0
MAX_FIGURE_RATIO = 3.0
_WORD = re.compile(r"[a-z]{4,}")
_SPOT = frozenset({Precision.POINT, Precision.NEIGHBOURHOOD})


def candidate_pairs(mentions: list[Mention]) -> Iterator[tuple[int, int]]:
    """Index pairs worth scoring: same type and province, dated ones no more than a day apart."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        blocks[(m.type, (m.place.admin1 or m.place.country or "") if m.place else "")].append(i)
    for (_, province), indices in blocks.items():
        yield from _pairs_in_block(mentions, indices)
        if province:  # a mention with no place can still be the same event
            yield from ((i, j) for i in indices for j in blocks.get((mentions[i].type, ""), []))


def _pairs_in_block(mentions: list[Mention], indices: list[int]) -> Iterator[tuple[int, int]]:
    dated = sorted((i for i in indices if mentions[i].date is not None), key=lambda i: mentions[i].date)  # type: ignore[arg-type,return-value]
    undated = [i for i in indices if mentions[i].date is None]
    for pos, i in enumerate(dated):
        for j in dated[pos + 1 :]:
            if (mentions[j].date - mentions[i].date).days > MAX_DAY_GAP:  # type: ignore[operator]
                break
            yield (i, j)
    yield from combinations(undated, 2)
    yield from ((i, j) for i in undated for j in dated)


def dates_compatible(a: Mention, b: Mention) -> bool:
    if a.date is None or b.date is None:
        return True
    return abs((a.date - b.date).days) <= MAX_DAY_GAP


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Same place, or one containing the other: a district and its city or province, never two districts."""
    if a is None or b is None or a.canonical == b.canonical:
        return True
    if a.admin1 is None or a.admin1 != b.admin1:
        return False
    return not (a.precision in _SPOT and b.precision in _SPOT)


def _figures_compatible(a: Mention, b: Mention) -> bool:
    """Same polarity and wildly different figures (4 vs 42) are more likely two incidents."""
    if a.count is None or b.count is None or a.polarity != b.polarity:
        return True
    low, high = sorted((a.count.best, b.count.best))
    return high <= max(low, 1) * MAX_FIGURE_RATIO


def compatible(a: Mention, b: Mention) -> bool:
    """The hard constraints every pair inside one event must meet."""
    return dates_compatible(a, b) and places_compatible(a.place, b.place) and _figures_compatible(a, b)


def _words(m: Mention) -> set[str]:
    return set(_WORD.findall(m.evidence.lower()))


def word_overlap(a: Mention, b: Mention) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def _same_figure_family(a: Mention, b: Mention) -> bool:
    if a.count is None or b.count is None:
        return False
    ca, cb = set((a.count.counted or "").lower().split()), set((b.count.counted or "").lower().split())
    return bool(ca & cb)


def _same_spot(a: Mention, b: Mention) -> bool:
    return bool(a.place and b.place and a.place.canonical == b.place.canonical and a.place.precision in _SPOT)


def link_score(a: Mention, b: Mention) -> float:
    """How strongly two compatible mentions look like one event; 0 when they must not be linked."""
    if (a.doc_id == b.doc_id and a.span == b.span) or not compatible(a, b):
        return 0.0
    same_day = a.date is not None and a.date == b.date
    if a.polarity != b.polarity:  # a denial meets an assertion: link unless the days differ
        return 1.0 + same_day if a.date is None or b.date is None or same_day else 0.0
    score = 1.0 * same_day + 1.0 * _same_spot(a, b) + 0.5 * _same_figure_family(a, b) + 2.0 * word_overlap(a, b)
    needs_anchor = same_day or _same_figure_family(a, b)  # undated look-alikes alone are not enough
    return score if needs_anchor else 0.0
