"""Per-article credibility from cross-source agreement on casualty figures; no labels, no training.

The signal asks one question of each report: do the other outlets covering the same incident give the
same death toll? It works on plain data (`ArticleFigures`), so the FA-KES evaluation, the briefing and
the dashboard can all call it.

Formula (every constant is named below):

- incident: the other reports with the same governorate and a date at most `DATE_WINDOW_DAYS` apart,
  from a different outlet (an outlet repeating itself is not a second source);
- toll: civilians + non-civilians (children and women are counted within civilians);
- agreement = exp(-|ln((1 + toll) / (1 + median of the peers' tolls))|), in (0, 1]: 1 when the toll
  equals the consensus, 0.5 when it is off by a factor of two; `NEUTRAL` (0.5) when nobody else
  reports the incident, since an uncorroborated report is neither confirmed nor contradicted;
- outlet record = (sum of the outlet's agreements on its other corroborated reports + PRIOR_WEIGHT * 0.5)
  / (their number + PRIOR_WEIGHT): its track record against consensus, shrunk towards 0.5;
- score = AGREEMENT_WEIGHT * agreement + (1 - AGREEMENT_WEIGHT) * outlet record, in [0, 1].

An uncorroborated report from an outlet with no corroborated history scores exactly 0.5.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import Event

__all__ = ["ArticleFigures", "CredibilityScore", "agreement", "death_toll", "score_articles", "score_documents"]

DATE_WINDOW_DAYS = 1
NEUTRAL = 0.5
PRIOR_WEIGHT = 2.0
AGREEMENT_WEIGHT = 0.75
TOLL_KEYS = ("civilians", "noncivilians")


@dataclass(frozen=True, slots=True)
class ArticleFigures:
    """What one report says about its incident: where, when, and how many died (by class)."""

    doc_id: str
    outlet: str | None
    date: date | None
    governorate: str | None
    figures: Mapping[str, int] = field(default_factory=dict)  # civilians, children, women, noncivilians


@dataclass(frozen=True, slots=True)
class CredibilityScore:
    """A score in [0, 1] with the parts it was built from and one sentence that explains it."""

    score: float
    agreement: float | None  # None: no other outlet reports the incident
    outlet_record: float
    peers: int
    consensus: float | None
    explanation: str


def death_toll(figures: Mapping[str, int]) -> int:
    """Everyone reported dead: civilians (who include children and women) and non-civilians."""
    return sum(max(0, int(figures.get(key, 0))) for key in TOLL_KEYS)


def agreement(value: float, consensus: float) -> float:
    """exp(-|log-ratio|) with +1 smoothing, so zero tolls compare and the result is in (0, 1]."""
    return math.exp(-abs(math.log1p(max(0.0, value)) - math.log1p(max(0.0, consensus))))


def score_articles(items: Sequence[ArticleFigures]) -> dict[str, CredibilityScore]:
    """Score every report against the other outlets' reports of the same incident."""
    groups = _by_governorate(items)
    peers = {item.doc_id: _peers(item, groups) for item in items}
    agreements = {item.doc_id: _agreement(item, peers[item.doc_id]) for item in items}
    records = _outlet_records((item.doc_id, item.outlet, agreements[item.doc_id]) for item in items)
    return {item.doc_id: _score(item, peers[item.doc_id], agreements[item.doc_id], records) for item in items}


def _by_governorate(items: Sequence[ArticleFigures]) -> dict[str, list[ArticleFigures]]:
    """Dated reports grouped by governorate: the only ones that can share an incident."""
    groups: dict[str, list[ArticleFigures]] = defaultdict(list)
    for item in items:
        if item.governorate is not None and item.date is not None:
            groups[item.governorate].append(item)
    return groups


def _peers(item: ArticleFigures, groups: Mapping[str, list[ArticleFigures]]) -> list[ArticleFigures]:
    """Other outlets' reports of the same incident (same governorate, dates within the window)."""
    if item.date is None or item.governorate is None:
        return []
    return [other for other in groups.get(item.governorate, ()) if _same_incident(item, other)]


def _same_incident(item: ArticleFigures, other: ArticleFigures) -> bool:
    """A different outlet's report, dated within the window (governorate already matched)."""
    if other.doc_id == item.doc_id or other.date is None or item.date is None:
        return False
    if item.outlet is not None and other.outlet == item.outlet:
        return False
    return abs((other.date - item.date).days) <= DATE_WINDOW_DAYS


def _consensus(peers: Sequence[ArticleFigures]) -> float | None:
    return float(statistics.median(death_toll(p.figures) for p in peers)) if peers else None


def _agreement(item: ArticleFigures, peers: Sequence[ArticleFigures]) -> float | None:
    consensus = _consensus(peers)
    return None if consensus is None else agreement(death_toll(item.figures), consensus)


_Records = Mapping[str | None, list[tuple[str, float]]]


def _outlet_records(items: Iterable[tuple[str, str | None, float | None]]) -> _Records:
    """Per outlet, the agreement of each of its corroborated reports, from (doc_id, outlet, agreement)."""
    records: dict[str | None, list[tuple[str, float]]] = defaultdict(list)
    for doc_id, outlet, value in items:
        if outlet is not None and value is not None:
            records[outlet].append((doc_id, value))
    return records


def _outlet_record(item: ArticleFigures, records: _Records) -> tuple[float, int]:
    """The outlet's mean agreement on its other corroborated reports, shrunk towards 0.5, and their number."""
    known = [value for doc_id, value in records.get(item.outlet, ()) if doc_id != item.doc_id]
    return (sum(known) + PRIOR_WEIGHT * NEUTRAL) / (len(known) + PRIOR_WEIGHT), len(known)


def _score(
    item: ArticleFigures, peers: Sequence[ArticleFigures], own: float | None, records: _Records
) -> CredibilityScore:
    record, history = _outlet_record(item, records)
    value = AGREEMENT_WEIGHT * (NEUTRAL if own is None else own) + (1 - AGREEMENT_WEIGHT) * record
    consensus = _consensus(peers)
    text = _explain(item, own, consensus, len(peers), record, history)
    return CredibilityScore(min(1.0, max(0.0, value)), own, record, len(peers), consensus, text)


def _explain(
    item: ArticleFigures, own: float | None, consensus: float | None, peers: int, record: float, history: int
) -> str:
    """One sentence: how the toll compares with the other outlets, and the outlet's track record."""
    toll = death_toll(item.figures)
    if own is None or consensus is None:
        first = f"toll {toll}: no other outlet reports this incident (neutral {NEUTRAL})"
    else:
        first = f"toll {toll} vs median {consensus:g} of {peers} other outlet(s) (agreement {own:.2f})"
    outlet = item.outlet or "unknown outlet"
    second = (
        f"{outlet} agreed {record:.2f} over {history} corroborated report(s)"
        if history
        else f"{outlet} has no corroborated history"
    )
    return f"{first}; {second}"


def _figure_agreements(events: Iterable[Event]) -> dict[str, list[float]]:
    """Per document, how each of its figures sits against the other outlets' figures for the same event."""
    found: dict[str, list[float]] = defaultdict(list)
    for event in events:
        counted = [m for m in event.mentions if m.count is not None]
        for mention in counted:
            own_outlet = mention.outlet or mention.doc_id
            others = [o.count.best for o in counted if (o.outlet or o.doc_id) != own_outlet and o.count]
            if others and mention.count is not None:
                found[mention.doc_id].append(agreement(mention.count.best, statistics.median(others)))
    return found


def score_documents(events: Sequence[Event], outlets: Mapping[str, str | None]) -> dict[str, CredibilityScore]:
    """The same signal for a pausewatch run: incidents are consolidated events, figures any counts.

    `outlets` maps every document to its outlet; a document with no figure another outlet also
    reports gets the neutral score, shrunk with its outlet's record like any other.
    """
    per_doc = _figure_agreements(events)
    own = {doc: statistics.fmean(values) for doc, values in per_doc.items()}
    records = _outlet_records((doc, outlet, own.get(doc)) for doc, outlet in outlets.items())
    scores = {}
    for doc, outlet in outlets.items():
        item = ArticleFigures(doc, outlet, None, None, {})
        record, history = _outlet_record(item, records)
        value = AGREEMENT_WEIGHT * own.get(doc, NEUTRAL) + (1 - AGREEMENT_WEIGHT) * record
        text = _explain_document(own.get(doc), len(per_doc.get(doc, [])), outlet, record, history)
        scores[doc] = CredibilityScore(
            min(1.0, max(0.0, value)), own.get(doc), record, len(per_doc.get(doc, [])), None, text
        )
    return scores


def _explain_document(own: float | None, figures: int, outlet: str | None, record: float, history: int) -> str:
    first = (
        f"{figures} figure(s) compared with other outlets' figures for the same events (agreement {own:.2f})"
        if own is not None
        else f"no figure that another outlet also reports (neutral {NEUTRAL})"
    )
    name = outlet or "unknown outlet"
    second = (
        f"{name} agreed {record:.2f} over {history} other corroborated report(s)"
        if history
        else f"{name} has no corroborated history"
    )
    return f"{first}; {second}"
