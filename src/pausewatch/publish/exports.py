"""Machine-readable exports: deterministic JSON, CSV (plain and HXL-tagged) and GeoJSON.

The record functions are public so the web API serves exactly what the files contain.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pausewatch.model import Count, Event, FigureRange, Mention, Place
from pausewatch.publish.briefing import stream_briefing

if TYPE_CHECKING:
    from pausewatch.publish import Briefing, Review

Record = dict[str, Any]

EVENT_COLUMNS = (
    "event_id", "type", "date", "place", "admin1", "lat", "lon", "precision", "corroboration",
    "contested_on", "sources", "n_claims", "count_low", "count_best", "count_high", "counted", "review_grade",
)
CLAIM_COLUMNS = (
    "mention_id", "event_id", "doc_id", "outlet", "claimed_by", "type", "date", "place", "admin1", "actor",
    "target", "count", "count_qualifier", "counted", "polarity", "status", "phase", "evidence",
)
HXL_TAGS = {
    "event_id": "#event+id", "type": "#event+type", "date": "#date", "place": "#loc+name",
    "admin1": "#adm1+name", "lat": "#geo+lat", "lon": "#geo+lon", "precision": "#meta+precision",
    "corroboration": "#status+corroboration", "contested_on": "#status+contested",
    "sources": "#meta+source+list", "n_claims": "#meta+claims+num", "count_low": "#affected+num+min",
    "count_best": "#affected+num", "count_high": "#affected+num+max", "counted": "#affected+type",
    "review_grade": "#meta+review+grade",
}
CSV_BLOCK_ROWS = 500  # rows per written piece: few writes, and never the whole file in memory
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------- nested records (JSON, API)


def _iso(d: Any) -> str | None:
    return d.isoformat() if d is not None else None


def _place(p: Place | None) -> Record | None:
    if p is None:
        return None
    return {"name": p.name, "canonical": p.canonical, "admin1": p.admin1, "country": p.country,
            "lat": p.lat, "lon": p.lon, "precision": str(p.precision)}


def _count(c: Count | None) -> Record | None:
    if c is None:
        return None
    return {"best": c.best, "low": c.low, "high": c.high, "counted": c.counted, "text": c.text,
            "qualifier": str(c.qualifier) if c.qualifier else None,
            "parts": [{"best": p.best, "counted": p.counted} for p in c.parts]}


def _figures(f: FigureRange | None) -> Record | None:
    if f is None:
        return None
    return {"low": f.low, "best": f.best, "high": f.high, "counted": f.counted,
            "by_source": dict(f.by_source)}


def _review(r: Review | None) -> Record | None:
    if r is None:
        return None
    return {"grade": r.grade, "note": r.note, "analyst": r.analyst, "at": r.at.isoformat()}


def mention_to_record(m: Mention) -> Record:
    return {
        "mention_id": m.mention_id, "doc_id": m.doc_id, "type": str(m.type), "claimed_by": m.claimed_by,
        "claim_kind": m.claim_kind, "polarity": str(m.polarity), "status": str(m.status),
        "evidence": m.evidence, "span": list(m.span), "outlet": m.outlet, "published": _iso(m.published),
        "date": _iso(m.date), "place": _place(m.place), "actor": m.actor, "target": m.target,
        "count": _count(m.count), "phase": m.phase, "trigger": m.trigger,
    }


def _mention_key(m: Mention) -> tuple[str, str]:
    """Mentions by id; the full value breaks ties so even duplicate ids give one order."""
    return (m.mention_id, repr(m))


def _mentions(e: Event) -> list[Mention]:
    ordered = sorted(e.mentions, key=lambda m: m.mention_id)
    unique = len({m.mention_id for m in ordered}) == len(ordered)
    return ordered if unique else sorted(e.mentions, key=_mention_key)


def event_sort_key(e: Event) -> tuple[str, str, str]:
    return (e.date.isoformat() if e.date else "", str(e.type), e.event_id)


def _event_record(e: Event, review: Review | None) -> Record:
    return {
        "event_id": e.event_id, "type": str(e.type), "date": _iso(e.date), "place": _place(e.place),
        "corroboration": str(e.corroboration), "contested_on": sorted(e.contested_on),
        "sources": sorted(e.sources), "figures": _figures(e.figures), "n_claims": len(e.mentions),
        "mentions": [mention_to_record(m) for m in _mentions(e)], "review": _review(review),
    }


def events_to_records(events: Iterable[Event], reviews: Mapping[str, Review] | None = None) -> list[Record]:
    """Every event with every field, claims nested, in a fixed order: the JSON export and API payload."""
    reviews = reviews or {}
    return [_event_record(e, reviews.get(e.event_id)) for e in sorted(events, key=event_sort_key)]


def events_json_chunks(events: Iterable[Event], reviews: Mapping[str, Review] | None = None) -> Iterator[str]:
    """events.json: a JSON array with one event per line, written event by event.

    Sorted keys and no generation timestamp, so the same events always give the same bytes; a line per
    event keeps it greppable and diffable, and the compact form is what json's C encoder writes.
    """
    reviews = reviews or {}
    records = (_event_record(e, reviews.get(e.event_id)) for e in sorted(events, key=event_sort_key))
    yield from _json_lines_array(records, "", "\n")


# ---------------------------------------------------------------- flat rows (CSV)


def _place_name(p: Place | None) -> str | None:
    return (p.canonical or p.name) if p else None


def _event_row(e: Event, review: Review | None) -> Record:
    p, f = e.place, e.figures
    return {
        "event_id": e.event_id, "type": str(e.type), "date": _iso(e.date), "place": _place_name(p),
        "admin1": p.admin1 if p else None, "lat": p.lat if p else None, "lon": p.lon if p else None,
        "precision": str(p.precision) if p else None, "corroboration": str(e.corroboration),
        "contested_on": "; ".join(sorted(e.contested_on)), "sources": "; ".join(sorted(e.sources)),
        "n_claims": len(e.mentions), "count_low": f.low if f else None, "count_best": f.best if f else None,
        "count_high": f.high if f else None, "counted": f.counted if f else None,
        "review_grade": review.grade if review else None,
    }


def events_to_rows(events: Iterable[Event], reviews: Mapping[str, Review] | None = None) -> list[Record]:
    """One flat row per event with the EVENT_COLUMNS, for CSV and spreadsheets."""
    reviews = reviews or {}
    return [_event_row(e, reviews.get(e.event_id)) for e in sorted(events, key=event_sort_key)]


def _claim_row(e: Event, m: Mention) -> Record:
    c = m.count
    return {
        "mention_id": m.mention_id, "event_id": e.event_id, "doc_id": m.doc_id, "outlet": m.outlet,
        "claimed_by": m.claimed_by, "type": str(m.type), "date": _iso(m.date), "place": _place_name(m.place),
        "admin1": m.place.admin1 if m.place else None, "actor": m.actor, "target": m.target,
        "count": c.best if c else None, "count_qualifier": str(c.qualifier) if c and c.qualifier else None,
        "counted": c.counted if c else None, "polarity": str(m.polarity), "status": str(m.status),
        "phase": m.phase, "evidence": m.evidence,
    }


def claims_to_records(events: Iterable[Event]) -> list[Record]:
    """One flat row per mention (CLAIM_COLUMNS), events in export order, mentions by id."""
    return list(claim_rows(events))


def claim_rows(events: Iterable[Event]) -> Iterator[Record]:
    return (_claim_row(e, m) for e in sorted(events, key=event_sort_key) for m in _mentions(e))


def neutralise(value: object) -> object:
    """Text a spreadsheet would run as a formula (=, +, -, @ ...) gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Record], columns: Sequence[str], hxl: bool = False) -> Iterator[str]:
    """CSV text a block of rows at a time: a header row and, for HXL, a hashtag row under it; cells neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    head: list[list[object]] = [list(columns), [HXL_TAGS[c] for c in columns]] if hxl else [list(columns)]
    body = ([neutralise(row.get(c)) for c in columns] for row in rows)
    lines = itertools.chain(head, body)
    for block in iter(lambda: list(itertools.islice(lines, CSV_BLOCK_ROWS)), []):
        writer.writerows(block)
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()


def to_csv(rows: Iterable[Record], columns: Sequence[str], hxl: bool = False) -> str:
    return "".join(csv_lines(rows, columns, hxl))


# ---------------------------------------------------------------- GeoJSON


def _feature(e: Event) -> Record:
    row = _event_row(e, None)
    props = {k: v for k, v in row.items() if k not in ("lat", "lon", "review_grade")}
    assert e.place is not None
    props.update(admin1=e.place.admin1, country=e.place.country, contested_on=sorted(e.contested_on),
                 sources=sorted(e.sources), approximate=e.place.precision in ("admin1", "country"))
    return {"type": "Feature", "id": e.event_id, "properties": props,
            "geometry": {"type": "Point", "coordinates": [e.place.lon, e.place.lat]}}


def _located(events: Iterable[Event]) -> list[Event]:
    located = [e for e in events if e.place and e.place.lat is not None and e.place.lon is not None]
    return sorted(located, key=event_sort_key)


def events_to_geojson(events: Iterable[Event]) -> Record:
    """Events with coordinates as points; `precision` lets a map draw province centroids apart."""
    return {"type": "FeatureCollection", "features": [_feature(e) for e in _located(events)]}


def geojson_chunks(events: Iterable[Event]) -> Iterator[str]:
    """events.geojson, one feature per line, written feature by feature."""
    yield from _json_lines_array((_feature(e) for e in _located(events)), '{"features": ',
                                 ', "type": "FeatureCollection"}\n')


def _json_lines_array(records: Iterable[Record], before: str, after: str) -> Iterator[str]:
    """A JSON array written record by record, each on its own line."""
    separator = before + "[\n"
    for record in records:
        yield separator + json.dumps(record, sort_keys=True, ensure_ascii=False)
        separator = ",\n"
    yield before + "[]" + after if separator == before + "[\n" else "\n]" + after


# ---------------------------------------------------------------- files


def _write(path: Path, chunks: Iterable[str]) -> Path:
    """Write beside the target, then rename, so a reader never sees half an export."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as out:
        out.writelines(chunks)
    os.replace(tmp, path)
    return path


def write_outputs(b: Briefing, out_dir: Path) -> dict[str, Path]:
    """Write the briefing and every export into out_dir, each streamed; returns file name -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Callable[[], Iterable[str]]] = {
        "briefing.html": lambda: stream_briefing(b),
        "events.json": lambda: events_json_chunks(b.events, b.reviews),
        "events.csv": lambda: csv_lines(events_to_rows(b.events, b.reviews), EVENT_COLUMNS),
        "events.hxl.csv": lambda: csv_lines(events_to_rows(b.events, b.reviews), EVENT_COLUMNS, hxl=True),
        "claims.csv": lambda: csv_lines(claim_rows(b.events), CLAIM_COLUMNS),
        "events.geojson": lambda: geojson_chunks(b.events),
    }
    return {name: _write(out_dir / name, chunks()) for name, chunks in files.items()}
