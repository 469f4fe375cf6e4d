"""A whole run: ingest in batches, skip what the store already holds, extract, store, consolidate, publish.

Each batch is written in one transaction, so a run killed part-way loses at most the batches in flight
(IN_FLIGHT) and a re-run picks up where it stopped (documents are keyed by the hash of their bytes). Workers
parse the next batch while the main process writes the last one, and while they parse the last batch the
main process reads the stored mentions consolidation needs.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

from . import __version__
from .clean import clean_article
from .consolidate import consolidate
from .consolidate.syndication import find_syndicated_signatures, signature
from .credibility import score_documents
from .frame import frame_outlets
from .ingest import ingest
from .model import Article, Corroboration, Event, Mention, QuoteRecord, RawDocument, Rejected
from .pipeline import DocResult, Pipeline, states_its_year
from .publish import ArticleInfo, Briefing, Review, write_outputs
from .scale import Collect, Processor, local_processor
from .settings import Settings
from .store import Store

Progress = Callable[[str, int], None]  # (what happened, how many)
T = TypeVar("T")
IN_FLIGHT = 2  # batches started and not yet stored: enough to keep workers busy, and what a crash loses
MANIFEST = ".pausewatch-published.json"  # in the output folder: what the files there were made from
CONTENT_TABLES = ("documents", "mentions", "quotes", "rejections", "reviews")  # append-only: counts show change


@dataclass
class RunSummary:
    documents_read: int = 0
    documents_new: int = 0
    documents_known: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    events: int = 0
    contradictions: int = 0
    outputs: dict[str, Path] = field(default_factory=dict)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
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
    sources: list[str],
    settings: Settings,
    store: Store,
    pipeline: Pipeline,
    progress: Progress | None = None,
    processor: Processor | None = None,
    meanwhile: Callable[[list[str]], None] | None = None,
) -> RunSummary:
    """Read every source into the store, batch by batch; nothing already stored is parsed again.

    Reports that never state their year wait for the end of the run and get the year most of the run's
    reports state, so that their dates depend neither on file order nor on where a killed run stopped.
    `processor` turns a batch into results (default: this process, or settings.processes workers; see
    scale.py for a dask cluster); every processor gives the same results. `meanwhile` is called once all
    batches are started, with the doc_ids of those not yet stored (if any), while they are being parsed.
    """
    with nullcontext(processor) if processor else local_processor(settings, pipeline) as process:
        return _Ingest(settings, store, process, progress, meanwhile).run(sources)


class _Ingest:
    """One pass over the sources. Batches are started as they are read and stored IN_FLIGHT batches later,
    so workers parse while the main process reads and writes."""

    def __init__(self, settings: Settings, store: Store, process: Processor, progress: Progress | None,
                 meanwhile: Callable[[list[str]], None] | None) -> None:
        self.settings, self.store, self.process, self.progress = settings, store, process, progress
        self.meanwhile = meanwhile
        self.summary = RunSummary()
        self.years: Counter[int] = Counter()
        self.waiting: dict[str, RawDocument] = {}  # new reports that need the run's year
        self.in_flight: deque[_Started] = deque()  # started, not yet stored, oldest first

    def run(self, sources: list[str]) -> RunSummary:
        for batch in batched(ingest(sources, self.settings), self.settings.batch_size):
            self._read(batch)
        hint = max(self.years, key=lambda year: (self.years[year], year)) if self.years else None
        for group in batched([self.waiting[d] for d in sorted(self.waiting)], self.settings.batch_size):
            self._start(group, [], hint)
        pending = [doc_id for started in self.in_flight for doc_id in started.doc_ids]
        if self.meanwhile is not None and pending:
            self.meanwhile(pending)
        while self.in_flight:
            self._save_oldest()
        return self.summary

    def _read(self, batch: list[RawDocument | Rejected]) -> None:
        raws = [r for r in batch if isinstance(r, RawDocument)]
        known = self.store.known_doc_ids(r.doc_id for r in raws) | self.waiting.keys()
        fresh = list({r.doc_id: r for r in raws if r.doc_id not in known}.values())
        undated = _count_years(raws, self.settings.max_text_chars, self.years)
        self.waiting.update((r.doc_id, r) for r in fresh if r.doc_id in undated)
        self._start([r for r in fresh if r.doc_id not in undated], [r for r in batch if isinstance(r, Rejected)],
                    None)
        self.summary.documents_read += len(raws)
        self.summary.documents_known += len(raws) - len(fresh)
        if self.progress:
            self.progress("documents", len(batch))

    def _start(self, raws: list[RawDocument], read_rejects: list[Rejected], hint: int | None) -> None:
        """Start processing a batch; its read rejections are stored with it (with the newest batch in flight
        if there is nothing to process)."""
        if not raws and self.in_flight:
            self.in_flight[-1].read_rejects.extend(read_rejects)
            return
        self.in_flight.append(_Started(self.process(raws, hint) if raws else list, read_rejects,
                                       [r.doc_id for r in raws]))
        while len(self.in_flight) > IN_FLIGHT:
            self._save_oldest()

    def _save_oldest(self) -> None:
        """The oldest batch in flight, with its read rejections, written in one transaction."""
        started = self.in_flight.popleft()
        articles, mentions, quotes, clean_rejects = _split(started.collect())
        rejected = started.read_rejects + clean_rejects
        self.summary.documents_new += self.store.save_batch(articles, mentions, quotes, rejected)
        self.summary.rejected += rejected


@dataclass
class _Started:
    """A batch handed to the processor: how to collect its results, and what to store with them."""

    collect: Collect
    read_rejects: list[Rejected]
    doc_ids: list[str]


def _count_years(raws: list[RawDocument], max_chars: int, years: Counter[int]) -> set[str]:
    """Count the years reports state; return the ids of those whose date would need another's year."""
    undated: set[str] = set()
    for raw in raws:
        article = clean_article(raw, max_chars=max_chars)
        if isinstance(article, Article) and article.published and states_its_year(article):
            years[article.published.year] += 1
        elif isinstance(article, Article) and article.published_guess.confidence < 1.0:
            undated.add(raw.doc_id)
    return undated


def refresh_events(store: Store, mentions: list[Mention] | None = None) -> tuple[list[Event], dict[str, str]]:
    """Re-consolidate every stored mention (`mentions`, if the caller already read them all), keeping event
    IDs, then replay analysts' merges and splits."""
    from .consolidate.reviews import apply_reviews

    original_of = find_syndicated_signatures(_signatures(store))
    store.save_batch([], [], [], [], syndicated=original_of)
    events = consolidate(store.load_mentions() if mentions is None else mentions, original_of,
                         store.previous_assignment())
    events = apply_reviews(events, store.load_reviews(), original_of)
    store.replace_events(events)
    return events, original_of


class _StoredMentions:
    """The store's mentions, read while the workers parse the run's last batches, then those batches' own."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.read: list[Mention] | None = None
        self.pending: list[str] = []

    def __call__(self, pending_doc_ids: list[str]) -> None:
        self.read, self.pending = self.store.load_mentions(), pending_doc_ids

    def all(self) -> list[Mention] | None:
        """Every stored mention now; None if nothing was read ahead, or if another writer stored some too."""
        if self.read is None:
            return None
        mentions = {m.mention_id: m for m in self.read + self.store.load_mentions(self.pending)}
        return list(mentions.values()) if len(mentions) == self.store.counts()["mentions"] else None


def _signatures(store: Store) -> Iterator[tuple[str, str]]:
    """Every document's MinHash in publication order, undated last; one text at a time if none was stored."""
    for doc_id, minhash in store.signatures():
        yield doc_id, minhash or signature(_text_of(store, doc_id))


def _text_of(store: Store, doc_id: str) -> str:
    article = store.load_article(doc_id)
    return article.text if article else ""


def build_briefing(store: Store, events: list[Event], original_of: dict[str, str], title: str) -> Briefing:
    summaries = store.load_articles()
    credibility = score_documents(events, {a.doc_id: a.outlet for a in summaries})
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
            credibility[a.doc_id].score,
            credibility[a.doc_id].explanation,
        )
        for a in summaries
    ]
    mentions = (m for event in events for m in event.mentions)  # every stored mention is in one event
    frames = frame_outlets(store.party_terms(), mentions, store.load_quotes())
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
    processor: Processor | None = None,
) -> RunSummary:
    """The main job: sources in, store updated, briefing and exports written (unless they are current)."""
    gc.freeze()  # what is loaded now lives as long as the run: the collector need not scan it again and again
    with Store.open(settings.db_url) as store:
        run_id = store.start_run()
        stored = _StoredMentions(store)
        summary = ingest_into_store(sources, settings, store, Pipeline(settings), progress, processor, stored)
        key = publication_key(store, settings, title)
        if not _reuse_outputs(out_dir, key, summary):
            _publish(store, title, out_dir, summary, stored.all())
            _write_manifest(out_dir, key, summary)
        store.finish_run(
            run_id,
            documents_read=summary.documents_read,
            documents_new=summary.documents_new,
            rejected=len(summary.rejected),
            events=summary.events,
            contradictions=summary.contradictions,
        )
    return summary


def _publish(store: Store, title: str, out_dir: Path, summary: RunSummary, mentions: list[Mention] | None) -> None:
    events, original_of = refresh_events(store, mentions)
    summary.events = len(events)
    summary.contradictions = sum(e.corroboration == Corroboration.CONTESTED for e in events)
    summary.outputs = write_outputs(build_briefing(store, events, original_of, title), out_dir)


def publication_key(store: Store, settings: Settings, title: str) -> str:
    """A digest of everything the briefing and exports are made from: equal keys, equal files.

    The content tables only ever grow (reviews are appended, never edited), so their row counts change
    whenever their content does; rejections are hashed too, since a rejection seen again may get a new detail.
    """
    counts = store.counts()
    parts = [__version__, title, settings.model_dump_json(), *(str(counts[t]) for t in CONTENT_TABLES),
             repr([(r.source, str(r.reason), r.detail) for r in store.load_rejections()])]
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _reuse_outputs(out_dir: Path, key: str, summary: RunSummary) -> bool:
    """A re-run that changed nothing keeps the files of the run that made them (and their time stamp).

    They are written again if anything they are made from changed, or one of them is missing or resized.
    """
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        outputs = {name: out_dir / name for name in manifest["files"]}
        if manifest["key"] != key or any(_size(path) != size for path, size in
                                         zip(outputs.values(), manifest["files"].values(), strict=True)):
            return False
        summary.events, summary.contradictions = int(manifest["events"]), int(manifest["contradictions"])
    except (OSError, ValueError, KeyError, TypeError):
        return False
    summary.outputs = outputs
    return True


def _size(path: Path) -> int | None:
    """A file's size, None when it is gone: an output deleted or edited since is written again."""
    return path.stat().st_size if path.is_file() else None


def _write_manifest(out_dir: Path, key: str, summary: RunSummary) -> None:
    files = {name: _size(path) for name, path in summary.outputs.items()}
    record = {"key": key, "files": files, "events": summary.events,
              "contradictions": summary.contradictions}
    tmp = out_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
    tmp.replace(out_dir / MANIFEST)
