"""Plain-data records the API serves, built from events, articles and reviews; no I/O here."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pausewatch.consolidate.reviews import split_event_id
from pausewatch.credibility import score_documents
from pausewatch.frame import party_terms
from pausewatch.model import (
    Article,
    Corroboration,
    Event,
    EventType,
    Mention,
    OutletFrame,
    Polarity,
    QuoteRecord,
)
from pausewatch.publish import Review, events_to_records
from pausewatch.publish.briefing import event_view, place_label, sides, type_label
from pausewatch.store import ArticleSummary, ReviewRecord

Record = dict[str, Any]
VIOLATION_TYPES = frozenset({EventType.STRIKE, EventType.ATTACK, EventType.CASUALTIES, EventType.OBSTRUCTION})
EVACUATION_TYPES = frozenset({EventType.EVACUATION, EventType.MEDICAL_EVACUATION})
PAUSE_CATEGORY = {"extended": "extension", "ended": "end", "collapsed": "end"}


# ---------------------------------------------------------------- filters and pages


def fold(text: str | None) -> str:
    """Case- and space-insensitive form for matching what a user types against report text."""
    return " ".join((text or "").casefold().split())


@dataclass(frozen=True, slots=True)
class EventFilter:
    """The filters every event list and export accepts; None means 'any'."""

    type: EventType | None = None
    date_from: date | None = None
    date_to: date | None = None
    place: str | None = None
    admin1: str | None = None
    status: Corroboration | None = None
    source: str | None = None
    claimed_by: str | None = None
    q: str | None = None

    def matches(self, e: Event) -> bool:
        return all((
            self.type is None or e.type == self.type,
            self.status is None or e.corroboration == self.status,
            _in_dates(e.date, self.date_from, self.date_to),
            not self.place or _contains(_place_names(e), self.place),
            not self.admin1 or fold(self.admin1) in {fold(n) for n in _admin1s(e)},
            not self.source or _contains(_source_names(e), self.source),
            not self.claimed_by or fold(self.claimed_by) in {fold(m.claimed_by) for m in e.mentions},
            not self.q or _contains([m.evidence for m in e.mentions], self.q),
        ))


def _in_dates(d: date | None, start: date | None, end: date | None) -> bool:
    """An undated event passes only when no date range is asked for."""
    if start is None and end is None:
        return True
    return d is not None and (start is None or d >= start) and (end is None or d <= end)


def _contains(haystack: Iterable[str | None], needle: str) -> bool:
    wanted = fold(needle)
    return any(wanted in fold(text) for text in haystack)


def _place_names(e: Event) -> list[str | None]:
    places = [e.place] + [m.place for m in e.mentions]
    return [n for p in places if p is not None for n in (p.name, p.canonical, p.admin1)]


def _admin1s(e: Event) -> list[str]:
    places = [e.place] + [m.place for m in e.mentions]
    return [p.admin1 for p in places if p is not None and p.admin1]


def _source_names(e: Event) -> list[str | None]:
    return [*e.sources, *(m.claimed_by for m in e.mentions), *(m.outlet for m in e.mentions)]


def page(items: list[Any], limit: int, offset: int) -> Record:
    """One page of a list, with the total so a client can page on."""
    return {"ok": True, "total": len(items), "limit": limit, "offset": offset,
            "items": items[offset : offset + limit]}


# ---------------------------------------------------------------- events


def touches(r: ReviewRecord, event_id: str) -> bool:
    """A review is part of an event's history if made on it, merged into it, or split off into it."""
    made_it = r.action == "split" and split_event_id(r.id) == event_id
    return r.event_id == event_id or r.target_event_id == event_id or made_it


def review_record(r: ReviewRecord) -> Record:
    return {"id": r.id, "event_id": r.event_id, "action": str(r.action), "analyst": r.analyst,
            "created_at": r.created_at.isoformat(), "grade": None if r.grade is None else str(r.grade),
            "target_event_id": r.target_event_id, "mention_ids": list(r.mention_ids), "note": r.note}


def _labels(e: Event) -> Record:
    view = event_view(e, {}, {})
    claimants = list(dict.fromkeys(c.claimed_by for c in view.claims))
    return {"headline": view.headline, "attribution": view.attribution, "claimants": claimants,
            "outlets": sorted({m.outlet for m in e.mentions if m.outlet}),
            "place_label": place_label(e.place) if e.place else None}


def event_summary(e: Event, review: Review | None) -> Record:
    """An event without its claims, for lists."""
    record = events_to_records([e], {e.event_id: review} if review else {})[0]
    record.pop("mentions")
    return {**record, **_labels(e)}


def event_detail(
    e: Event, review: Review | None, history: list[ReviewRecord], docs: Mapping[str, ArticleSummary],
    quotes: Iterable[QuoteRecord],
) -> Record:
    """One event with every claim, the document each comes from, overlapping quotes and its reviews."""
    record = events_to_records([e], {e.event_id: review} if review else {})[0]
    by_doc: dict[str, list[QuoteRecord]] = defaultdict(list)
    for q in quotes:
        by_doc[q.doc_id].append(q)
    for claim in record["mentions"]:
        claim["document"] = document_summary(docs[claim["doc_id"]]) if claim["doc_id"] in docs else None
        claim["quotes"] = [quote_record(q) for q in by_doc[claim["doc_id"]] if _overlaps(q, claim["span"])]
    return {**record, **_labels(e), "reviews": [review_record(r) for r in history]}


def _overlaps(q: QuoteRecord, span: list[int]) -> bool:
    return q.start < span[1] and span[0] < q.end


def quote_record(q: QuoteRecord) -> Record:
    return {"speaker": q.speaker, "text": q.text, "start": q.start, "end": q.end}


# ---------------------------------------------------------------- documents


def document_summary(a: ArticleSummary) -> Record:
    return {"doc_id": a.doc_id, "name": a.name, "title": a.title, "url": a.url, "outlet": a.outlet,
            "outlet_guess": {"method": a.outlet_guess.method, "confidence": a.outlet_guess.confidence},
            "published": a.published.isoformat() if a.published else None,
            "published_guess": {"method": a.published_guess.method,
                                "confidence": a.published_guess.confidence},
            "syndicated_of": a.syndicated_of}


def utf16_offset(text: str, index: int) -> int:
    """A Python (code point) offset as a JavaScript string index, which counts UTF-16 units."""
    return len(text[:index].encode("utf-16-le")) // 2


def locate(text: str, m: Mention) -> tuple[int, int, bool]:
    """Where the evidence is in the text: its span when that holds the evidence, else where it is found."""
    start, end = m.span
    if 0 <= start <= end <= len(text) and text[start:end] == m.evidence:
        return start, end, True
    found = text.find(m.evidence) if m.evidence else -1
    if found >= 0:
        return found, found + len(m.evidence), False
    start = min(max(start, 0), len(text))
    return start, min(max(end, start), len(text)), False


def span_record(text: str, m: Mention, event_id: str | None) -> Record:
    start, end, exact = locate(text, m)
    return {"mention_id": m.mention_id, "event_id": event_id, "type": str(m.type), "claimed_by": m.claimed_by,
            "polarity": str(m.polarity), "evidence": m.evidence, "start": start, "end": end,
            "start_utf16": utf16_offset(text, start), "end_utf16": utf16_offset(text, end),
            "exact": exact}


def document_detail(
    summary: ArticleSummary, article: Article, events: Iterable[Event], quotes: Iterable[QuoteRecord]
) -> Record:
    """The cleaned text with every evidence span and quote as offsets (code points and UTF-16)."""
    pairs = [(m, e.event_id) for e in events for m in e.mentions if m.doc_id == article.doc_id]
    spans = [span_record(article.text, m, eid) for m, eid in pairs]
    spans.sort(key=lambda s: (s["start"], s["end"]))
    own = [quote_record(q) | {"start_utf16": utf16_offset(article.text, q.start),
                              "end_utf16": utf16_offset(article.text, q.end)}
           for q in quotes if q.doc_id == article.doc_id]
    return {**document_summary(summary), "text": article.text, "removed": list(article.removed),
            "spans": spans, "quotes": own}


# ---------------------------------------------------------------- timeline, figures, contradictions


def category(e: Event) -> str:
    """Where an event sits on the pause's timeline: window, extension, end, violation, evacuation ..."""
    if e.type == EventType.PAUSE:
        phases = {m.phase for m in e.mentions if m.phase}
        return next((PAUSE_CATEGORY[p] for p in sorted(phases) if p in PAUSE_CATEGORY), "window")
    if e.type in VIOLATION_TYPES:
        asserted = any(m.polarity == Polarity.ASSERTED for m in e.mentions)
        return "violation" if asserted else "denied violation"
    if e.type in EVACUATION_TYPES:
        return "evacuation"
    return "negotiation" if e.type == EventType.NEGOTIATION else "humanitarian"


def timeline_item(e: Event, review: Review | None) -> Record:
    return {**event_summary(e, review), "category": category(e),
            "phases": sorted({m.phase for m in e.mentions if m.phase})}


def timeline_order(e: Event) -> tuple[str, str, str]:
    return (e.date.isoformat() if e.date else "9999", str(e.type), e.event_id)


def figure_item(e: Event) -> Record | None:
    """Low / best / high of one event's figures and every source's value, with the spread between them."""
    f = e.figures
    if f is None:
        return None
    ranked = sorted(f.by_source.items(), key=lambda kv: (-kv[1], kv[0]))
    by_source = [{"source": s, "value": v} for s, v in ranked]
    return {"event_id": e.event_id, "type": str(e.type), "date": e.date.isoformat() if e.date else None,
            "place": place_label(e.place) if e.place else None, "corroboration": str(e.corroboration),
            "headline": _labels(e)["headline"], "counted": f.counted, "low": f.low, "best": f.best,
            "high": f.high, "spread": f.high - f.low, "ratio": round(f.high / max(f.low, 1), 2),
            "by_source": by_source}


def contradiction_item(e: Event, review: Review | None) -> Record:
    """A contested event with each side's position and the claims that take it."""
    view = event_view(e, {}, {})
    claims = {m.mention_id: m for m in e.mentions}
    out = [{"position": s.label, "denied": s.denied, "count": s.count,
            "claims": [_side_claim(claims[c.id]) for c in s.claims]} for s in sides(view)]
    return {**event_summary(e, review), "sides": out}


def _side_claim(m: Mention) -> Record:
    return {"mention_id": m.mention_id, "doc_id": m.doc_id, "claimed_by": m.claimed_by, "outlet": m.outlet,
            "polarity": str(m.polarity), "evidence": m.evidence,
            "count": m.count.best if m.count else None, "date": m.date.isoformat() if m.date else None}


# ---------------------------------------------------------------- sources


def document_credibility(events: list[Event], articles: Iterable[ArticleSummary]) -> dict[str, Record]:
    """Per document, its cross-source credibility with the parts it was built from and why."""
    scores = score_documents(events, {a.doc_id: a.outlet for a in articles})
    return {doc_id: {"score": round(c.score, 3), "agreement": None if c.agreement is None else round(c.agreement, 3),
                     "outlet_record": round(c.outlet_record, 3), "figures_compared": c.peers,
                     "explanation": c.explanation} for doc_id, c in scores.items()}


def outlet_credibility(events: list[Event]) -> dict[str, float]:
    """Per outlet, the mean cross-source credibility of its reports (credibility.score_documents)."""
    outlets = {m.doc_id: m.outlet or "unknown outlet" for e in events for m in e.mentions}
    scores = score_documents(events, outlets)
    by_outlet: dict[str, list[float]] = defaultdict(list)
    for doc_id, outlet in outlets.items():
        by_outlet[outlet].append(scores[doc_id].score)
    return {outlet: round(sum(values) / len(values), 2) for outlet, values in by_outlet.items()}


def _record_of_claims(events: Iterable[Event]) -> dict[str, Counter[str]]:
    """Per outlet, how many of its claims sit in corroborated, single-source and contested events."""
    record: dict[str, Counter[str]] = defaultdict(Counter)
    for e in events:
        for m in e.mentions:
            record[m.outlet or "unknown outlet"][str(e.corroboration)] += 1
    return record


def _by_side(terms: Mapping[str, int]) -> list[Record]:
    side_of = party_terms()
    return [{"term": t, "count": n, "side": side_of.get(t, "")} for t, n in terms.items()]


def outlet_profiles(frames: list[OutletFrame], events: list[Event]) -> list[Record]:
    """Each outlet's framing, whom it quotes, what it leaves out and a corroboration record."""
    record = _record_of_claims(events)
    credibility = outlet_credibility(events)
    return [{"outlet": f.outlet, "documents": f.documents, "terms": _by_side(f.terms),
             "quoted": [{"speaker": s, "count": n} for s, n in f.quoted.items()],
             "event_types": f.event_types, "not_reported": list(f.not_reported),
             "claims": {str(c): record[f.outlet][str(c)] for c in Corroboration},
             "credibility": credibility.get(f.outlet)} for f in frames]


def claimant_profiles(events: list[Event]) -> list[Record]:
    """Who is claimed to say what: each speaker or source with its outlets and corroboration record."""
    claims: dict[str, list[tuple[Mention, Event]]] = defaultdict(list)
    for e in events:
        for m in e.mentions:
            claims[m.claimed_by].append((m, e))
    out = [_claimant(name, pairs) for name, pairs in claims.items()]
    return sorted(out, key=lambda r: (-r["claims"], r["name"]))


def _claimant(name: str, pairs: list[tuple[Mention, Event]]) -> Record:
    marks = Counter(str(e.corroboration) for _, e in pairs)
    return {"name": name, "claims": len(pairs), "kinds": sorted({m.claim_kind for m, _ in pairs}),
            "outlets": sorted({m.outlet for m, _ in pairs if m.outlet}),
            "events": len({e.event_id for _, e in pairs}), "denials": sum(m.polarity == Polarity.DENIED
                                                                         for m, _ in pairs),
            "types": sorted({type_label(m.type) for m, _ in pairs}),
            "by_corroboration": {str(c): marks[str(c)] for c in Corroboration}}


def overview(events: list[Event], articles: list[ArticleSummary], reviews: list[ReviewRecord]) -> Record:
    """Headline numbers for the dashboard."""
    marks = Counter(str(e.corroboration) for e in events)
    dates = sorted(e.date for e in events if e.date)
    return {"ok": True, "events": len(events), "claims": sum(len(e.mentions) for e in events),
            "documents": len(articles), "outlets": len({a.outlet for a in articles if a.outlet}),
            "by_corroboration": {str(c): marks[str(c)] for c in Corroboration},
            "by_type": dict(sorted(Counter(str(e.type) for e in events).items())),
            "first_date": dates[0].isoformat() if dates else None,
            "last_date": dates[-1].isoformat() if dates else None, "reviews": len(reviews)}
