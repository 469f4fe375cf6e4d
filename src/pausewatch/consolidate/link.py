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
from datetime import date
from functools import lru_cache
from itertools import combinations

from ..model import Mention, Place, Polarity, Precision

MAX_DAY_GAP = 1
MIN_SCORE = 1.0
MAX_FIGURE_RATIO = 3.0
_WORD = re.compile(r"[a-z]{4,}")
_SPOT = frozenset({Precision.POINT, Precision.NEIGHBOURHOOD})


def candidate_pairs(mentions: list[Mention]) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) that link_score could rate at MIN_SCORE or more, each once.

    Blocks are type and province; a mention with no province may still be the same event as one in any
    province, so it joins every block of its type. Inside a block a pair can only link on a shared day,
    a shared counted noun a day apart at most, or a denial meeting an assertion with a day unknown:
    only those pairs are generated, so an undated corpus does not cost every pair of its block.
    """
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        blocks[(m.type, _province(m))].append(i)
    for (kind, province), indices in blocks.items():
        unplaced = blocks.get((kind, ""), []) if province else []
        yield from sorted(_linkable_pairs(mentions, indices, unplaced))


def _province(m: Mention) -> str:
    return (m.place.admin1 or m.place.country or "") if m.place else ""


def _linkable_pairs(mentions: list[Mention], block: list[int], unplaced: list[int]) -> set[tuple[int, int]]:
    """Pairs inside `block` and between `block` and `unplaced` (never inside `unplaced`: its own block)."""
    members = block + unplaced
    inside = set(block)
    pairs = (
        _same_day_pairs(mentions, members)
        | _shared_figure_pairs(mentions, members)
        | _undated_denial_pairs(mentions, members)
    )
    return {(i, j) for i, j in pairs if i in inside or j in inside}


def _pairs_of(group: list[int]) -> Iterator[tuple[int, int]]:
    return ((min(i, j), max(i, j)) for i, j in combinations(group, 2))


def _same_day_pairs(mentions: list[Mention], members: list[int]) -> set[tuple[int, int]]:
    by_day: dict[date, list[int]] = defaultdict(list)
    for i in members:
        if (day := mentions[i].date) is not None:
            by_day[day].append(i)
    return {pair for group in by_day.values() for pair in _pairs_of(group)}


def _shared_figure_pairs(mentions: list[Mention], members: list[int]) -> set[tuple[int, int]]:
    """Mentions counting the same noun, dated a day apart at most or undated."""
    by_word: dict[str, list[int]] = defaultdict(list)
    for i in members:
        for word in _counted_words(mentions[i]):
            by_word[word].append(i)
    return {pair for group in by_word.values() for pair in _near_in_time(mentions, group)}


def _near_in_time(mentions: list[Mention], group: list[int]) -> Iterator[tuple[int, int]]:
    """Pairs of the group dated MAX_DAY_GAP apart at most, and every pair with an undated member."""
    dated = sorted((i for i in group if mentions[i].date is not None), key=lambda i: mentions[i].date)  # type: ignore[arg-type,return-value]
    undated = [i for i in group if mentions[i].date is None]
    for pos, i in enumerate(dated):
        for j in dated[pos + 1 :]:
            if (mentions[j].date - mentions[i].date).days > MAX_DAY_GAP:  # type: ignore[operator]
                break
            yield (min(i, j), max(i, j))
    yield from _pairs_of(undated)
    yield from ((min(i, j), max(i, j)) for i in undated for j in dated)


def _undated_denial_pairs(mentions: list[Mention], members: list[int]) -> set[tuple[int, int]]:
    """A denial and an assertion link when either has no day, so these pairs are all candidates."""
    pairs: set[tuple[int, int]] = set()
    for i in members:
        if mentions[i].polarity == Polarity.ASSERTED:
            continue
        for j in members:
            other = mentions[j]
            if other.polarity != mentions[i].polarity and (other.date is None or mentions[i].date is None):
                pairs.add((min(i, j), max(i, j)))
    return pairs


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


@lru_cache(maxsize=65536)
def _words(evidence: str) -> frozenset[str]:
    """Content words of an evidence sentence; cached, since one mention meets many others."""
    return frozenset(_WORD.findall(evidence.lower()))


def word_overlap(a: Mention, b: Mention) -> float:
    wa, wb = _words(a.evidence), _words(b.evidence)
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


def _counted_words(m: Mention) -> frozenset[str]:
    return frozenset((m.count.counted or "").lower().split()) if m.count else frozenset()


def _same_figure_family(a: Mention, b: Mention) -> bool:
    return bool(_counted_words(a) & _counted_words(b))


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
