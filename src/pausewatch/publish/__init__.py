"""publish: turn consolidated events into a briefing an analyst would rather read than the reports.

The pipeline builds a `Briefing`; `render_briefing` makes one self-contained HTML page and
`write_outputs` writes it beside JSON, CSV, HXL CSV and GeoJSON exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pausewatch.model import Event, Guess, OutletFrame, Rejected
from pausewatch.publish.briefing import render_briefing
from pausewatch.publish.exports import (
    claims_to_records,
    events_to_geojson,
    events_to_records,
    events_to_rows,
    write_outputs,
)

__all__ = [
    "ArticleInfo",
    "Briefing",
    "Review",
    "claims_to_records",
    "events_to_geojson",
    "events_to_records",
    "events_to_rows",
    "render_briefing",
    "write_outputs",
]


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the sources appendix tells about one document, including how outlet and date were guessed."""

    doc_id: str
    name: str
    outlet: str | None
    published: date | None
    title: str | None
    url: str | None
    outlet_guess: Guess
    published_guess: Guess
    syndicated_of: str | None = None  # doc_id of the article this one copies
    credibility: float | None = None  # cross-source agreement signal in [0, 1] (see credibility.py)
    credibility_note: str = ""  # how the score was reached, in one sentence


@dataclass(frozen=True, slots=True)
class Review:
    """An analyst's grade on one event, shown beside it so machine output and human judgement stay apart."""

    grade: str
    note: str
    analyst: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Briefing:
    """Everything one briefing shows; `reviews` is keyed by event_id."""

    title: str
    generated_at: datetime
    events: list[Event]
    frames: list[OutletFrame]
    articles: list[ArticleInfo]
    rejected: list[Rejected]
    reviews: dict[str, Review] = field(default_factory=dict)
