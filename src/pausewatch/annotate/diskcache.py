"""A disk cache for data that is slow to derive and changes only with its inputs (the gazetteer: ~2 s).

Every process that parses, the main one and each worker, would otherwise build it again. An entry's key
hashes the package version and every input's bytes (data files and the source of the modules that build
it), so an edit to any of them builds afresh. A cache that cannot be read or written is rebuilt in memory,
never an error. Entries are pickles in the user's own cache folder, which only that user can write.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from pausewatch import __version__

log = logging.getLogger(__name__)
T = TypeVar("T")
ENV_DIR = "PAUSEWATCH_CACHE_DIR"


def cache_dir() -> Path:
    """$PAUSEWATCH_CACHE_DIR, else $XDG_CACHE_HOME/pausewatch, else ~/.cache/pausewatch."""
    if chosen := os.environ.get(ENV_DIR):
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pausewatch"


def entry_key(name: str, inputs: Iterable[bytes]) -> str:
    digest = hashlib.sha256(f"{name}\0{__version__}".encode())
    for chunk in inputs:
        digest.update(hashlib.sha256(chunk).digest())
    return f"{name}-{digest.hexdigest()[:32]}.pickle"


def cached(name: str, inputs: Iterable[bytes], build: Callable[[], T], kind: type[T]) -> T:
    """The value `build` makes from `inputs`, from disk when an earlier process already built it."""
    path = cache_dir() / entry_key(name, inputs)
    try:
        value = pickle.loads(path.read_bytes())
        if isinstance(value, kind):
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass  # absent, unreadable or from another layout of the code: build it
    value = build()
    _save(path, value)
    return value


def _save(path: Path, value: object) -> None:
    """Written beside the target and renamed, so a concurrent reader never sees half an entry."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(out.name, path)
    except OSError as exc:
        log.debug("cache %s not written: %s", path, exc)
