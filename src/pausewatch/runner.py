"""A whole run: ingest in batches, skip what the store already holds, extract, store, consolidate, publish.

Each batch is written in one transaction, so a run killed part-way loses at most the batch in flight
and a re-run picks up where it stopped (documents are keyed by the hash of their bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from .consolidate import consolidate, find_syndicated
from .frame import frame_outlets
from .ingest import ingest
from .model import Article, Corroboration, Event, Mention, QuoteRecord, RawDocument, Rejected
from .pipeline import DocResult, Pipeline
from .publish import ArticleInfo, Briefing, Review, write_outputs
from .settings import Settings
from .store import Store

Progress = Callable[[str, int], None]  # (what happened, how many)


@dataclass
class RunSummary:
    documents_read: int = 0
    documents_new: int = 0
    documents_known: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    events: int = 0
    contradictions: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)


def batched(items: Iterable[RawDocument | Rejected], size: int) -> Iterator[list[RawDocument | Rejected]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _split(
    results: Iterable[DocResult | Rejected],
) -> tuple[list[Article], list[Mention], list[QuoteRecord], list[Rejected]]:
    articles, mentions, quotes, rejected = [], [], [], []
    for result in results:
        if isinstance(result, Rejected):
            rejected.append(result)
        else:
            articles.append(result.article)
            mentions.extend(result.mentions)
            quotes.extend(result.quotes)
    return articles, mentions, quotes, rejected


def ingest_into_store(
    sources: list[str], settings: Settings, store: Store, pipeline: Pipeline, progress: Progress | None = None
) -> RunSummary:
    """Read every source into the store, batch by batch; nothing already stored is parsed again."""
    summary = RunSummary()
    for batch in batched(ingest(sources, settings), settings.batch_size):
        raws = [r for r in batch if isinstance(r, RawDocument)]
        read_rejects = [r for r in batch if isinstance(r, Rejected)]
        known = store.known_doc_ids(r.doc_id for r in raws)
        fresh = list({r.doc_id: r for r in raws if r.doc_id not in known}.values())
        articles, mentions, quotes, clean_rejects = _split(pipeline.process(fresh))
        store.save_batch(articles, mentions, quotes, read_rejects + clean_rejects)
        summary.documents_read += len(raws)
        summary.documents_known += len(raws) - len(fresh)
        summary.documents_new += len(articles)
        summary.rejected += read_rejects + clean_rejects
        if progress:
            progress("documents", len(batch))
    return summary


def refresh_events(store: Store) -> tuple[list[Event], dict[str, str]]:
    """Re-consolidate every stored mention, keeping event IDs, then replay analysts' merges and splits."""
    from .consolidate.reviews import apply_reviews

    articles = store.load_articles()
    texts = ((a.doc_id, _text_of(store, a.doc_id)) for a in sorted(articles, key=_article_order))
    original_of = find_syndicated(texts)
    store.save_batch([], [], [], [], syndicated=original_of)
    events = consolidate(store.load_mentions(), original_of, store.previous_assignment())
    events = apply_reviews(events, store.load_reviews(), original_of)
    store.replace_events(events)
    return events, original_of


def _article_order(a: object) -> tuple[str, str]:
    published = getattr(a, "published", None)
    return (published.isoformat() if published else "9999", getattr(a, "doc_id", ""))


def _text_of(store: Store, doc_id: str) -> str:
    article = store.load_article(doc_id)
    return article.text if article else ""


def build_briefing(store: Store, events: list[Event], original_of: dict[str, str], title: str) -> Briefing:
    summaries = store.load_articles()
    infos = [
        ArticleInfo(
            a.doc_id,
            a.name,
            a.outlet,
            a.published,
            a.title,
            a.url,
            a.outlet_guess,
            a.published_guess,
            original_of.get(a.doc_id),
        )
        for a in summaries
    ]
    articles = [a for a in (store.load_article(s.doc_id) for s in summaries) if a is not None]
    frames = frame_outlets(articles, store.load_mentions(), store.load_quotes())
    return Briefing(title, datetime.now(UTC), events, frames, infos, store.load_rejections(), latest_grades(store))


def latest_grades(store: Store) -> dict[str, Review]:
    """The most recent grade per event, with its note: what the briefing shows beside the machine's mark."""
    grades: dict[str, Review] = {}
    for record in store.load_reviews():
        if record.grade is not None:
            grades[record.event_id] = Review(str(record.grade), record.note or "", record.analyst, record.created_at)
    return grades


def run(
    sources: list[str],
    settings: Settings,
    out_dir: Path,
    title: str = "pausewatch briefing",
    progress: Progress | None = None,
) -> RunSummary:
    """The main job: sources in, store updated, briefing and exports written."""
    with Store.open(settings.db_url) as store:
        run_id = store.start_run()
        summary = ingest_into_store(sources, settings, store, Pipeline(settings), progress)
        events, original_of = refresh_events(store)
        summary.events = len(events)
        summary.contradictions = sum(e.corroboration == Corroboration.CONTESTED for e in events)
        summary.outputs = write_outputs(build_briefing(store, events, original_of, title), out_dir)
        store.finish_run(
            run_id,
            documents_read=summary.documents_read,
            documents_new=summary.documents_new,
            rejected=len(summary.rejected),
            events=summary.events,
            contradictions=summary.contradictions,
        )
    return summary
