"""Schemathesis against the app's own OpenAPI: generated requests never cause a server error.

Every GET operation runs with schemathesis' full conformance checks; write operations are sent
without a token and must be refused (never 5xx, never accepted).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from pausewatch.settings import Settings
from pausewatch.web.app import create_app
from test_web_data import fill_store

BOUNDED = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


_STORE = tempfile.TemporaryDirectory(prefix="pausewatch-schemathesis-")  # removed when the run ends
_URL = f"sqlite:///{Path(_STORE.name) / 'web.db'}"
fill_store(_URL, with_hostile=True).close()
APP = create_app(Settings(db_url=_URL, api_token="schemathesis-token"))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
reads = schema.include(method="GET")
writes = schema.include(method="POST")


@reads.parametrize()
@BOUNDED
def test_web_schemathesis_reads_conform(case: schemathesis.Case) -> None:
    response = case.call_and_validate()
    assert response.status_code < 500


@writes.parametrize()
@BOUNDED
def test_web_schemathesis_writes_without_token_are_refused(case: schemathesis.Case) -> None:
    if case.headers:
        case.headers.pop("Authorization", None)
    response = case.call()
    assert 400 <= response.status_code < 500, response.text  # refused (401/403), or malformed (400/405/422)


def test_web_schemathesis_left_the_store_intact() -> None:
    """Runs after the generated requests: no table lost, no write slipped through without a token."""
    client = TestClient(APP)
    counts = client.get("/api/status").json()["counts"]
    assert counts["events"] == 8 and counts["documents"] == 4 and counts["reviews"] == 0
