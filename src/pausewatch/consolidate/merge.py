"""Clusters of linked mentions become events with figures, sources and a corroboration mark."""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import date

from ..model import Corroboration, Event, FigureRange, Mention, Place, Polarity, Precision

FIGURE_TOLERANCE = 0.10
_PRECISION_RANK = {
    Precision.POINT: 0,
    Precision.NEIGHBOURHOOD: 1,
    Precision.TOWN: 2,
    Precision.ADMIN1: 3,
    Precision.COUNTRY: 4,
}


def source_key(name: str) -> str:
    """A claimant's identity for counting independent sources ("the Russian MoD" = "Russian MoD")."""
    words = re.findall(r"\w+", name.casefold().replace("defense", "defence"))
    return " ".join(w for w in words if w not in {"the", "of", "s"})


def independent_sources(mentions: Iterable[Mention], original_of: dict[str, str]) -> list[str]:
    """Distinct claimants, counting a syndicated copy's claims as the original's."""
    seen: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: (original_of.get(m.doc_id, m.doc_id), m.span)):
        seen.setdefault(source_key(m.claimed_by), m.claimed_by)
    return sorted(seen.values())


def figures_of(mentions: Iterable[Mention]) -> FigureRange | None:
    """Low and high over every figure given; best is the median of each source's latest figure."""
    by_source: dict[str, int] = {}
    values: list[int] = []
    counted: Counter[str] = Counter()
    for m in sorted(mentions, key=lambda m: (m.published or date.min, m.doc_id, m.span)):
        if m.count is not None:
            by_source[m.claimed_by] = m.count.best
            values.append(m.count.best)
            counted[m.count.counted or ""] += 1
    if not values:
        return None
    best = int(statistics.median_low(sorted(by_source.values())))
    return FigureRange(
        min(values), best, max(values), dict(sorted(by_source.items())), counted.most_common(1)[0][0] or None
    )


def contested_fields(mentions: list[Mention], figures: FigureRange | None) -> tuple[str, ...]:
    fields = []
    if len({m.polarity for m in mentions}) > 1:
        fields.append("polarity")
    if figures is not None and figures.high > figures.low * (1 + FIGURE_TOLERANCE):
        fields.append("count")
    if len({m.date for m in mentions if m.date is not None}) > 1:
        fields.append("date")
    fine = {
        m.place.canonical
        for m in mentions
        if m.place and m.place.precision in {Precision.POINT, Precision.NEIGHBOURHOOD}
    }
    if len(fine) > 1:
        fields.append("place")
    return tuple(fields)


def _representative_place(mentions: list[Mention]) -> Place | None:
    places = [m.place for m in mentions if m.place is not None]
    return min(places, key=lambda p: (_PRECISION_RANK[p.precision], p.canonical)) if places else None


def _majority_date(mentions: list[Mention]) -> date | None:
    dates = Counter(m.date for m in mentions if m.date is not None)
    return min(dates, key=lambda d: (-dates[d], d)) if dates else None


def new_event_id(mentions: list[Mention]) -> str:
    first = min(m.mention_id for m in mentions)
    return "ev-" + hashlib.sha1(first.encode()).hexdigest()[:12]


def to_event(mentions: list[Mention], event_id: str, original_of: dict[str, str]) -> Event:
    mentions = sorted(mentions, key=lambda m: m.mention_id)
    figures = figures_of(mentions)
    contested = contested_fields(mentions, figures)
    sources = independent_sources(mentions, original_of)
    if contested:
        mark = Corroboration.CONTESTED
    elif len(sources) >= 2 and all(m.polarity == Polarity.ASSERTED for m in mentions):
        mark = Corroboration.CORROBORATED
    else:
        mark = Corroboration.SINGLE_SOURCE
    return Event(
        event_id,
        mentions[0].type,
        _majority_date(mentions),
        _representative_place(mentions),
        tuple(mentions),
        mark,
        figures,
        contested,
        tuple(sources),
    )
