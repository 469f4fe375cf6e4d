"""The typed records that flow one way through the pipeline.

ingest -> RawDocument | Rejected
clean -> Article | Rejected
annotate -> spaCy Doc (only inside annotate/ and extract/)
extract -> Mention, QuoteRecord
consolidate -> Event
Field names follow ../shared/gold/FORMAT.md so that eval compares like with like.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class EventType(StrEnum):
    PAUSE = "pause"
    CORRIDOR = "corridor"
    EVACUATION = "evacuation"
    MEDICAL_EVACUATION = "medical_evacuation"
    AID = "aid"
    STRIKE = "strike"
    ATTACK = "attack"
    CASUALTIES = "casualties"
    OBSTRUCTION = "obstruction"
    RELEASE = "release"
    GUARANTEE = "guarantee"
    NEGOTIATION = "negotiation"
    RESTORATION = "restoration"


class Polarity(StrEnum):
    ASSERTED = "asserted"
    DENIED = "denied"


class Status(StrEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    HAPPENED = "happened"


class Qualifier(StrEnum):
    ABOUT = "about"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"


class Precision(StrEnum):
    """How exact a resolved place is; a governorate centroid is never shown as a spot."""

    POINT = "point"
    NEIGHBOURHOOD = "neighbourhood"
    TOWN = "town"
    ADMIN1 = "admin1"
    COUNTRY = "country"


class Corroboration(StrEnum):
    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single_source"
    CONTESTED = "contested"


class RejectReason(StrEnum):
    NOT_FOUND = "not_found"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    BINARY = "binary"
    ENCODING = "encoding"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"
    FETCH_FAILED = "fetch_failed"
    FORBIDDEN_URL = "forbidden_url"
    NO_TEXT = "no_text"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One document as read, before any cleaning. `doc_id` is the sha256 of its raw bytes."""

    doc_id: str
    source: str  # the path or URL it came from
    name: str  # file name (or row id) as the gold files name documents
    text: str  # decoded text; HTML stays HTML until clean
    media_type: str  # "text" or "html"
    encoding: str
    title: str | None = None
    outlet: str | None = None  # given by the container (CSV column, JSON field, feed)
    published: date | None = None
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # e.g. FA-KES unit_id and annotations


@dataclass(frozen=True, slots=True)
class Rejected:
    """A document that could not be read, kept with its reason so nothing is silently lost."""

    source: str
    reason: RejectReason
    detail: str
    doc_id: str | None = None


@dataclass(frozen=True, slots=True)
class Guess:
    """A value the text did not state outright, with how it was guessed and how sure we are."""

    method: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body text whose lines are verbatim lines of the raw text."""

    doc_id: str
    name: str
    source: str
    text: str
    title: str | None
    outlet: str | None
    outlet_guess: Guess
    published: date | None
    published_guess: Guess
    url: str | None = None
    removed: tuple[str, ...] = ()  # boilerplate lines dropped, for audit
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # as written in the text
    canonical: str  # gazetteer name
    admin1: str | None
    country: str | None
    lat: float | None
    lon: float | None
    precision: Precision


@dataclass(frozen=True, slots=True)
class CountPart:
    """A named share of a figure: "16 civilians, including three children" has the part (3, children)."""

    best: int
    counted: str | None


@dataclass(frozen=True, slots=True)
class Count:
    """A figure: best value with its low/high range, the noun it counts, and the shares it names."""

    best: int
    low: int
    high: int
    qualifier: Qualifier | None
    counted: str | None
    text: str  # the phrase as written
    parts: tuple[CountPart, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    doc_id: str
    speaker: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """One claim about one event, in one sentence of one article."""

    doc_id: str
    type: EventType
    claimed_by: str
    polarity: Polarity
    status: Status
    evidence: str
    span: tuple[int, int]  # char offsets of the evidence in Article.text
    outlet: str | None = None
    published: date | None = None
    date: date | None = None
    place: Place | None = None
    actor: str | None = None
    target: str | None = None
    count: Count | None = None
    phase: str | None = None  # pause/corridor/aid/release: announced, started, extended, ended ...
    trigger: str | None = None
    claim_kind: str = "outlet"  # speaker | source | outlet
    mention_id: str = field(init=False, repr=False, compare=False)  # from doc, span and type: stable

    def __post_init__(self) -> None:
        """The ID is computed once: publishing sorts and links every mention by it several times over."""
        key = f"{self.doc_id}:{self.span[0]}:{self.span[1]}:{self.type}"
        object.__setattr__(self, "mention_id", hashlib.sha1(key.encode()).hexdigest()[:16])


@dataclass(frozen=True, slots=True)
class FigureRange:
    """Low / best / high of the figures reported for one event, and who gave which."""

    low: int
    best: int
    high: int
    by_source: dict[str, int]
    counted: str | None


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    type: EventType
    date: date | None
    place: Place | None
    mentions: tuple[Mention, ...]
    corroboration: Corroboration
    figures: FigureRange | None
    contested_on: tuple[str, ...] = ()  # which fields the sources disagree on
    sources: tuple[str, ...] = ()  # independent sources (syndicated copies count once)


@dataclass(frozen=True, slots=True)
class OutletFrame:
    """How one outlet names the parties and whom it lets speak."""

    outlet: str
    terms: dict[str, int]  # party label -> count ("terrorists": 5)
    quoted: dict[str, int]  # speaker -> quotes
    documents: int
    event_types: dict[str, int]
    not_reported: tuple[str, ...] = ()  # event types other outlets report and this one does not
