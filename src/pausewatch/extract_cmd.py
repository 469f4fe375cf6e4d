"""`pausewatch extract`: documents in, one gold-format record per document out, no store involved."""

from __future__ import annotations

from typing import Any

from .ingest import ingest
from .model import RawDocument, Rejected
from .pipeline import DocResult, Pipeline
from .records import document_record
from .settings import Settings


def extract_results(sources: list[str], settings: Settings) -> tuple[list[DocResult], list[Rejected]]:
    items = list(ingest(sources, settings))
    raws = [i for i in items if isinstance(i, RawDocument)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    results: list[DocResult] = []
    for out in Pipeline(settings).process(raws):
        if isinstance(out, Rejected):
            rejected.append(out)
        else:
            results.append(out)
    return results, rejected


def extract_records(sources: list[str], settings: Settings) -> tuple[list[dict[str, Any]], list[Rejected]]:
    results, rejected = extract_results(sources, settings)
    return [document_record(r.article, r.mentions, r.quotes) for r in results], rejected
