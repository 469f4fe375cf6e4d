"""Which mentions describe the same event: blocking by type, then a pairwise compatibility test.

Two mentions of one type are the same event when their dates and places are compatible and they
share enough of their participants or wording. A denial and an assertion of the same kind of event
at a compatible place and time are linked on looser terms: that pairing is exactly the
contradiction the analyst needs to see ("no strikes for seven days" vs "strikes hit Sheikh Saeed").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations

from ..model import Mention, Place, Precision

MAX_DAY_GAP = 1
MIN_WORD_OVERLAP = 0.25
_WORD = re.compile(r"[a-z]{4,}")
_FINE = frozenset({Precision.POINT, Precision.NEIGHBOURHOOD, Precision.TOWN})


def candidate_pairs(mentions: list[Mention]) -> Iterator[tuple[int, int]]:
    """Index pairs of mentions of the same type (the blocking step)."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_type[m.type].append(i)
    for indices in by_type.values():
        yield from combinations(indices, 2)


def dates_compatible(a: Mention, b: Mention) -> bool:
    if a.date is None or b.date is None:
        return True
    return abs((a.date - b.date).days) <= MAX_DAY_GAP


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """Same place, or one inside the other's province (a district of the city another names)."""
    if a is None or b is None:
        return True
    if a.canonical == b.canonical:
        return True
    if a.admin1 is None or a.admin1 != b.admin1:
        return False
    return a.precision not in _FINE or b.precision not in _FINE or Precision.TOWN in {a.precision, b.precision}


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


def same_event(a: Mention, b: Mention) -> bool:
    """The pairwise test: see the module docstring."""
    if a.doc_id == b.doc_id and a.span == b.span:
        return False
    if not (dates_compatible(a, b) and places_compatible(a.place, b.place)):
        return False
    if a.polarity != b.polarity:
        return a.date is None or b.date is None or a.date == b.date
    if a.date is not None and a.date == b.date:
        return _same_figure_family(a, b) or word_overlap(a, b) >= MIN_WORD_OVERLAP
    return _same_figure_family(a, b) and word_overlap(a, b) >= MIN_WORD_OVERLAP
