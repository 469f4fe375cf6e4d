"""Plain-data views of extraction results, in the gold format of ../shared/gold/FORMAT.md (plus extras)."""

from __future__ import annotations

from typing import Any

from .model import Article, Mention, QuoteRecord

QUOTE_HEAD_WORDS = 10


def mention_record(m: Mention) -> dict[str, Any]:
    place, count = m.place, m.count
    return {
        "type": str(m.type),
        "date": m.date.isoformat() if m.date else None,
        "place": place.name if place else None,
        "admin1": place.admin1 if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "precision": str(place.precision) if place else None,
        "actor": m.actor,
        "target": m.target,
        "count": count.best if count else None,
        "count_low": count.low if count else None,
        "count_high": count.high if count else None,
        "count_qualifier": str(count.qualifier) if count and count.qualifier else None,
        "counted": count.counted if count else None,
        "count_parts": [{"count": p.best, "counted": p.counted} for p in count.parts] if count else [],
        "claimed_by": m.claimed_by,
        "claim_kind": m.claim_kind,
        "polarity": str(m.polarity),
        "status": str(m.status),
        "phase": m.phase,
        "trigger": m.trigger,
        "evidence": m.evidence,
        "mention_id": m.mention_id,
    }


def quote_record(q: QuoteRecord) -> dict[str, Any]:
    return {"speaker": q.speaker, "text": q.text, "starts_with": " ".join(q.text.split()[:QUOTE_HEAD_WORDS])}


def document_record(article: Article, mentions: list[Mention], quotes: list[QuoteRecord]) -> dict[str, Any]:
    """One line of `pausewatch extract --format jsonl`."""
    return {
        "doc": article.name,
        "doc_id": article.doc_id,
        "outlet": article.outlet,
        "outlet_guess": {"method": article.outlet_guess.method, "confidence": article.outlet_guess.confidence},
        "published": article.published.isoformat() if article.published else None,
        "published_guess": {"method": article.published_guess.method,
                            "confidence": article.published_guess.confidence},
        "events": [mention_record(m) for m in mentions],
        "quotes": [quote_record(q) for q in quotes],
    }
