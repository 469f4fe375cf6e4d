"""The web app: JSON API, dashboard pages and their static files, in one FastAPI process.

Every response carries a strict Content-Security-Policy (scripts only from /static, no inline code),
errors are JSON {"ok": false, "error": ...}, and request bodies are bounded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pausewatch import __version__
from pausewatch.errors import StoreError
from pausewatch.settings import Settings, load_settings
from pausewatch.store import Store
from pausewatch.web import api, pages
from pausewatch.web.jobs import Ingestor, JobManager
from pausewatch.web.state import Data

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 25_000_000
DESCRIPTION = "Events, claims and evidence about a humanitarian pause, from every side's press."
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
DOCS_CDN = "https://cdn.jsdelivr.net"
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
}


def error_body(
    status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message, **extra}, status_code=status, headers=headers)


# ---------------------------------------------------------------- middleware (plain ASGI)


class TooLarge(HTTPException):
    """Raised from inside receive(): FastAPI re-raises HTTPExceptions met while it reads a body."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body too large: the limit is {max_bytes:,} bytes")


class BodyLimit:
    """Refuse bodies over max_bytes: by Content-Length up front, and by counting chunked bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await error_body(400, "Content-Length is not a number")(scope, receive, send)
        elif declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
        else:
            await self._counted(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await error_body(413, str(TooLarge(self.max_bytes).detail))(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen, started = 0, False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise TooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except TooLarge:
            if not started:
                await self._refuse(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    """The declared length, None when absent, -1 when it is not a number."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


class SecurityHeaders:
    """CSP and friends on every response that sets no policy of its own; API answers are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secured(list(message.get("headers", [])), is_api)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secured(headers: list[tuple[bytes, bytes]], is_api: bool) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in headers}
    extra = dict(SECURITY_HEADERS)
    extra[b"content-security-policy"] = CSP.encode()
    if is_api:
        extra[b"cache-control"] = b"no-store"
    return headers + [(k, v) for k, v in extra.items() if k not in names]


# ---------------------------------------------------------------- errors


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else json.dumps(jsonable_encoder(exc.detail))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request))
    return error_body(exc.status_code, message, headers)


def _allowed(request: Request) -> list[str]:
    """Every method any route serves at this path (Starlette names only the first route's)."""
    path = request.url.path
    methods = {m for r in request.app.routes if isinstance(r, Route) and r.path_regex.match(path)
               for m in (r.methods or ())}
    return sorted(methods)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with one readable sentence, plus FastAPI's usual `detail` list for programs."""
    assert isinstance(exc, RequestValidationError)
    errors = jsonable_encoder(exc.errors(), custom_encoder={bytes: lambda b: b.decode("utf-8", "replace")})
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ()))
    return error_body(422, f"invalid request: {where}: {first.get('msg', 'invalid value')}", detail=errors)


async def _store_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("store error on %s: %s", request.url.path, exc)
    return error_body(503, str(exc))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return error_body(500, "internal error: the server log has the details")


# ---------------------------------------------------------------- docs


def _inline_script_hashes(html: str) -> str:
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    digests = (base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts)
    return " ".join(f"'sha256-{d}'" for d in digests)


def _docs_page() -> HTMLResponse:
    """Swagger UI (its files come from a CDN); its one inline script is allowed by hash, nothing else."""
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="pausewatch API")
    html = bytes(page.body).decode()
    policy = (f"default-src 'none'; script-src {DOCS_CDN} {_inline_script_hashes(html)}; "
              f"style-src {DOCS_CDN} 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "
              "base-uri 'none'; frame-ancestors 'none'")
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


# ---------------------------------------------------------------- the app


def create_app(settings: Settings, *, max_body_bytes: int = MAX_BODY_BYTES) -> FastAPI:
    """The API and dashboard over the store at settings.db_url; writes need settings.api_token."""
    store = Store.open(settings.db_url)
    data = Data(store)
    jobs = JobManager(Ingestor(settings, data))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        store.close()

    app = FastAPI(title="pausewatch", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description=DESCRIPTION)
    app.state.settings, app.state.data, app.state.jobs = settings, data, jobs
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)
    app.add_api_route("/docs", _docs_page, include_in_schema=False, response_class=HTMLResponse)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def app_from_env() -> FastAPI:
    """For `uvicorn --factory pausewatch.web.app:app_from_env`: settings from PAUSEWATCH_* variables."""
    return create_app(load_settings())
