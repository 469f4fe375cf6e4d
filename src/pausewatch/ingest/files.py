"""Local paths: walk folders, stat before reading, and route each file to the reader of its format."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from pausewatch.ingest.decode import decode_or_reject, looks_html
from pausewatch.ingest.tabular import read_csv, read_json, read_jsonl
from pausewatch.model import RawDocument, Rejected, RejectReason, sha256_hex
from pausewatch.settings import Settings

logger = logging.getLogger(__name__)

Item = RawDocument | Rejected
TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP (or docx/xlsx/epub)"),
    (b"\x1f\x8b", "gzip"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "OLE (old MS Office)"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3", "SQLite database"),
)


def read_path(path: Path, settings: Settings) -> Iterator[Item]:
    """A file, or a folder walked recursively in name order, as documents and rejections."""
    if path.is_dir():
        for found in iter_files(path):
            if isinstance(found, Rejected):
                yield found
            else:
                yield from read_file(found, settings)
    else:
        yield from read_file(path, settings)


def iter_files(root: Path) -> Iterator[Path | Rejected]:
    """Files under root, sorted by name, skipping hidden entries and folders already visited."""
    yield from _walk(root, set())


def _walk(folder: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Rejected]:
    """Depth-first walk; a folder reached twice (symlink loop) is walked once."""
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        yield Rejected(str(folder), RejectReason.UNREADABLE, f"cannot list folder: {exc.strerror or exc}")
        return
    if (info.st_dev, info.st_ino) in seen:
        logger.info("skipping %s: folder already visited (symlink loop)", folder)
        return
    seen.add((info.st_dev, info.st_ino))
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if path.is_dir():
            yield from _walk(path, seen)
        else:
            yield path


def read_file(path: Path, settings: Settings) -> Iterator[Item]:
    """One file: stat, size check, read, then parse by format."""
    loaded = _load(path, settings)
    if isinstance(loaded, Rejected):
        yield loaded
        return
    yield from _parse(path, loaded, settings)


def _load(path: Path, settings: Settings) -> bytes | Rejected:
    """The file's bytes, or why they cannot be had; size is checked before reading."""
    source = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return Rejected(source, RejectReason.NOT_FOUND, "no such file or folder (or a broken symlink)")
    except OSError as exc:
        return Rejected(source, RejectReason.UNREADABLE, f"cannot stat: {exc.strerror or exc}")
    if not stat.S_ISREG(info.st_mode):
        return Rejected(source, RejectReason.UNSUPPORTED, "not a regular file (device, socket or pipe)")
    if info.st_size > settings.max_file_bytes:
        return _too_large(source, info.st_size, settings.max_file_bytes)
    return _read_bytes(path, settings.max_file_bytes)


def _read_bytes(path: Path, limit: int) -> bytes | Rejected:
    """Read at most limit + 1 bytes, so a file that grew since stat is still caught."""
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        return Rejected(str(path), RejectReason.UNREADABLE, f"cannot read: {exc.strerror or exc}")
    return _too_large(str(path), len(data), limit) if len(data) > limit else data


def _too_large(source: str, size: int, limit: int) -> Rejected:
    """The rejection for a file over max_file_bytes, with both sizes."""
    detail = f"{size:,} bytes is over max_file_bytes ({limit:,}); not read"
    return Rejected(source, RejectReason.TOO_LARGE, detail)


def _parse(path: Path, data: bytes, settings: Settings) -> Iterator[Item]:
    """Dispatch on the file extension; unknown extensions are sniffed."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        yield from read_json(str(path), data)
    elif suffix in (".jsonl", ".ndjson"):
        yield from read_jsonl(str(path), data)
    elif suffix in (".csv", ".tsv"):
        yield from read_csv(str(path), data, settings, delimiter="\t" if suffix == ".tsv" else ",")
    elif suffix in HTML_SUFFIXES:
        yield text_document(str(path), path.name, data, "html")
    elif suffix in TEXT_SUFFIXES:
        yield text_document(str(path), path.name, data, "text")
    else:
        yield _sniffed_document(path, data)


def _sniffed_document(path: Path, data: bytes) -> Item:
    """A file of unknown extension: known binary formats are unsupported, text is read as text or html."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            detail = f"{kind} files are not supported; convert to text, html, json or csv"
            return Rejected(str(path), RejectReason.UNSUPPORTED, detail, sha256_hex(data))
    return text_document(str(path), path.name, data, None)


def text_document(source: str, name: str, data: bytes, media_type: str | None) -> Item:
    """One whole-file document; media_type None means decide by sniffing for HTML markup."""
    decoded = decode_or_reject(data, source)
    if isinstance(decoded, Rejected):
        return decoded
    text, encoding = decoded
    kind = media_type or ("html" if looks_html(text) else "text")
    return RawDocument(sha256_hex(data), source, name, text, kind, encoding)
