"""Tables of the store, portable across SQLite and PostgreSQL, and how model records map onto rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Row as ResultRow
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pausewatch.consolidate.syndication import signature
from pausewatch.frame import count_terms
from pausewatch.model import (
    Article,
    Corroboration,
    Count,
    CountPart,
    Event,
    EventType,
    FigureRange,
    Guess,
    Mention,
    Place,
    Polarity,
    Precision,
    Qualifier,
    QuoteRecord,
    Rejected,
    Status,
)

ID = String(64)  # sha256 hex digests and shorter hashes
WORD = String(32)  # StrEnum values only; free text is Text
TZ_DATETIME = DateTime(timezone=True)
Row = dict[str, Any]
PLACE_COLUMNS = ("place_name", "place_canonical", "admin1", "country", "lat", "lon", "precision")
COUNT_COLUMNS = ("count_best", "count_low", "count_high", "count_qualifier", "counted", "count_text",
                 "count_parts")
FIGURE_COLUMNS = ("figure_low", "figure_best", "figure_high", "figure_counted", "figure_by_source")


class Base(DeclarativeBase):
    """Named constraints, so later migrations can alter them on SQLite (batch mode) and PostgreSQL."""

    metadata = MetaData(
        naming_convention={
            "pk": "pk_%(table_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        }
    )


class PlaceColumns:
    """A resolved place flattened into columns; `precision` is NULL when there is no place."""

    place_name: Mapped[str | None] = mapped_column(Text)
    place_canonical: Mapped[str | None] = mapped_column(Text)
    admin1: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    precision: Mapped[str | None] = mapped_column(WORD)


class DocumentRow(Base):
    __tablename__ = "documents"

    doc_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    outlet_method: Mapped[str] = mapped_column(Text)
    outlet_confidence: Mapped[float] = mapped_column(Float)
    published: Mapped[dt.date | None] = mapped_column(Date)
    published_method: Mapped[str] = mapped_column(Text)
    published_confidence: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    removed: Mapped[list[str]] = mapped_column(JSON)  # boilerplate lines clean dropped, for audit
    raw_encoding: Mapped[str | None] = mapped_column(Text)
    media_type: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict[str, str]] = mapped_column(JSON)
    syndicated_of: Mapped[str | None] = mapped_column(ID)  # no FK: the original may arrive later
    ingested_at: Mapped[dt.datetime] = mapped_column(TZ_DATETIME)
    minhash: Mapped[str | None] = mapped_column(Text)  # syndication signature; NULL if stored before 0002
    party_terms: Mapped[dict[str, int] | None] = mapped_column(JSON)  # frame.count_terms; NULL before 0003


class RejectionRow(Base):
    """A document that could not be read; `doc_key` is doc_id or '' because NULLs never collide."""

    __tablename__ = "rejections"
    __table_args__ = (UniqueConstraint("source", "reason", "doc_key", name="uq_rejections_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(WORD)
    detail: Mapped[str] = mapped_column(Text)
    doc_id: Mapped[str | None] = mapped_column(ID)
    doc_key: Mapped[str] = mapped_column(ID)
    first_seen: Mapped[dt.datetime] = mapped_column(TZ_DATETIME)
    last_seen: Mapped[dt.datetime] = mapped_column(TZ_DATETIME)


class MentionRow(PlaceColumns, Base):
    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_doc_id", "doc_id"), Index("ix_mentions_type", "type"))

    mention_id: Mapped[str] = mapped_column(ID, primary_key=True)
    doc_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.doc_id"))
    type: Mapped[str] = mapped_column(WORD)
    claimed_by: Mapped[str] = mapped_column(Text)
    claim_kind: Mapped[str] = mapped_column(WORD)
    polarity: Mapped[str] = mapped_column(WORD)
    status: Mapped[str] = mapped_column(WORD)
    phase: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    outlet: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    date: Mapped[dt.date | None] = mapped_column(Date)
    actor: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(Text)
    count_best: Mapped[int | None] = mapped_column(BigInteger)
    count_low: Mapped[int | None] = mapped_column(BigInteger)
    count_high: Mapped[int | None] = mapped_column(BigInteger)
    count_qualifier: Mapped[str | None] = mapped_column(WORD)
    counted: Mapped[str | None] = mapped_column(Text)
    count_text: Mapped[str | None] = mapped_column(Text)
    # the shares a figure names, [[best, counted], ...]; NULL without shares and before schema 0004
    count_parts: Mapped[list[list[Any]] | None] = mapped_column(JSON(none_as_null=True))
    trigger: Mapped[str | None] = mapped_column(Text)


class QuoteRow(Base):
    __tablename__ = "quotes"
    __table_args__ = (Index("ix_quotes_doc_id", "doc_id"),)

    quote_id: Mapped[str] = mapped_column(ID, primary_key=True)
    doc_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.doc_id"))
    speaker: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class EventRow(PlaceColumns, Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_type", "type"), Index("ix_events_date", "date"))

    event_id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(WORD)
    date: Mapped[dt.date | None] = mapped_column(Date)
    corroboration: Mapped[str] = mapped_column(WORD)
    contested_on: Mapped[list[str]] = mapped_column(JSON)
    sources: Mapped[list[str]] = mapped_column(JSON)
    figure_low: Mapped[int | None] = mapped_column(BigInteger)
    figure_best: Mapped[int | None] = mapped_column(BigInteger)
    figure_high: Mapped[int | None] = mapped_column(BigInteger)
    figure_counted: Mapped[str | None] = mapped_column(Text)
    figure_by_source: Mapped[dict[str, int] | None] = mapped_column(JSON)


class EventMentionRow(Base):
    """Which mentions an event merges; `position` keeps Event.mentions in its order."""

    __tablename__ = "event_mentions"
    __table_args__ = (Index("ix_event_mentions_mention_id", "mention_id"),)

    event_id: Mapped[str] = mapped_column(ID, ForeignKey("events.event_id"), primary_key=True)
    mention_id: Mapped[str] = mapped_column(ID, ForeignKey("mentions.mention_id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ReviewRow(Base):
    """An analyst's decision, append-only; event_id has no FK so it outlives re-consolidation."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_event_id", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(WORD)
    grade: Mapped[str | None] = mapped_column(WORD)
    target_event_id: Mapped[str | None] = mapped_column(ID)
    mention_ids: Mapped[list[str] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    analyst: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(TZ_DATETIME)


class RunRow(Base):
    __tablename__ = "runs"

    run_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(TZ_DATETIME)
    finished_at: Mapped[dt.datetime | None] = mapped_column(TZ_DATETIME)
    documents_read: Mapped[int] = mapped_column(Integer, default=0)
    documents_new: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    events: Mapped[int] = mapped_column(Integer, default=0)
    contradictions: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(WORD)


# --- records to rows ------------------------------------------------------------------------


def quote_id(quote: QuoteRecord) -> str:
    """Stable across runs: the same span of the same document is the same quote."""
    return hashlib.sha1(f"{quote.doc_id}:{quote.start}:{quote.end}".encode()).hexdigest()


def document_row(article: Article, now: dt.datetime) -> Row:
    """Article carries no encoding or media type; clean may pass them in meta. The MinHash and the party
    labels are taken here, once per document, so that syndication and framing never read texts again."""
    return {
        "doc_id": article.doc_id, "name": article.name, "source": article.source, "url": article.url,
        "title": article.title, "outlet": article.outlet, "outlet_method": article.outlet_guess.method,
        "outlet_confidence": article.outlet_guess.confidence, "published": article.published,
        "published_method": article.published_guess.method,
        "published_confidence": article.published_guess.confidence, "text": article.text,
        "removed": list(article.removed), "raw_encoding": article.meta.get("encoding"),
        "media_type": article.meta.get("media_type"), "meta": dict(article.meta), "syndicated_of": None,
        "ingested_at": now, "minhash": signature(article.text), "party_terms": dict(count_terms(article.text)),
    }


def _place_row(place: Place | None) -> Row:
    if place is None:
        return dict.fromkeys(PLACE_COLUMNS)
    return {
        "place_name": place.name, "place_canonical": place.canonical, "admin1": place.admin1,
        "country": place.country, "lat": place.lat, "lon": place.lon, "precision": str(place.precision),
    }


def _count_row(count: Count | None) -> Row:
    if count is None:
        return dict.fromkeys(COUNT_COLUMNS)
    return {
        "count_best": count.best, "count_low": count.low, "count_high": count.high,
        "count_qualifier": None if count.qualifier is None else str(count.qualifier),
        "counted": count.counted, "count_text": count.text,
        "count_parts": [[part.best, part.counted] for part in count.parts] or None,
    }


def mention_row(m: Mention) -> Row:
    return {
        "mention_id": m.mention_id, "doc_id": m.doc_id, "type": str(m.type), "claimed_by": m.claimed_by,
        "claim_kind": m.claim_kind, "polarity": str(m.polarity), "status": str(m.status), "phase": m.phase,
        "evidence": m.evidence, "span_start": m.span[0], "span_end": m.span[1], "outlet": m.outlet,
        "published": m.published, "date": m.date, "actor": m.actor, "target": m.target,
        "trigger": m.trigger, **_place_row(m.place), **_count_row(m.count),
    }


def quote_row(q: QuoteRecord) -> Row:
    return {"quote_id": quote_id(q), "doc_id": q.doc_id, "speaker": q.speaker, "text": q.text,
            "span_start": q.start, "span_end": q.end}


def rejection_row(r: Rejected, now: dt.datetime) -> Row:
    return {"source": r.source, "reason": str(r.reason), "detail": r.detail, "doc_id": r.doc_id,
            "doc_key": r.doc_id or "", "first_seen": now, "last_seen": now}


def _figure_row(figures: FigureRange | None) -> Row:
    if figures is None:
        return dict.fromkeys(FIGURE_COLUMNS)
    return {"figure_low": figures.low, "figure_best": figures.best, "figure_high": figures.high,
            "figure_counted": figures.counted, "figure_by_source": dict(figures.by_source)}


def event_row(e: Event) -> Row:
    return {"event_id": e.event_id, "type": str(e.type), "date": e.date,
            "corroboration": str(e.corroboration), "contested_on": list(e.contested_on),
            "sources": list(e.sources),
            **_place_row(e.place), **_figure_row(e.figures)}


# --- rows to records ------------------------------------------------------------------------


def guesses(row: DocumentRow) -> tuple[Guess, Guess]:
    outlet = Guess(row.outlet_method, row.outlet_confidence)
    return outlet, Guess(row.published_method, row.published_confidence)


def to_article(row: DocumentRow) -> Article:
    outlet_guess, published_guess = guesses(row)
    return Article(
        doc_id=row.doc_id, name=row.name, source=row.source, text=row.text, title=row.title,
        outlet=row.outlet, outlet_guess=outlet_guess, published=row.published,
        published_guess=published_guess, url=row.url, removed=tuple(row.removed), meta=dict(row.meta),
    )


def _place(row: PlaceColumns | ResultRow[Any]) -> Place | None:
    if row.precision is None or row.place_name is None or row.place_canonical is None:
        return None
    return _shared_place(row.place_name, row.place_canonical, row.admin1, row.country, row.lat, row.lon,
                         row.precision)


@lru_cache(maxsize=8192)
def _shared_place(name: str, canonical: str, admin1: str | None, country: str | None, lat: float | None,
                  lon: float | None, precision: str) -> Place:
    """One (frozen) Place per distinct place: a corpus names a few hundred places in many thousand mentions."""
    return Place(name, canonical, admin1, country, lat, lon, Precision(precision))


_EVENT_TYPES = {kind.value: kind for kind in EventType}  # plain lookups: an Enum call costs ten times more
_POLARITIES = {polarity.value: polarity for polarity in Polarity}
_STATUSES = {status.value: status for status in Status}
_QUALIFIERS = {qualifier.value: qualifier for qualifier in Qualifier}
MENTION_COLUMNS = ("doc_id", "type", "claimed_by", "polarity", "status", "evidence", "span_start", "span_end",
                   "outlet", "published", "date", "actor", "target", "phase", "trigger", "claim_kind",
                   *PLACE_COLUMNS, *COUNT_COLUMNS)


def to_mention(row: MentionRow | ResultRow[Any]) -> Mention:
    return mention_from_values(tuple(getattr(row, name) for name in MENTION_COLUMNS))


def mention_from_values(values: tuple[Any, ...]) -> Mention:
    """A Mention from the values of MENTION_COLUMNS in order: unpacking by position is what makes reading
    every stored mention cheap (a named attribute of a row costs more than a field of the Mention)."""
    (doc_id, kind, claimed_by, polarity, status, evidence, start, end, outlet, published, when, actor, target,
     phase, trigger, claim_kind, name, canonical, admin1, country, lat, lon, precision,
     best, low, high, qualifier, counted, count_text, parts) = values
    place = None if precision is None or name is None or canonical is None else _shared_place(
        name, canonical, admin1, country, lat, lon, precision)
    count = None if best is None or low is None or high is None else Count(
        best, low, high, None if qualifier is None else _QUALIFIERS[qualifier], counted, count_text or "",
        tuple(CountPart(int(value), noun) for value, noun in parts or ()))
    return Mention(
        doc_id=doc_id, type=_EVENT_TYPES[kind], claimed_by=claimed_by, polarity=_POLARITIES[polarity],
        status=_STATUSES[status], evidence=evidence, span=(start, end), outlet=outlet, published=published,
        date=when, place=place, actor=actor, target=target, count=count, phase=phase, trigger=trigger,
        claim_kind=claim_kind,
    )


def _figures(row: EventRow) -> FigureRange | None:
    low, best, high = row.figure_low, row.figure_best, row.figure_high
    if low is None or best is None or high is None:
        return None
    return FigureRange(low, best, high, dict(row.figure_by_source or {}), row.figure_counted)


def to_event(row: EventRow, mentions: list[Mention]) -> Event:
    return Event(
        event_id=row.event_id, type=EventType(row.type), date=row.date, place=_place(row),
        mentions=tuple(mentions), corroboration=Corroboration(row.corroboration), figures=_figures(row),
        contested_on=tuple(row.contested_on), sources=tuple(row.sources),
    )


