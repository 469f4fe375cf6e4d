"""Documents packed in JSON, JSON Lines and CSV files (including the FA-KES layout), one per record.

A bad record becomes its own Rejected (named "<file>#<row or line>") and the other records go on.
A record's doc_id is the sha256 of its canonical JSON, so the same content always gets the same id.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path

import dateparser

from pausewatch.ingest.decode import decode_or_reject, looks_html
from pausewatch.model import RawDocument, Rejected, RejectReason, sha256_hex
from pausewatch.settings import Settings

Item = RawDocument | Rejected
# Keys are compared lower-cased with everything but letters and digits removed.
TEXT_KEYS = ("text", "content", "articlecontent", "body", "articletext", "articlebody", "fulltext",
             "maintext", "article")
TITLE_KEYS = ("title", "articletitle", "headline")
OUTLET_KEYS = ("outlet", "source", "site", "sitename", "publisher", "sourcename", "newspaper")
DATE_KEYS = ("published", "publishedat", "publicationdate", "datepublished", "datepublish", "pubdate",
             "publisheddate", "date")
URL_KEYS = ("url", "link", "href", "sourceurl", "articleurl")
ID_KEYS = ("unitid", "id", "docid", "articleid")
CONTAINER_KEYS = ("articles", "items", "documents", "docs", "data", "results", "entries")
FAKES_COLUMNS = frozenset({"unit_id", "article_title", "article_content", "source", "date", "label"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def read_json(source: str, data: bytes) -> Iterator[Item]:
    """A JSON object (one document) or a list of objects (one document each)."""
    decoded = decode_or_reject(data, source)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    value = _loads(decoded[0], source, "")
    if isinstance(value, Rejected):
        yield value
        return
    items = _records(value)
    if isinstance(value, dict) and items is None:
        yield record_document(value, source, Path(source).name, sha256_hex(data), decoded[1])
    elif items is None:
        yield Rejected(source, RejectReason.MALFORMED, f"top-level JSON is a {_kind(value)}, not an object "
                       "or a list of objects", sha256_hex(data))
    elif not items:
        yield Rejected(source, RejectReason.EMPTY, "the JSON list holds no records", sha256_hex(data))
    else:
        yield from _list_documents(items, source, decoded[1])


def read_jsonl(source: str, data: bytes) -> Iterator[Item]:
    """One JSON object per line; a bad line is rejected on its own with its line number."""
    decoded = decode_or_reject(data, source)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    for number, line in enumerate(decoded[0].split("\n"), 1):
        if line.strip():
            value = _loads(line, f"{source}#{number}", f"line {number}: ")
            yield value if isinstance(value, Rejected) else _item_document(value, source, number, decoded[1])


def read_csv(source: str, data: bytes, settings: Settings, delimiter: str = ",") -> Iterator[Item]:
    """CSV with a header: FA-KES rows, or any table with a text column; bad rows rejected one by one."""
    decoded = decode_or_reject(data, source)
    if isinstance(decoded, Rejected):
        yield decoded
        return
    _raise_field_limit(settings.max_file_bytes)
    reader = csv.reader(io.StringIO(decoded[0], newline=""), delimiter=delimiter, strict=True)
    header = _header(reader)
    problem = _header_problem(header)
    if problem:
        yield Rejected(source, RejectReason.NO_TEXT if header else RejectReason.MALFORMED, problem,
                       sha256_hex(data))
        return
    number = 0
    for number, line, row in _rows(reader):
        yield _row_document(header, row, number, line, source, decoded[1])
    if number == 0:
        yield Rejected(source, RejectReason.EMPTY, "a header row but no records", sha256_hex(data))


def record_document(record: Mapping[str, object], source: str, name: str, doc_id: str,
                    encoding: str) -> Item:
    """A document from one record, tolerating key variants; every field but the text goes to meta."""
    fields = {_norm(key): value for key, value in record.items()}
    text_key = next((key for key in TEXT_KEYS if key in fields), None)
    if text_key is None:
        detail = f"{name}: no text field (looked for {', '.join(TEXT_KEYS)})"
        return Rejected(source, RejectReason.NO_TEXT, detail, doc_id)
    value = fields[text_key]
    text = _as_text(value)
    if text is None and value is not None:
        detail = f"{name}: text field is a {_kind(value)}, not text"
        return Rejected(source, RejectReason.MALFORMED, detail, doc_id)
    if text is None or not text.strip():
        return Rejected(source, RejectReason.EMPTY, f"{name}: text field is empty", doc_id)
    meta = {key: _meta_value(value) for key, value in record.items() if _norm(key) != text_key}
    return RawDocument(
        doc_id, source, name, text, "html" if looks_html(text) else "text", encoding,
        title=_as_str(_pick(fields, TITLE_KEYS)), outlet=_outlet(_pick(fields, OUTLET_KEYS)),
        published=parse_published(_pick(fields, DATE_KEYS)), url=_as_str(_pick(fields, URL_KEYS)), meta=meta,
    )


def parse_published(value: object) -> date | None:
    """A metadata date string (ISO first, then dateparser) as a date; None when it is not one."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


def row_id(record: Mapping[str, object]) -> str:
    """sha256 of a record's canonical JSON: key order and file position do not matter."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return sha256_hex(canonical.encode("utf-8", errors="surrogatepass"))


def _loads(text: str, source: str, prefix: str) -> object:
    """json.loads, with a parse failure returned as a MALFORMED rejection."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"{prefix}invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    except (ValueError, RecursionError) as exc:
        detail = f"{prefix}invalid JSON: {exc}"
    return Rejected(source, RejectReason.MALFORMED, detail)


def _records(value: object) -> list[object] | None:
    """The list of records in a JSON value: the value itself, or a list under a container key."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and not any(_norm(key) in TEXT_KEYS for key in value):
        lists = (value[key] for key in value if _norm(key) in CONTAINER_KEYS and isinstance(value[key], list))
        return next(lists, None)
    return None


def _list_documents(items: list[object], source: str, encoding: str) -> Iterator[Item]:
    """One document per list item, numbered from 1."""
    for number, item in enumerate(items, 1):
        yield _item_document(item, source, number, encoding)


def _item_document(item: object, source: str, number: int, encoding: str) -> Item:
    """A numbered JSON item as a document named "<file>#<number>", or why it is not one."""
    if not isinstance(item, dict):
        detail = f"item {number} is a {_kind(item)}, not an object"
        return Rejected(f"{source}#{number}", RejectReason.MALFORMED, detail)
    return record_document(item, source, f"{Path(source).name}#{number}", row_id(item), encoding)


def _raise_field_limit(limit: int) -> None:
    """Let one CSV field be as large as a whole allowed file (the csv default is 128 KiB)."""
    wanted = min(limit, 2**31 - 1)
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def _header(reader: Iterator[list[str]]) -> list[str]:
    """The header row, stripped; empty when the file has none or it cannot be parsed."""
    try:
        return [name.strip() for name in next(reader, [])]
    except csv.Error:
        return []


def _header_problem(header: Sequence[str]) -> str | None:
    """Why a header cannot be used, or None when it has FA-KES or a text column."""
    if not header:
        return "no readable header row"
    names = {_norm(name) for name in header}
    if {name.lower() for name in header} >= FAKES_COLUMNS or names & set(TEXT_KEYS):
        return None
    columns = ", ".join(" ".join(name.split()) for name in header)  # a header cell may hold newlines
    return f"no text column (looked for {', '.join(TEXT_KEYS)}); columns: {columns[:500]}"


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, int, list[str] | csv.Error]]:
    """Non-blank rows, numbered from 1, with their line; a parse error comes in place of the row."""
    number = 0
    while True:
        try:
            row: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row = exc
        if row != []:
            number += 1
            yield number, getattr(reader, "line_num", 0), row


def _row_document(header: list[str], row: list[str] | csv.Error, number: int, line: int, source: str,
                  encoding: str) -> Item:
    """One CSV row as a document, or a rejection naming the row."""
    where, label = f"{source}#{number}", f"row {number} (line {line})"
    if isinstance(row, csv.Error):
        return Rejected(where, RejectReason.MALFORMED, f"{label}: broken quoting: {row}")
    if len(row) != len(header):
        detail = f"{label}: {len(row)} fields, the header has {len(header)}"
        return Rejected(where, RejectReason.MALFORMED, detail)
    record = dict(zip(header, row, strict=True))
    if {name.lower() for name in header} >= FAKES_COLUMNS:
        return _fakes_document(record, where, label, source, encoding)
    name = f"{Path(source).name}#{_pick_str(record, ID_KEYS) or number}"
    return record_document(record, source, name, row_id(record), encoding)


def _fakes_document(record: dict[str, str], where: str, label: str, source: str, encoding: str) -> Item:
    """A FA-KES row: unit_id names it; its `date` is the event date, so it goes to meta, not published."""
    fields = {key.lower(): value for key, value in record.items()}
    if not fields["article_content"].strip():
        return Rejected(where, RejectReason.EMPTY, f"{label}: article_content is empty", row_id(record))
    meta = {key: value for key, value in record.items()
            if key.lower() not in ("article_title", "article_content", "source")}
    return RawDocument(
        row_id(record), source, fields["unit_id"].strip(), fields["article_content"], "text", encoding,
        title=fields["article_title"].strip() or None, outlet=fields["source"].strip() or None, meta=meta,
    )


def _norm(key: str) -> str:
    """Key spelling variants (Article_Content, article-content) to one form (articlecontent)."""
    return _NOT_ALNUM.sub("", str(key).lower())


def _pick(fields: Mapping[str, object], keys: Sequence[str]) -> object:
    """The value of the first key present with a non-empty value."""
    return next((fields[key] for key in keys if fields.get(key) not in (None, "")), None)


def _pick_str(record: Mapping[str, str], keys: Sequence[str]) -> str | None:
    """The first non-empty value among keys of a CSV row, compared as normalised keys."""
    value = _pick({_norm(key): value.strip() for key, value in record.items()}, keys)
    return value if isinstance(value, str) else None


def _as_text(value: object) -> str | None:
    """Body text from a string, a list of paragraphs, or a {"rendered": ...} object."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "\n\n".join(value)
    if isinstance(value, dict):
        return _as_text(value.get("rendered"))
    return None


def _as_str(value: object) -> str | None:
    """A stripped non-empty string, or None."""
    return (value.strip() or None) if isinstance(value, str) else None


def _outlet(value: object) -> str | None:
    """An outlet given as a string or as an object with a name or title."""
    if isinstance(value, dict):
        return _as_str(value.get("name") or value.get("title"))
    return _as_str(value)


def _meta_value(value: object) -> str:
    """A meta value as a string: strings as they are, other values as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _kind(value: object) -> str:
    """JSON's name for the type of a parsed value."""
    names = {dict: "object", list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return names.get(type(value), "null")
