"""What the web app reads from the store, with document-derived views cached until documents change."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pausewatch.consolidate.reviews import apply_reviews
from pausewatch.frame import frame_outlets
from pausewatch.model import Article, Event, OutletFrame
from pausewatch.publish import Review
from pausewatch.store import ArticleSummary, ReviewRecord, Store

T = TypeVar("T")
CACHE_TABLES = ("documents", "mentions", "quotes")


@dataclass(frozen=True, slots=True)
class Derived:
    """Views computed from every article's text: costly, and unchanged until a document arrives."""

    frames: list[OutletFrame]


def latest_grades(reviews: list[ReviewRecord]) -> dict[str, Review]:
    """The most recent grade per event, as the briefing shows it (runner.latest_grades, without a Store)."""
    grades: dict[str, Review] = {}
    for record in reviews:
        if record.grade is not None:
            grades[record.event_id] = Review(str(record.grade), record.note or "", record.analyst,
                                             record.created_at)
    return grades


class Data:
    """The store as the API sees it; one lock orders the writers (reviews and ingestion jobs)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.write_lock = threading.RLock()
        self._cache_lock = threading.Lock()
        self._cache: tuple[tuple[int, ...], Derived] | None = None

    def events(self) -> list[Event]:
        return self.store.load_events()

    def event(self, event_id: str) -> Event | None:
        return next((e for e in self.events() if e.event_id == event_id), None)

    def reviews(self, event_id: str | None = None) -> list[ReviewRecord]:
        return self.store.load_reviews(event_id)

    def grades(self) -> dict[str, Review]:
        return latest_grades(self.reviews())

    def articles(self) -> list[ArticleSummary]:
        return self.store.load_articles()

    def article(self, doc_id: str) -> Article | None:
        return self.store.load_article(doc_id)

    def original_of(self) -> dict[str, str]:
        """Copy -> original, as the last run's refresh_events stored it."""
        return {a.doc_id: a.syndicated_of for a in self.articles() if a.syndicated_of}

    def derived(self) -> Derived:
        """Framing, recomputed only when documents, mentions or quotes changed."""
        counts = self.store.counts()
        key = tuple(counts.get(t, 0) for t in CACHE_TABLES)
        with self._cache_lock:
            if self._cache is None or self._cache[0] != key:
                self._cache = (key, self._derive())
            return self._cache[1]

    def _derive(self) -> Derived:
        documents = list(self.store.party_terms())
        return Derived(frame_outlets(documents, self.store.load_mentions(), self.store.load_quotes()))

    def replay_reviews(self) -> list[Event]:
        """Apply every merge and split to the stored events now, without re-running the pipeline."""
        with self.write_lock:
            events = apply_reviews(self.events(), self.reviews(), self.original_of())
            self.store.replace_events(events)
            return events

    def locked(self, work: Callable[[], T]) -> T:
        with self.write_lock:
            return work()

