"""Dashboard pages: static HTML shells whose scripts (in /static) fetch the API and build the DOM safely.

No report text is ever put into these files on the server: the scripts insert it with textContent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static"
ID = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]

NO_CACHE = {"Cache-Control": "no-cache"}
router = APIRouter(include_in_schema=False)


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / f"{name}.html", media_type="text/html", headers=NO_CACHE)


@router.get("/")
def overview_page() -> FileResponse:
    return _page("overview")


@router.get("/events")
def events_page() -> FileResponse:
    return _page("events")


@router.get("/events/{event_id}")
def event_page(event_id: ID) -> FileResponse:
    return _page("event")


@router.get("/map")
def map_page() -> FileResponse:
    return _page("map")


@router.get("/sources")
def sources_page() -> FileResponse:
    return _page("sources")


@router.get("/documents")
def documents_page() -> FileResponse:
    return _page("documents")


@router.get("/documents/{doc_id}")
def document_page(doc_id: ID) -> FileResponse:
    return _page("document")


@router.get("/reviews")
def reviews_page() -> FileResponse:
    return _page("reviews")


@router.get("/upload")
def upload_page() -> FileResponse:
    return _page("upload")


@router.get("/api-reference")
def api_reference_page() -> FileResponse:
    return _page("api")


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
