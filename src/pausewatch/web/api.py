"""The JSON API under /api: read everything the store holds, upload reports and review events with a token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, BeforeValidator, Field

from pausewatch.consolidate.reviews import split_event_id
from pausewatch.model import Corroboration, Event, EventType
from pausewatch.publish import claims_to_records, events_to_geojson, events_to_records, events_to_rows
from pausewatch.publish.exports import CLAIM_COLUMNS, EVENT_COLUMNS, event_sort_key, to_csv
from pausewatch.store import Grade, ReviewAction, ReviewRecord
from pausewatch.web import views
from pausewatch.web.auth import WriteAccess
from pausewatch.web.jobs import JobManager
from pausewatch.web.state import Data
from pausewatch.web.uploads import UploadError, parse_urls, save_files

Record = dict[str, Any]
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


class ErrorOut(BaseModel):
    """Every error the API returns: ok is false and error says what went wrong."""

    ok: bool = False
    error: str


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: _error("No such item.")}
WRITE_ERRORS: Responses = {
    401: _error("No bearer token sent."),
    403: _error("Wrong token, or the server is read-only (started without a token)."),
    413: _error("Request body too large."),
}

router = APIRouter(prefix="/api")

def iso_day(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also read '0' as a Unix timestamp."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("use a date written YYYY-MM-DD")
    return value


Day = Annotated[date | None, BeforeValidator(iso_day)]
Text = Annotated[str | None, Query(max_length=200, description="Case-insensitive substring.")]
EventId = Annotated[str, Path(pattern=ID_PATTERN, description="An event ID such as ev-1a2b3c4d5e6f.")]
DocId = Annotated[str, Path(pattern=ID_PATTERN, description="A document ID (sha256 of its bytes).")]


class CSVResponse(PlainTextResponse):
    media_type = "text/csv"


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


def event_filter(
    type: Annotated[EventType | None, Query(description="Event type.")] = None,
    date_from: Annotated[Day, Query(description="Events on or after this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[Day, Query(description="Events on or before this day (YYYY-MM-DD).")] = None,
    place: Text = None,
    admin1: Annotated[str | None, Query(max_length=200, description="Governorate / province, exact.")] = None,
    status: Annotated[Corroboration | None, Query(description="Corroboration status.")] = None,
    source: Text = None,
    claimed_by: Annotated[str | None, Query(max_length=200, description="Exact claimant name.")] = None,
    q: Text = None,
) -> views.EventFilter:
    """Query parameters shared by every event list and export."""
    return views.EventFilter(type, date_from, date_to, place, admin1, status, source, claimed_by, q)


Page = Annotated[Paging, Depends(paging)]
Filter = Annotated[views.EventFilter, Depends(event_filter)]


def data_of(request: Request) -> Data:
    data: Data = request.app.state.data
    return data


DataDep = Annotated[Data, Depends(data_of)]


def _events(data: Data, where: views.EventFilter) -> list[Event]:
    return [e for e in data.events() if where.matches(e)]


def _paged(items: list[Any], p: Paging) -> Record:
    return views.page(items, p.limit, p.offset)


# ---------------------------------------------------------------- status and overview


@router.get("/status", summary="Server status: read-only or not, database, row counts")
def get_status(request: Request, data: DataDep) -> Record:
    return {"ok": True, "read_only": not request.app.state.settings.api_token, "database": data.store.url,
            "counts": data.store.counts()}


@router.get("/auth/check", summary="Check a bearer token", dependencies=[WriteAccess], responses=WRITE_ERRORS)
def check_auth() -> Record:
    return {"ok": True, "message": "token accepted"}


@router.get("/overview", summary="Headline numbers for the dashboard")
def get_overview(data: DataDep) -> Record:
    return views.overview(data.events(), data.articles(), data.reviews())


# ---------------------------------------------------------------- events


@router.get("/events", summary="Events, filtered and paged")
def list_events(data: DataDep, where: Filter, p: Page) -> Record:
    grades = data.grades()
    events = sorted(_events(data, where), key=views.timeline_order)
    return _paged([views.event_summary(e, grades.get(e.event_id)) for e in events], p)


@router.get("/events/{event_id}", summary="One event with every claim, its evidence and its reviews",
            responses=NOT_FOUND)
def get_event(event_id: EventId, data: DataDep) -> Record:
    event = data.event(event_id)
    if event is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event {event_id}")
    docs = {a.doc_id: a for a in data.articles()}
    history = [r for r in data.reviews() if views.touches(r, event_id)]
    record = views.event_detail(event, data.grades().get(event_id), history, docs, data.store.load_quotes())
    return {"ok": True, **record}


@router.get("/events/{event_id}/reviews", summary="Every analyst decision that shaped one event, oldest first")
def list_event_reviews(event_id: EventId, data: DataDep, p: Page) -> Record:
    return _paged([views.review_record(r) for r in data.reviews() if views.touches(r, event_id)], p)


class ReviewIn(BaseModel):
    """An analyst decision: a grade, a merge into another event, a split of some claims, or a note."""

    action: ReviewAction
    analyst: str = Field(min_length=1, max_length=100, description="Who decides; kept with the decision.")
    grade: Grade | None = Field(None, description="For action=grade.")
    note: str | None = Field(None, max_length=4000, description="Why; required for action=note.")
    target_event_id: str | None = Field(None, pattern=ID_PATTERN, description="For action=merge.")
    mention_ids: list[str] = Field(default_factory=list, max_length=500, description="For action=split.")


def _check_review(body: ReviewIn, event: Event, data: Data) -> list[str]:
    """The mention IDs to record, or a 422 that says what the action is missing."""
    if not body.analyst.strip():
        raise HTTPException(422, "give the analyst's name")
    if body.action == ReviewAction.GRADE and body.grade is None:
        raise HTTPException(422, f"a grade review needs grade: one of {', '.join(Grade)}")
    if body.action == ReviewAction.NOTE and not (body.note or "").strip():
        raise HTTPException(422, "a note review needs a note")
    if body.action == ReviewAction.MERGE:
        return _merge_mentions(body, event, data)
    if body.action == ReviewAction.SPLIT:
        return _split_mentions(body, event)
    return []


def _merge_mentions(body: ReviewIn, event: Event, data: Data) -> list[str]:
    """Both events' claims, recorded so the merge holds even if a re-run renumbers either event."""
    target = data.event(body.target_event_id or "")
    if target is None or target.event_id == event.event_id:
        raise HTTPException(422, "a merge needs target_event_id: the ID of another existing event")
    return sorted({m.mention_id for m in (*event.mentions, *target.mentions)})


def _split_mentions(body: ReviewIn, event: Event) -> list[str]:
    own = {m.mention_id for m in event.mentions}
    wanted = list(dict.fromkeys(body.mention_ids))
    if not wanted or not set(wanted) <= own:
        raise HTTPException(422, "a split needs mention_ids: some of this event's claims")
    if set(wanted) == own:
        raise HTTPException(422, "a split must leave at least one claim in the event")
    return wanted


@router.post("/events/{event_id}/reviews", summary="Grade, merge, split or annotate an event (token)",
             status_code=201, dependencies=[WriteAccess], responses={**WRITE_ERRORS, **NOT_FOUND})
def add_review(event_id: EventId, body: ReviewIn, data: DataDep) -> Record:
    with data.write_lock:
        event = data.event(event_id)
        if event is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no event {event_id}")
        mention_ids = _check_review(body, event, data)
        record = data.store.add_review(event_id, str(body.action), body.analyst.strip(),
                                       grade=None if body.grade is None else str(body.grade),
                                       target_event_id=body.target_event_id, mention_ids=mention_ids,
                                       note=body.note)
        if body.action in (ReviewAction.MERGE, ReviewAction.SPLIT):
            data.replay_reviews()
    return {"ok": True, "review": views.review_record(record), "event_id": _resulting_event(record)}


def _resulting_event(record: ReviewRecord) -> str:
    """Where the analyst should look next: the merge target, the new split event, or the same event."""
    if record.action == ReviewAction.MERGE:
        return str(record.target_event_id)
    return split_event_id(record.id) if record.action == ReviewAction.SPLIT else str(record.event_id)


@router.get("/reviews", summary="Every analyst decision, newest first")
def list_reviews(data: DataDep, p: Page) -> Record:
    return _paged([views.review_record(r) for r in reversed(data.reviews())], p)


# ---------------------------------------------------------------- timeline, figures, contradictions

Category = Literal["window", "extension", "end", "violation", "denied violation", "evacuation",
                   "humanitarian", "negotiation"]


@router.get("/timeline", summary="Events in date order with their place on the pause's timeline")
def get_timeline(
    data: DataDep, where: Filter, p: Page, category: Annotated[Category | None, Query()] = None
) -> Record:
    grades = data.grades()
    events = sorted(_events(data, where), key=views.timeline_order)
    items = [views.timeline_item(e, grades.get(e.event_id)) for e in events]
    return _paged([i for i in items if category is None or i["category"] == category], p)


@router.get("/figures", summary="Low / best / high figures of each event and which source gave which")
def get_figures(
    data: DataDep, where: Filter, p: Page, sort: Annotated[Literal["date", "spread"], Query()] = "date"
) -> Record:
    items = [f for e in _events(data, where) if (f := views.figure_item(e)) is not None]
    if sort == "spread":
        items.sort(key=lambda f: (-f["ratio"], -f["high"], f["event_id"]))
    return _paged(items, p)


@router.get("/contradictions", summary="Contested events with each side's claims, latest first")
def get_contradictions(data: DataDep, where: Filter, p: Page) -> Record:
    grades = data.grades()
    contested = [e for e in _events(data, where) if e.corroboration == Corroboration.CONTESTED]
    contested.sort(key=views.timeline_order, reverse=True)
    return _paged([views.contradiction_item(e, grades.get(e.event_id)) for e in contested], p)


# ---------------------------------------------------------------- documents and sources


@router.get("/documents", summary="Stored documents (without text), filtered and paged")
def list_documents(data: DataDep, p: Page, outlet: Text = None, q: Text = None) -> Record:
    articles = data.articles()
    docs = [a for a in articles
            if (not outlet or views.fold(outlet) in views.fold(a.outlet))
            and (not q or views.fold(q) in views.fold(f"{a.title} {a.name}"))]
    credibility = views.document_credibility(data.events(), articles)
    return _paged([views.document_summary(a) | {"credibility": credibility.get(a.doc_id)} for a in docs], p)


@router.get("/documents/{doc_id}", summary="One document's cleaned text with evidence spans as offsets",
            responses=NOT_FOUND)
def get_document(doc_id: DocId, data: DataDep) -> Record:
    summary = next((a for a in data.articles() if a.doc_id == doc_id), None)
    article = data.article(doc_id) if summary else None
    if summary is None or article is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no document {doc_id}")
    events = data.events()
    record = views.document_detail(summary, article, events, data.store.load_quotes())
    credibility = views.document_credibility(events, data.articles()).get(doc_id)
    return {"ok": True, **record, "credibility": credibility}


@router.get("/sources", summary="Outlets with their framing profile, whom they quote and their record")
def list_sources(data: DataDep, p: Page) -> Record:
    return _paged(views.outlet_profiles(data.derived().frames, data.events()), p)


@router.get("/claimants", summary="Speakers and sources claims are attributed to")
def list_claimants(data: DataDep, p: Page, q: Text = None) -> Record:
    people = views.claimant_profiles(data.events())
    return _paged([c for c in people if not q or views.fold(q) in views.fold(c["name"])], p)


@router.get("/rejections", summary="Documents that could not be read, with the reason")
def list_rejections(data: DataDep, p: Page) -> Record:
    items = [{"source": r.source, "reason": str(r.reason), "detail": r.detail, "doc_id": r.doc_id}
             for r in data.store.load_rejections()]
    return _paged(items, p)


# ---------------------------------------------------------------- exports


def _export_events(data: Data, where: views.EventFilter, limit: int | None, offset: int) -> list[Event]:
    """Filtered events in export order; no limit means all of them."""
    events = sorted(_events(data, where), key=event_sort_key)
    return events[offset : None if limit is None else offset + limit]


ExportLimit = Annotated[int | None, Query(ge=1, le=1_000_000, description="At most this many events.")]
ExportOffset = Annotated[int, Query(ge=0, le=1_000_000)]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/export/events.json", summary="Events with every claim, as the events.json export")
def export_json(
    data: DataDep, where: Filter, limit: ExportLimit = None, offset: ExportOffset = 0
) -> JSONResponse:
    records = events_to_records(_export_events(data, where, limit, offset), data.grades())
    return JSONResponse(records, headers=_attachment("events.json"))


@router.get("/export/events.csv", summary="One row per event", response_class=CSVResponse)
def export_csv(
    data: DataDep, where: Filter, limit: ExportLimit = None, offset: ExportOffset = 0
) -> CSVResponse:
    rows = events_to_rows(_export_events(data, where, limit, offset), data.grades())
    return CSVResponse(to_csv(rows, EVENT_COLUMNS), headers=_attachment("events.csv"))


@router.get("/export/events.hxl.csv", summary="One row per event with the HXL hashtag row HDX expects",
            response_class=CSVResponse)
def export_hxl(
    data: DataDep, where: Filter, limit: ExportLimit = None, offset: ExportOffset = 0
) -> CSVResponse:
    rows = events_to_rows(_export_events(data, where, limit, offset), data.grades())
    return CSVResponse(to_csv(rows, EVENT_COLUMNS, hxl=True), headers=_attachment("events.hxl.csv"))


@router.get("/export/claims.csv", summary="One row per claim", response_class=CSVResponse)
def export_claims(
    data: DataDep, where: Filter, limit: ExportLimit = None, offset: ExportOffset = 0
) -> CSVResponse:
    rows = claims_to_records(_export_events(data, where, limit, offset))
    return CSVResponse(to_csv(rows, CLAIM_COLUMNS), headers=_attachment("claims.csv"))


@router.get("/export/events.geojson", summary="Located events as GeoJSON points",
            response_class=GeoJSONResponse)
def export_geojson(
    data: DataDep, where: Filter, limit: ExportLimit = None, offset: ExportOffset = 0
) -> GeoJSONResponse:
    collection = events_to_geojson(_export_events(data, where, limit, offset))
    return GeoJSONResponse(collection, headers=_attachment("events.geojson"))


# ---------------------------------------------------------------- uploads and jobs


def jobs_of(request: Request) -> JobManager:
    jobs: JobManager = request.app.state.jobs
    return jobs


JobsDep = Annotated[JobManager, Depends(jobs_of)]


@router.post("/uploads", summary="Upload report files and/or URLs for ingestion (token)", status_code=202,
             dependencies=[WriteAccess], responses=WRITE_ERRORS)
def upload(
    jobs: JobsDep,
    files: Annotated[list[UploadFile] | None, File(description="Report files: txt, html, json, csv.")] = None,
    urls: Annotated[str, Form(max_length=20_000, description="Article or feed URLs, one per line.")] = "",
) -> Record:
    try:
        links = parse_urls(urls)
        if not files and not links:
            raise UploadError("nothing to ingest: attach files or give URLs")
        folder, names = save_files([(f.filename, f.file) for f in files or []])
    except UploadError as exc:
        raise HTTPException(422, str(exc)) from None
    job = jobs.submit(sorted(names) + links, names, folder)
    return job.record()


@router.get("/jobs", summary="Recent ingestion jobs, newest first")
def list_jobs(jobs: JobsDep, p: Page) -> Record:
    return _paged([j.record() for j in jobs.jobs()], p)


@router.get("/jobs/{job_id}", summary="One ingestion job's progress", responses=NOT_FOUND)
def get_job(job_id: Annotated[str, Path(pattern=ID_PATTERN)], jobs: JobsDep) -> Record:
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no job {job_id}")
    return job.record()
