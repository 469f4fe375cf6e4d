"""Stage 1, ingest: paths, folders, URLs and feeds to RawDocument, or Rejected with the reason.

Nothing is lost silently: every source yields at least one item, and a source that cannot be
read yields a Rejected that says why. Items come lazily, in a deterministic order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from pausewatch.ingest.files import read_path
from pausewatch.ingest.web import fetch_url
from pausewatch.model import RawDocument, Rejected
from pausewatch.settings import Settings

__all__ = ["ingest"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def ingest(sources: Iterable[str], settings: Settings) -> Iterator[RawDocument | Rejected]:
    """Each source in turn: a "scheme://" string is fetched (http/https only), anything else is a path."""
    for source in sources:
        if _URL.match(source):
            yield from fetch_url(source, settings)
        else:
            yield from read_path(Path(source), settings)
