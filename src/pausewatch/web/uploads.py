"""Uploaded files to a private temp folder, and typed URLs to a checked list, ready for a job."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

MAX_FILES = 50
MAX_URLS = 50
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ValueError):
    """The request names nothing usable; the message tells the user what to send."""


def safe_name(filename: str | None) -> str:
    """The uploaded name reduced to a harmless base name (no folders, no dot files)."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE.sub("_", base).strip("._")[:100] or "upload.txt"


def parse_urls(text: str) -> list[str]:
    """One URL per line (or separated by spaces); only http and https are fetched."""
    urls = [u for u in text.split() if u]
    if len(urls) > MAX_URLS:
        raise UploadError(f"at most {MAX_URLS} URLs per upload")
    bad = [u for u in urls if not re.match(r"^https?://[^/\s]+", u, re.IGNORECASE)]
    if bad:
        raise UploadError(f"not an http(s) URL: {bad[0][:200]}")
    return urls


def save_files(files: list[tuple[str | None, BinaryIO]]) -> tuple[Path | None, dict[str, str]]:
    """Write each upload into a new temp folder; returns the folder and temp path -> uploaded name."""
    if len(files) > MAX_FILES:
        raise UploadError(f"at most {MAX_FILES} files per upload")
    if not files:
        return None, {}
    folder = Path(tempfile.mkdtemp(prefix="pausewatch-upload-"))
    names: dict[str, str] = {}
    for index, (filename, stream) in enumerate(files):
        path = folder / str(index) / safe_name(filename)  # a folder each keeps two 'report.txt' apart
        path.parent.mkdir()
        with path.open("wb") as out:
            shutil.copyfileobj(stream, out)
        names[str(path)] = (filename or path.name)[:200]
    return folder, names
