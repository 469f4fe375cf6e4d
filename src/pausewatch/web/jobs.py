"""Background ingestion: uploads and URLs run one job at a time in a worker thread, with progress.

The NLP pipeline is imported and built on the first job only, so the server starts fast and serves
read-only requests even where the spaCy model is missing.
"""

from __future__ import annotations

import logging
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pausewatch.errors import PausewatchError
from pausewatch.model import Corroboration
from pausewatch.settings import Settings
from pausewatch.web.state import Data

if TYPE_CHECKING:
    from pausewatch.pipeline import Pipeline

log = logging.getLogger(__name__)

Record = dict[str, Any]
Progress = Callable[[str, int], None]  # runner.Progress: (what happened, how many)
Work = Callable[[list[str], Progress], Record]
KEEP_JOBS = 200


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Job:
    """One ingestion request as the dashboard follows it."""

    id: str
    sources: list[str]  # as the user named them: file names and URLs
    state: str = "queued"  # queued, running, done, failed
    stage: str = "waiting for the worker"
    documents: int = 0
    created_at: datetime = field(default_factory=_now)
    finished_at: datetime | None = None
    error: str | None = None
    result: Record | None = None

    def record(self) -> Record:
        return {"ok": True, "id": self.id, "state": self.state, "stage": self.stage, "sources": self.sources,
                "documents": self.documents, "created_at": self.created_at.isoformat(),
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "error": self.error, "result": self.result}


class JobManager:
    """Queues jobs on a single worker thread (one writer at a time) and keeps the latest KEEP_JOBS."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pausewatch-ingest")

    def submit(self, sources: list[str], names: dict[str, str], cleanup: Path | None = None) -> Job:
        """Queue sources (paths or URLs); names maps a temp path back to the uploaded file's name."""
        job = Job(uuid.uuid4().hex, [names.get(s, s) for s in sources])
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP_JOBS:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, sources, names, cleanup)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def jobs(self) -> list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, sources: list[str], names: dict[str, str], cleanup: Path | None) -> None:
        job.state, job.stage = "running", "reading and extracting"
        try:
            job.result = _renamed(self.work(sources, lambda what, n: _advance(job, what, n)), names)
            job.state, job.stage = "done", "done"
        except PausewatchError as exc:
            job.state, job.stage, job.error = "failed", "failed", str(exc)
        except Exception as exc:  # a worker thread must report, never die silently
            log.exception("ingestion job %s failed", job.id)
            job.state, job.stage = "failed", "failed"
            job.error = f"internal error ({type(exc).__name__}): {exc}"
        finally:
            job.finished_at = _now()
            if cleanup is not None:
                shutil.rmtree(cleanup, ignore_errors=True)


def _advance(job: Job, what: str, n: int) -> None:
    """runner reports ("documents", n) per batch; any other word names the stage now running."""
    if what == "documents":
        job.documents += n
    else:
        job.stage = what


def _renamed(result: Record, names: dict[str, str]) -> Record:
    """Rejections name the temp file; show the name the user uploaded instead."""
    for item in result.get("rejected", []):
        item["source"] = names.get(item["source"], item["source"])
    return result


class Ingestor:
    """The real work of a job: runner.ingest_into_store, then refresh_events (which replays reviews)."""

    def __init__(self, settings: Settings, data: Data) -> None:
        self.settings = settings
        self.data = data
        self._pipeline: Pipeline | None = None
        self._lock = threading.Lock()

    def pipeline(self) -> Pipeline:
        """Built once per app, on first use: loading spaCy takes seconds."""
        with self._lock:
            if self._pipeline is None:
                from pausewatch.pipeline import Pipeline

                self._pipeline = Pipeline(self.settings)
            return self._pipeline

    def __call__(self, sources: list[str], progress: Progress) -> Record:
        from pausewatch import runner

        store = self.data.store
        run_id = store.start_run()
        summary = runner.ingest_into_store(sources, self.settings, store, self.pipeline(), progress)
        progress("consolidating events", 0)
        events, _ = self.data.locked(lambda: runner.refresh_events(store))
        contested = sum(e.corroboration == Corroboration.CONTESTED for e in events)
        store.finish_run(run_id, documents_read=summary.documents_read, documents_new=summary.documents_new,
                         rejected=len(summary.rejected), events=len(events), contradictions=contested)
        return {"documents_read": summary.documents_read, "documents_new": summary.documents_new,
                "documents_known": summary.documents_known, "events": len(events),
                "contradictions": contested,
                "rejected": [{"source": r.source, "reason": str(r.reason), "detail": r.detail}
                             for r in summary.rejected]}
