"""Stage 1, ingest: paths, folders, URLs and feeds to RawDocument, or Rejected with the reason.

Nothing is lost silently: every source yields at least one item, and a source that cannot be
read yields a Rejected that says why. Items come lazily, in a deterministic order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from pausewatch.ingest.files import read_path
from pausewatch.ingest.web import fetch_url
from pausewatch.model import RawDocument, Rejected
from pausewatch.settings import Settings

__all__ = ["ingest"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SURROGATE = re.compile("[\ud800-\udfff]")


def ingest(sources: Iterable[str], settings: Settings) -> Iterator[RawDocument | Rejected]:
    """Each source in turn: a "scheme://" string is fetched (http/https only), anything else is a path."""
    for source in sources:
        items = fetch_url(source, settings) if _URL.match(source) else read_path(Path(source), settings)
        yield from map(_scrubbed, items)


def _scrubbed(item: RawDocument | Rejected) -> RawDocument | Rejected:
    """Lone surrogates (JSON "\\ud800" escapes, file names that are not UTF-8) become U+FFFD, one for one:
    offsets hold, and every string can be stored and written as UTF-8."""
    changes: dict[str, Any] = {f.name: _SURROGATE.sub("\ufffd", value) for f in fields(item)
                               if isinstance(value := getattr(item, f.name), str) and _SURROGATE.search(value)}
    meta = getattr(item, "meta", {})
    if any(_SURROGATE.search(key + value) for key, value in meta.items()):
        changes["meta"] = {_SURROGATE.sub("\ufffd", k): _SURROGATE.sub("\ufffd", v) for k, v in meta.items()}
    return replace(item, **changes) if changes else item
