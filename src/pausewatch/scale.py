"""Spread the NLP half of a run over local processes or a dask cluster, with the results of a local run.

A batch is cleaned where it is read (cleaning is cheap and looks at the whole batch: see
pipeline.clean_batch). Its articles are then cut into chunks that workers parse and extract on their
own, since one article's result never depends on another's, and the results come back in order.
Each worker process builds its Pipeline once and keeps it (a module-level cache), so the model and the
gazetteer load once per worker, not once per batch.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any

from .errors import ConfigError
from .model import Article, RawDocument, Rejected
from .pipeline import DocResult, Pipeline
from .settings import Settings

log = logging.getLogger(__name__)

Collect = Callable[[], list[DocResult | Rejected]]
# A Processor starts a batch and returns how to collect its results: the runner collects a batch only after
# starting the next, so that workers parse one batch while the main process reads and stores the others.
Processor = Callable[[list[RawDocument], int | None], Collect]
Chunks = list[list[Article]]
Mapper = Callable[[Chunks], Callable[[], list[list[DocResult]]]]  # starts the chunks, returns how to collect
CHUNKS_PER_WORKER = 4  # several chunks per worker, so one long article does not leave the others idle
_PIPELINES: dict[str, Pipeline] = {}
_LOCK = threading.Lock()  # a dask worker may run tasks in threads; a spaCy pipeline is used by one at a time


def worker_pipeline(settings: Settings) -> Pipeline:
    """This process's Pipeline for these settings, built on first use and kept."""
    key = settings.model_dump_json()
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(settings)
    return _PIPELINES[key]


def warm(settings: Settings) -> None:
    """Load the model and the gazetteer now (a pool worker starts with this, while the first batch is read).

    They live as long as the worker, so they are then frozen out of the garbage collector's scans, which
    otherwise walk the whole model again at every full collection while parsing.
    """
    pipeline = worker_pipeline(settings)
    _ = pipeline.nlp, pipeline.gazetteer
    gc.freeze()


def annotate_chunk(settings: Settings, articles: list[Article]) -> list[DocResult]:
    """The task a worker runs: parse and extract a chunk of cleaned articles."""
    with _LOCK:
        return list(worker_pipeline(settings).annotate(articles))


def split(articles: list[Article], parts: int) -> Chunks:
    """Contiguous chunks of about equal text length (parse time follows length), in order."""
    total = sum(len(a.text) + 1 for a in articles)
    chunks: Chunks = [[]]
    done = 0
    for article in articles:
        if chunks[-1] and done * parts >= total * len(chunks):
            chunks.append([])
        chunks[-1].append(article)
        done += len(article.text) + 1
    return [chunk for chunk in chunks if chunk]


class ParallelProcessor:
    """A Processor that cleans here and annotates chunks of the batch wherever `mapper` sends them."""

    def __init__(self, pipeline: Pipeline, mapper: Mapper, workers: Callable[[], int]) -> None:
        self.pipeline = pipeline
        self.mapper = mapper
        self.workers = workers

    def __call__(self, raws: list[RawDocument], hint: int | None = None) -> Collect:
        cleaned = self.pipeline.clean(raws, hint)
        articles = [a for a in cleaned if isinstance(a, Article)]
        chunks = split(articles, self.workers() * CHUNKS_PER_WORKER)
        collect_chunks = self.mapper(chunks) if chunks else list
        rejected: list[DocResult | Rejected] = [r for r in cleaned if isinstance(r, Rejected)]
        return lambda: rejected + [result for chunk in collect_chunks() for result in chunk]


class LocalPool:
    """Worker processes started on first use (a re-run with nothing new starts none).

    A ProcessPoolExecutor, not a multiprocessing.Pool: if a worker dies (killed, out of memory) the run
    fails with BrokenProcessPool instead of waiting forever for the chunk the worker held.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, chunks: Chunks) -> Callable[[], list[list[DocResult]]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.settings.processes, mp_context=_context(), initializer=warm,
                                             initargs=(self.settings,))
        futures = [self._pool.submit(annotate_chunk, self.settings, chunk) for chunk in chunks]
        return lambda: [future.result() for future in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _context() -> Any:
    """forkserver where there is one: no fork of a threaded parent, and workers start fast."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["pausewatch.scale"])
    return context


def in_process(pipeline: Pipeline) -> Processor:
    """The plain Processor: clean, annotate and extract here, at once."""

    def process(raws: list[RawDocument], hint: int | None = None) -> Collect:
        results = list(pipeline.process(raws, hint))
        return lambda: results

    return process


@contextmanager
def local_processor(settings: Settings, pipeline: Pipeline) -> Iterator[Processor]:
    """In this process, or over `settings.processes` worker processes."""
    if settings.processes <= 1:
        yield in_process(pipeline)
        return
    pool = LocalPool(settings)
    try:
        yield ParallelProcessor(pipeline, pool.submit, lambda: settings.processes)
    finally:
        pool.close()


@contextmanager
def dask_processor(address: str, settings: Settings, pipeline: Pipeline | None = None) -> Iterator[Processor]:
    """Annotate on the workers of the dask.distributed scheduler at `address` (tcp://host:8786)."""
    client = _connect(address)
    try:
        mapper = partial(_dask_map, client, settings)
        yield ParallelProcessor(pipeline or Pipeline(settings), mapper, partial(_dask_slots, client))
    finally:
        client.close()


def _connect(address: str) -> Any:
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise ConfigError("dask is not installed: pip install 'pausewatch[scale]'") from exc
    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"cannot reach the dask scheduler at {address}: {exc}; is it running?") from exc


def _dask_slots(client: Any) -> int:
    return max(1, sum(client.nthreads().values()))


def _dask_map(client: Any, settings: Settings, chunks: Chunks) -> Callable[[], list[list[DocResult]]]:
    futures = client.map(annotate_chunk, [settings] * len(chunks), chunks, pure=False)
    return lambda: list(client.gather(futures))
