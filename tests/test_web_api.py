"""The HTTP API over a hand-built store (no spaCy): reads, filters, exports, auth, uploads, errors."""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pausewatch.settings import Settings
from pausewatch.web.app import create_app
from pausewatch.web.views import utf16_offset
from test_web_data import fill_store

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
INJECTIONS = ["'; DROP TABLE events; --", '" OR 1=1 --', "1' UNION SELECT * FROM documents--",
              "Robert'); DROP TABLE mentions;--", "%' OR '%'='", "\\'; --", "1; DELETE FROM reviews"]
FILTERS = ["type", "date_from", "date_to", "place", "admin1", "status", "source", "claimed_by", "q"]
STATIC = Path(__file__).resolve().parents[1] / "src" / "pausewatch" / "web" / "static"


def make_app(url: str, token: str | None = TOKEN, **kwargs: Any) -> FastAPI:
    fill_store(url).close()
    return create_app(Settings(db_url=url, api_token=token), **kwargs)


@pytest.fixture
def app(db_url: str) -> FastAPI:
    """The app over a filled store: SQLite always, PostgreSQL too when PAUSEWATCH_TEST_PG_URL is set."""
    return make_app(db_url)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def readonly(db_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(db_url, token=None)) as c:
        yield c


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {item["event_id"] for item in response.json()["items"]}


# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(("query", "expected"), [
    ("type=evacuation", {"ev-test01"}),
    ("status=contested", {"ev-test01", "ev-test02"}),
    ("status=corroborated", {"ev-test00"}),
    ("date_from=2030-03-02", {"ev-test04"}),
    ("date_from=2030-03-01&date_to=2030-03-01&type=pause", {"ev-test00"}),
    ("place=old market", {"ev-test02"}),
    ("admin1=river district", {"ev-test05"}),
    ("source=valley monitor", {"ev-test02", "ev-test05", "ev-test06"}),
    ("claimed_by=The Defence Ministry", {"ev-test02"}),
    ("q=ceasefire", {"ev-test06"}),
])
def test_web_api_events_filters(client: TestClient, query: str, expected: set[str]) -> None:
    assert ids(client.get(f"/api/events?{query}")) == expected


def test_web_api_events_paginate(client: TestClient) -> None:
    everything = client.get("/api/events?limit=500").json()
    first, second = client.get("/api/events?limit=3").json(), client.get("/api/events?limit=3&offset=3").json()
    assert first["total"] == second["total"] == everything["total"] == 7
    assert [e["event_id"] for e in first["items"] + second["items"]] == [
        e["event_id"] for e in everything["items"][:6]]


@pytest.mark.parametrize("path", ["/api/events", "/api/timeline", "/api/figures", "/api/contradictions",
                                  "/api/documents", "/api/sources", "/api/claimants", "/api/rejections",
                                  "/api/reviews", "/api/jobs"])
def test_web_api_every_list_pages(client: TestClient, path: str) -> None:
    page = client.get(f"{path}?limit=1&offset=0").json()
    assert page["limit"] == 1 and len(page["items"]) <= 1 and "total" in page
    assert client.get(f"{path}?limit=0").status_code == 422
    assert client.get(f"{path}?limit=501").status_code == 422


def test_web_api_event_has_claims_documents_and_quotes(client: TestClient) -> None:
    event = client.get("/api/events/ev-test01").json()
    assert event["corroboration"] == "contested" and event["contested_on"] == ["count"]
    assert event["figures"]["low"] == 300 and event["figures"]["high"] == 1200
    assert {m["claimed_by"] for m in event["mentions"]} == {"the ministry", "Monitors"}
    assert all(m["document"]["title"] for m in event["mentions"])
    pause = client.get("/api/events/ev-test00").json()
    assert pause["corroboration"] == "corroborated" and pause["review"] is None


def test_web_api_event_quotes_overlapping_the_evidence(client: TestClient) -> None:
    event = client.get("/api/events/ev-test01").json()
    quotes = [q for m in event["mentions"] for q in m["quotes"]]
    assert quotes == []  # the general's quote is in another sentence than either claim


def test_web_api_unknown_event_is_json_404(client: TestClient) -> None:
    response = client.get("/api/events/ev-nope")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error": "no event ev-nope"}


def test_web_api_document_spans_point_at_the_evidence(client: TestClient) -> None:
    doc_id = client.get("/api/documents?q=pause begins").json()["items"][0]["doc_id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert len(doc["spans"]) == 3 and doc["removed"] == ["READ MORE"]
    for span in doc["spans"]:
        assert span["exact"] and doc["text"][span["start"] : span["end"]] == span["evidence"]
        assert span["event_id"].startswith("ev-test")
    assert doc["quotes"][0]["speaker"] == "General Dana Orlov"


def test_web_api_documents_carry_their_cross_source_credibility(client: TestClient) -> None:
    items = client.get("/api/documents?limit=500").json()["items"]
    by_outlet = {i["outlet"]: i["credibility"] for i in items}
    # Northern Wire and Ledger Daily give different figures for one event; Valley Monitor gives none.
    assert by_outlet["Northern Wire"]["figures_compared"] == 1 and by_outlet["Northern Wire"]["score"] < 0.5
    alone = by_outlet["Valley Monitor"]
    assert (alone["score"], alone["agreement"], alone["figures_compared"]) == (0.5, None, 0)
    assert "no figure that another outlet also reports" in alone["explanation"]
    one = next(i for i in items if i["outlet"] == "Northern Wire")
    assert client.get(f"/api/documents/{one['doc_id']}").json()["credibility"] == one["credibility"]


def test_web_api_utf16_offsets_count_astral_characters_twice() -> None:
    assert utf16_offset("\U0001f600ab", 1) == 2 and utf16_offset("éab", 2) == 2


def test_web_api_timeline_categories(client: TestClient) -> None:
    items = client.get("/api/timeline?limit=500").json()["items"]
    category = {i["event_id"]: i["category"] for i in items}
    assert category["ev-test00"] == "window" and category["ev-test04"] == "extension"
    assert category["ev-test02"] == "violation" and category["ev-test01"] == "evacuation"
    assert items[-1]["date"] is None  # undated events last
    only = client.get("/api/timeline?category=violation").json()["items"]
    assert {i["event_id"] for i in only} == {"ev-test02", "ev-test05"}


def test_web_api_figures_by_source_with_spread(client: TestClient) -> None:
    (figure,) = client.get("/api/figures").json()["items"]
    assert figure["by_source"] == [{"source": "the ministry", "value": 1200}, {"source": "Monitors", "value": 300}]
    assert figure["spread"] == 900 and figure["ratio"] == 4.0


def test_web_api_contradictions_show_both_sides(client: TestClient) -> None:
    items = client.get("/api/contradictions").json()["items"]
    strike = next(i for i in items if i["event_id"] == "ev-test02")
    assert sorted(s["denied"] for s in strike["sides"]) == [False, True]


def test_web_api_sources_profile_outlets(client: TestClient) -> None:
    outlets = {o["outlet"]: o for o in client.get("/api/sources").json()["items"]}
    assert set(outlets) == {"Northern Wire", "Ledger Daily", "Valley Monitor"}
    monitor = outlets["Valley Monitor"]
    assert {t["term"] for t in monitor["terms"]} >= {"rebels"}
    assert "credibility" in monitor and monitor["claims"]["contested"] == 1
    assert outlets["Northern Wire"]["quoted"] == [{"speaker": "General Dana Orlov", "count": 1}]


# ---------------------------------------------------------------- exports


def test_web_api_exports(client: TestClient) -> None:
    records = client.get("/api/export/events.json").json()
    assert len(records) == 7 and all("mentions" in r for r in records)
    rows = list(csv.reader(io.StringIO(client.get("/api/export/events.csv").text)))
    assert rows[0][0] == "event_id" and len(rows) == 8
    hxl = client.get("/api/export/events.hxl.csv")
    assert hxl.headers["content-type"].startswith("text/csv")
    second = list(csv.reader(io.StringIO(hxl.text)))[1]
    assert second[0].startswith("#") and all(cell.startswith("#") for cell in second)
    claims = list(csv.reader(io.StringIO(client.get("/api/export/claims.csv").text)))
    assert len(claims) == 1 + 10
    geo = client.get("/api/export/events.geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert all(len(f["geometry"]["coordinates"]) == 2 for f in geo.json()["features"])


def test_web_api_exports_take_filters(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/events.csv?status=contested").text)))
    assert {r["event_id"] for r in rows} == {"ev-test01", "ev-test02"}
    assert len(client.get("/api/export/events.json?limit=2&offset=1").json()) == 2


# ---------------------------------------------------------------- auth


def test_web_api_read_only_server_refuses_writes(readonly: TestClient) -> None:
    for response in (readonly.post("/api/uploads", data={"urls": "https://example.org/a"}, headers=AUTH),
                     readonly.post("/api/events/ev-test00/reviews", json={"action": "note", "analyst": "a",
                                                                            "note": "n"})):
        assert response.status_code == 403
        assert response.json()["ok"] is False and "read-only" in response.json()["error"]
    assert readonly.get("/api/status").json()["read_only"] is True


def test_web_api_missing_token_is_401(client: TestClient) -> None:
    response = client.post("/api/uploads", data={"urls": "https://example.org/a"})
    assert response.status_code == 401 and response.json()["ok"] is False
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer wrong", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Basic abc"])
def test_web_api_wrong_token_is_refused(client: TestClient, header: str) -> None:
    response = client.post("/api/uploads", data={"urls": "https://example.org/a"},
                           headers={"Authorization": header})
    assert response.status_code in (401, 403) and response.json()["ok"] is False


def test_web_api_token_check(client: TestClient) -> None:
    assert client.get("/api/auth/check", headers=AUTH).json()["ok"] is True
    assert client.get("/api/auth/check", headers={"Authorization": "Bearer nope"}).status_code == 403


def test_web_api_token_is_compared_in_constant_time() -> None:
    source = (STATIC.parent / "auth.py").read_text()
    assert "hmac.compare_digest" in source and "== settings.api_token" not in source


# ---------------------------------------------------------------- uploads and jobs


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(200):
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.02)
    raise AssertionError("job did not finish")


def test_web_api_upload_runs_a_background_job(app: FastAPI, client: TestClient) -> None:
    seen: dict[str, bytes] = {}

    def fake_work(sources: list[str], progress: Any) -> dict[str, Any]:
        for source in sources:
            seen[source] = Path(source).read_bytes() if not source.startswith("http") else b""
        progress("documents", len(sources))
        return {"documents_new": 1, "events": 7, "rejected": [{"source": sources[0], "reason": "empty",
                                                                "detail": "no text"}]}

    app.state.jobs.work = fake_work
    response = client.post("/api/uploads", headers=AUTH, files=[("files", ("../../etc/report.txt", b"hello"))],
                           data={"urls": "https://example.org/a\nhttps://example.org/feed.xml"})
    assert response.status_code == 202, response.text
    job = wait_for(client, response.json()["id"])
    assert job["state"] == "done" and job["documents"] == 3
    path = next(p for p in seen if not p.startswith("http"))
    assert seen[path] == b"hello" and Path(path).name == "report.txt" and ".." not in path
    assert not Path(path).exists()  # the temp folder is removed after the job
    assert job["sources"][0] == "../../etc/report.txt" and job["result"]["rejected"][0]["source"] in job["sources"]


def test_web_api_failed_job_reports_its_error(app: FastAPI, client: TestClient) -> None:
    def broken(sources: list[str], progress: Any) -> dict[str, Any]:
        raise RuntimeError("model missing")

    app.state.jobs.work = broken
    job_id = client.post("/api/uploads", headers=AUTH, data={"urls": "https://example.org/a"}).json()["id"]
    job = wait_for(client, job_id)
    assert job["state"] == "failed" and "model missing" in job["error"]


@pytest.mark.parametrize("urls", ["", "ftp://example.org/a", "javascript:alert(1)", "file:///etc/passwd"])
def test_web_api_upload_rejects_bad_input(client: TestClient, urls: str) -> None:
    response = client.post("/api/uploads", headers=AUTH, data={"urls": urls})
    assert response.status_code == 422 and response.json()["ok"] is False


def test_web_api_unknown_job_is_404(client: TestClient) -> None:
    assert client.get("/api/jobs/abc").json() == {"ok": False, "error": "no job abc"}


# ---------------------------------------------------------------- reviews


def review(client: TestClient, event_id: str, **body: Any) -> Any:
    return client.post(f"/api/events/{event_id}/reviews", headers=AUTH, json={"analyst": "Ana", **body})


def test_web_api_grade_shows_in_event_and_exports(client: TestClient) -> None:
    response = review(client, "ev-test02", action="grade", grade="contested", note="two sides")
    assert response.status_code == 201, response.text
    event = client.get("/api/events/ev-test02").json()
    assert event["review"]["grade"] == "contested" and event["reviews"][0]["analyst"] == "Ana"
    assert event["reviews"][0]["created_at"]
    rows = list(csv.DictReader(io.StringIO(client.get("/api/export/events.csv").text)))
    assert next(r for r in rows if r["event_id"] == "ev-test02")["review_grade"] == "contested"


def test_web_api_merge_moves_every_claim_into_the_target(client: TestClient) -> None:
    response = review(client, "ev-test04", action="merge", target_event_id="ev-test00", note="same pause")
    assert response.status_code == 201 and response.json()["event_id"] == "ev-test00"
    assert client.get("/api/events/ev-test04").status_code == 404
    target = client.get("/api/events/ev-test00").json()
    assert target["n_claims"] == 3 and target["reviews"][0]["event_id"] == "ev-test04"
    assert client.get("/api/reviews").json()["items"][0]["action"] == "merge"


def test_web_api_split_moves_claims_into_a_stable_new_event(client: TestClient) -> None:
    claims = client.get("/api/events/ev-test01").json()["mentions"]
    moved = [c["mention_id"] for c in claims if c["claimed_by"] == "Monitors"]
    response = review(client, "ev-test01", action="split", mention_ids=moved)
    assert response.status_code == 201
    new_id = response.json()["event_id"]
    assert new_id == f"ev-split-{response.json()['review']['id']}"
    new_event = client.get(f"/api/events/{new_id}").json()
    assert [m["mention_id"] for m in new_event["mentions"]] == moved
    assert [r["action"] for r in new_event["reviews"]] == ["split"]  # the review that made it
    assert client.get("/api/events/ev-test01").json()["corroboration"] == "single_source"


@pytest.mark.parametrize("body", [
    {"action": "grade"},
    {"action": "grade", "grade": "excellent"},
    {"action": "note", "note": "  "},
    {"action": "merge", "target_event_id": "ev-test01"},
    {"action": "merge", "target_event_id": "ev-missing"},
    {"action": "split", "mention_ids": ["nope"]},
    {"action": "split", "mention_ids": []},
    {"action": "rename"},
    {"action": "note", "note": "x", "analyst": " "},
])
def test_web_api_bad_reviews_are_422(client: TestClient, body: dict[str, Any]) -> None:
    response = review(client, "ev-test01", **body)
    assert response.status_code == 422 and response.json()["ok"] is False
    assert client.get("/api/reviews").json()["total"] == 0


def test_web_api_split_of_every_claim_is_refused(client: TestClient) -> None:
    claims = [c["mention_id"] for c in client.get("/api/events/ev-test01").json()["mentions"]]
    assert review(client, "ev-test01", action="split", mention_ids=claims).status_code == 422


# ---------------------------------------------------------------- errors and limits


def test_web_api_errors_are_json(client: TestClient) -> None:
    for response in (client.get("/api/nowhere"), client.get("/api/events?date_from=yesterday"),
                     client.delete("/api/events"), client.post("/api/events/ev-test00/reviews", headers=AUTH,
                                                               content=b"{not json",
                                                               params={}, )):
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert body["ok"] is False and isinstance(body["error"], str) and body["error"]


def test_web_api_oversized_body_is_413(tmp_path: Path) -> None:
    with TestClient(make_app(f"sqlite:///{tmp_path / 'web.db'}", max_body_bytes=1000)) as small:
        response = small.post("/api/uploads", headers=AUTH, files=[("files", ("big.txt", b"x" * 5000))])
        assert response.status_code == 413 and response.json()["ok"] is False
        streamed = small.post("/api/events/ev-test00/reviews", headers=AUTH,
                              content=iter([b"{" + b" " * 800, b" " * 800 + b"}"]))
        assert streamed.status_code == 413


@pytest.mark.parametrize("name", FILTERS)
def test_web_api_injection_in_filters_is_harmless(client: TestClient, name: str) -> None:
    before = client.get("/api/status").json()["counts"]
    for attack in INJECTIONS:
        for path in ("/api/events", "/api/timeline", "/api/export/events.csv", "/api/contradictions"):
            assert client.get(path, params={name: attack}).status_code in (200, 422)
    assert client.get("/api/status").json()["counts"] == before


def test_web_api_injection_in_ids_and_text_filters_is_harmless(client: TestClient) -> None:
    before = client.get("/api/status").json()["counts"]
    for attack in INJECTIONS:
        for path in (f"/api/events/{attack}", f"/api/documents/{attack}", f"/api/jobs/{attack}"):
            assert client.get(path).status_code in (404, 422)
        for params in ({"outlet": attack}, {"q": attack}):
            assert client.get("/api/documents", params=params).status_code == 200
        assert client.get("/api/claimants", params={"q": attack}).status_code == 200
        note = review(client, "ev-test00", action="note", note=attack)
        assert note.status_code == 201
    after = client.get("/api/status").json()["counts"]
    assert after == {**before, "reviews": len(INJECTIONS)}
    notes = {r["note"] for r in client.get("/api/reviews?limit=500").json()["items"]}
    assert notes == set(INJECTIONS)


# ---------------------------------------------------------------- pages and headers


@pytest.mark.parametrize("path", ["/", "/events", "/events/ev-test00", "/map", "/sources", "/documents",
                                  "/reviews", "/upload", "/api-reference"])
def test_web_api_pages_have_a_strict_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)  # no inline scripts


def test_web_api_responses_carry_the_policy(client: TestClient) -> None:
    response = client.get("/api/events")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


def test_web_api_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/uploads" in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "'sha256-" in docs.headers["content-security-policy"]


@pytest.mark.parametrize("script", sorted(p.name for p in STATIC.glob("*.js")))
def test_web_api_scripts_never_parse_html(script: str) -> None:
    code = re.sub(r"/\*.*?\*/", "", (STATIC / script).read_text(), flags=re.DOTALL)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, f"{script} uses {sink}"


# ---------------------------------------------------------------- the serve command


def test_web_api_serve_command_builds_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pausewatch import cli

    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.update(app=app, **kw))
    monkeypatch.delenv("PAUSEWATCH_API_TOKEN", raising=False)
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    result = CliRunner().invoke(cli.app, ["serve", "--db", url, "--port", "8123", "--token", "t0k"])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1" and served["port"] == 8123
    assert served["app"].state.settings.api_token == "t0k" and served["app"].state.settings.db_url == url


def test_web_api_serve_token_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pausewatch import cli

    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: served.update(app=app))
    monkeypatch.setenv("PAUSEWATCH_API_TOKEN", "from-env")
    result = CliRunner().invoke(cli.app, ["serve", "--db", f"sqlite:///{tmp_path / 's.db'}"])
    assert result.exit_code == 0 and served["app"].state.settings.api_token == "from-env"


def test_web_api_serve_reports_an_unreachable_database() -> None:
    from typer.testing import CliRunner

    from pausewatch import cli

    result = CliRunner().invoke(cli.app, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2 and "cannot reach database" in result.output


def test_web_api_documents_show_syndicated_copies(app: FastAPI, client: TestClient) -> None:
    docs = {d["name"]: d["doc_id"] for d in client.get("/api/documents").json()["items"]}
    app.state.data.store.save_batch([], [], [], [], syndicated={docs["ledger.txt"]: docs["northern.txt"]})
    listed = {d["name"]: d["syndicated_of"] for d in client.get("/api/documents").json()["items"]}
    assert listed == {"northern.txt": None, "ledger.txt": docs["northern.txt"], "valley.txt": None}
    assert client.get(f"/api/documents/{docs['ledger.txt']}").json()["syndicated_of"] == docs["northern.txt"]
