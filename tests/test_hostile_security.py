"""Nobody in: article text is inert in the briefing (real headless Chromium), SQL only through bound
parameters (injection strings through every Store method and every API filter), and every write
endpoint refuses without the token, compared in constant time, within size limits.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import pausewatch.web.auth as auth
from pausewatch.errors import StoreError
from pausewatch.model import (
    Article,
    Corroboration,
    Count,
    Event,
    EventType,
    FigureRange,
    Guess,
    Mention,
    OutletFrame,
    Place,
    Polarity,
    Precision,
    QuoteRecord,
    Rejected,
    RejectReason,
    Status,
)
from pausewatch.publish import ArticleInfo, Briefing, Review, render_briefing
from pausewatch.settings import Settings
from pausewatch.store import Store
from pausewatch.web.app import create_app
from test_web_data import fill_store

VECTORS = [line for line in (Path(__file__).parent / "data" / "xss_vectors.txt").read_text(
    encoding="utf-8").splitlines() if line.strip()]
SQL = ["'; DROP TABLE documents; --", '" OR "1"="1', "' OR 1=1 --", "1' UNION SELECT sql FROM sqlite_master--",
       "x'); DELETE FROM events; --", "Robert'); DROP TABLE mentions;--", "%' OR '%'='", "_%", "\\'; --",
       "1; UPDATE documents SET text='pwned'", "' || (SELECT pg_sleep(5)) || '", "$$; DROP TABLE runs; $$",
       "*/ DROP TABLE reviews /*", "\x00'; --", "ʼ OR ʼ1ʼ=ʼ1"]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SRC = Path(__file__).resolve().parents[1] / "src" / "pausewatch"
TOKEN = "hostile-test-token"


# ---------------------------------------------------------------- the briefing


def _mention(n: int, text: str, by: str, polarity: Polarity) -> Mention:
    place = Place(text, text, text, text, 36.2 + n / 100, 37.1 + n / 100, Precision.POINT)
    doc = f"{n:064d}"
    return Mention(doc, EventType.STRIKE, by, polarity, Status.HAPPENED, text, (0, len(text)), outlet=text,
                   published=date(2031, 3, 1), date=date(2031, 3, 1 + n % 20), place=place, actor=text,
                   target=text, count=Count(10 + n, 10 + n, 20 + n, None, text, text), phase=text, trigger=text,
                   claim_kind="speaker")


def briefing(texts: list[str]) -> Briefing:
    """Every field a report can fill holds one of `texts`: claims on both sides of contested events,
    outlets, speakers, places on the map, titles, links, framing terms, rejections and review notes."""
    events, articles = [], []
    for n, text in enumerate(texts):
        yes, no = _mention(n, text, text, Polarity.ASSERTED), _mention(n, text, f"{text} (B)", Polarity.DENIED)
        figures = FigureRange(10 + n, 15 + n, 20 + n, {text: 10 + n, f"{text} (B)": 20 + n}, text)
        events.append(Event(f"ev-{n:02d}", EventType.STRIKE, yes.date, yes.place, (yes, no),
                            Corroboration.CONTESTED, figures, ("polarity", "count"), (text, f"{text} (B)")))
        articles.append(ArticleInfo(yes.doc_id, text, text, date(2031, 3, 1), text, text, Guess(text, 0.5),
                                    Guess(text, 0.5), None))
    frames = [OutletFrame(text, {text: 1}, {text: 2}, 1, {"strike": 1}, (text,)) for text in texts]
    return Briefing(texts[0], datetime(2031, 3, 2, tzinfo=UTC), events, frames, articles,
                    [Rejected(text, RejectReason.BINARY, text) for text in texts],
                    {f"ev-{n:02d}": Review(text, text, text, datetime(2031, 3, 2)) for n, text in enumerate(texts)})


class Structure(HTMLParser):
    """Tags with their attribute names, and text as a browser sees it (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def hostile_html() -> str:
    return render_briefing(briefing(VECTORS))


def test_hostile_security_vectors_list_is_long_enough() -> None:
    assert len(VECTORS) >= 30 and len(set(VECTORS)) == len(VECTORS)


def test_hostile_security_briefing_structure_does_not_depend_on_the_text(hostile_html: str) -> None:
    """Payloads change text only: the same tags and attributes as a briefing of harmless words."""
    harmless = render_briefing(briefing([f"word{n}" for n in range(len(VECTORS))]))
    assert Structure(hostile_html).tags == Structure(harmless).tags


def test_hostile_security_briefing_shows_every_payload_as_text(hostile_html: str) -> None:
    page = Structure(hostile_html)
    text = "\n".join(page.text)
    assert all(vector in text for vector in VECTORS)
    assert not [a for a in page.attributes if a[1].startswith("on")]
    assert not [a for a in page.attributes if a[1] in ("href", "src", "action", "formaction", "data")
                and a[2].strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    assert [tag for tag, _ in page.tags if tag == "script"] == ["script"]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("PAUSEWATCH_REQUIRE_BROWSER"):
        pytest.fail(f"PAUSEWATCH_REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    pytest.skip(f"{CHROMIUM} not installed")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"""
HANDLERS = """Array.from(document.querySelectorAll('*')).filter(
  e => Array.from(e.attributes).some(a => a.name.toLowerCase().startsWith('on'))).length"""
INJECTED = "document.querySelectorAll('iframe, object, embed, base, video, audio, marquee, math, form').length"


def visit(chromium: Any, path: Path) -> dict[str, Any]:
    """Open a file in Chromium, give timers, autofocus and animations time, press Tab through it."""
    page = chromium.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    page.goto(path.as_uri(), wait_until="load")
    for _ in range(30):
        page.keyboard.press("Tab")
    page.wait_for_timeout(1200)
    seen = {"xss": page.evaluate("window.__xss"), "dialogs": dialogs, "handlers": page.evaluate(HANDLERS),
            "injected": page.evaluate(INJECTED), "violations": page.evaluate("window.__violations"),
            "text": page.inner_text("body"), "url": page.url}
    page.close()
    return seen


@pytest.mark.browser
def test_hostile_security_harness_detects_a_payload_that_runs(chromium: Any, tmp_path: Path) -> None:
    """The control: an unescaped payload on a page without a policy does run, and is seen running."""
    (tmp_path / "control.html").write_text(f"<html><body>{VECTORS[2]}</body></html>", encoding="utf-8")
    assert visit(chromium, tmp_path / "control.html")["xss"] == 1


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["as shipped", "policy removed"])
def test_hostile_security_briefing_payloads_never_run_in_chromium(chromium: Any, tmp_path: Path,
                                                                 hostile_html: str, policy: str) -> None:
    """As shipped, and with its Content-Security-Policy cut out: escaping alone must hold."""
    html = hostile_html
    if policy == "policy removed":
        start = html.index('<meta http-equiv="Content-Security-Policy"')
        html = html[:start] + html[html.index(">", start) + 1:]
    path = tmp_path / "briefing.html"
    path.write_text(html, encoding="utf-8")
    seen = visit(chromium, path)
    assert seen["xss"] is None and seen["dialogs"] == []
    assert seen["handlers"] == 0 and seen["injected"] == 0
    assert seen["violations"] == []  # nothing even tried to run
    assert seen["url"] == path.as_uri()  # no meta refresh, no navigation
    assert VECTORS[0] in seen["text"] and VECTORS[2] in seen["text"]


# ---------------------------------------------------------------- SQL: bound parameters only


def _sql_calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in ("execute", "exec_driver_sql", "executescript", "executemany", "text") and node.args:
                yield node


def test_hostile_security_no_sql_is_built_from_strings() -> None:
    """Statements are SQLAlchemy constructs; a raw SQL string may only be a literal with no values in it."""
    built = []
    for path in sorted(SRC.rglob("*.py")):
        for call in _sql_calls(ast.parse(path.read_text(encoding="utf-8"))):
            first = call.args[0]
            if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                    isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute)
                    and first.func.attr == "format"):
                built.append(f"{path.relative_to(SRC)}:{call.lineno}")
        text = path.read_text(encoding="utf-8")
        assert "from sqlalchemy import text" not in text and "sqlalchemy.text(" not in text, path
    assert built == []


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


def test_hostile_security_injection_strings_through_every_store_method(store: Store) -> None:
    article = Article("d" * 64, "name", "source", "text", None, None, Guess("none", 0.0), None,
                      Guess("none", 0.0))
    store.save_batch([article], [], [], [])
    before = store.counts()
    for n, nasty in enumerate(SQL):
        kept = nasty.replace("\x00", "\ufffd")  # NUL is the one character a store may not keep
        assert store.known_doc_ids([nasty, "d" * 64]) == {"d" * 64}
        assert store.load_article(nasty) is None
        assert store.load_reviews(nasty) == []
        note = store.add_review(nasty, "note", nasty, note=nasty)
        merge = store.add_review(nasty, "merge", nasty, target_event_id=nasty[:64])
        split = store.add_review(nasty, "split", nasty, mention_ids=[nasty, nasty[::-1]])
        assert (note.event_id, note.analyst, note.note) == (kept, kept, kept)
        assert merge.target_event_id == kept[:64] and split.mention_ids == (kept, kept[::-1])
        assert [r.id for r in store.load_reviews(nasty)] == [note.id, merge.id, split.id]
        with pytest.raises(StoreError):
            store.add_review(nasty, nasty, "analyst", note="x")
        quote = QuoteRecord(f"{n:064d}", nasty, nasty, 0, len(nasty))
        doc = Article(f"{n:064d}", nasty, nasty, nasty, nasty, nasty, Guess(nasty, 0.5), None, Guess(nasty, 0.5),
                      url=nasty, removed=(nasty,), meta={nasty: nasty})
        store.save_batch([doc], [], [quote], [Rejected(nasty, RejectReason.MALFORMED, nasty, nasty[:64])],
                         syndicated={f"{n:064d}": nasty})
        if "\x00" not in nasty:
            assert store.load_article(doc.doc_id) == doc
    after = store.counts()
    assert after["documents"] == before["documents"] + len(SQL) and after["reviews"] == 3 * len(SQL)
    assert after["rejections"] == len(SQL) and after["quotes"] == len(SQL)
    assert store.load_article("d" * 64) == article


# ---------------------------------------------------------------- the HTTP API


def make_app(tmp_path: Path, token: str | None = TOKEN, **kwargs: Any) -> FastAPI:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    fill_store(url, with_hostile=True).close()
    return create_app(Settings(db_url=url, api_token=token), **kwargs)


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return make_app(tmp_path)


def operations(app: FastAPI, write: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) of every API route in the OpenAPI spec, reads or writes."""
    found = []
    for path, methods in app.openapi()["paths"].items():
        for method, operation in methods.items():
            if (method != "get") == write:
                found.append((method, path, operation))
    return found


def counts(client: TestClient) -> dict[str, int]:
    response = client.get("/api/status")
    assert response.status_code == 200
    result: dict[str, int] = response.json()["counts"]
    return result


def test_hostile_security_injection_through_every_read_parameter(app: FastAPI) -> None:
    """Every query and path parameter of every GET route, each SQL and XSS string: never a 5xx."""
    with TestClient(app, raise_server_exceptions=False) as client:
        before, tried = counts(client), 0
        for _, path, operation in operations(app, write=False):
            for parameter in operation.get("parameters", []):
                for nasty in SQL + VECTORS[:8]:
                    if parameter["in"] == "path":
                        url, query = path.replace("{" + parameter["name"] + "}", quote(nasty, safe="")), {}
                    else:
                        url, query = path, {parameter["name"]: nasty}
                    url = url.replace("{event_id}", "ev-test00").replace("{doc_id}", "0" * 64)
                    url = url.replace("{job_id}", "0" * 12)
                    response = client.get(url, params=query)
                    assert response.status_code < 500, (url, query, response.text[:300])
                    tried += 1
        print(f"{tried} requests")  # shown with pytest -s
        assert tried > 300 and counts(client) == before


def _request(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    path = path.replace("{event_id}", "ev-test00")
    if path.endswith("/uploads"):
        return client.request(method, path, headers=headers, files={"files": ("a.txt", b"Aid arrived.")})
    return client.request(method, path, headers=headers, json={"action": "note", "analyst": "x", "note": "y"})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": f"Bearer {TOKEN[:-1]}"},
                                     {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer "}],
                         ids=["none", "wrong", "basic", "prefix", "longer", "empty"])
def test_hostile_security_every_write_route_refuses_without_the_token(app: FastAPI, headers: dict[str, str]) -> None:
    writes = operations(app, write=True)
    assert writes, "no write endpoints found"
    with TestClient(app) as client:
        before = counts(client)
        for method, path, _ in writes:
            response = _request(client, method, path, headers)
            assert response.status_code in (401, 403), (method, path, response.status_code)
        assert counts(client) == before and client.get("/api/jobs").json()["items"] == []


def test_hostile_security_read_only_server_refuses_every_write_even_with_a_token(tmp_path: Path) -> None:
    app = make_app(tmp_path, token=None)
    with TestClient(app) as client:
        for method, path, _ in operations(app, write=True):
            response = _request(client, method, path, {"Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 403, (method, path)


def test_hostile_security_token_is_compared_in_constant_time(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = auth.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    with TestClient(app) as client:
        for guess in ("a", TOKEN[:5], TOKEN + "x", TOKEN):
            client.get("/api/auth/check", headers={"Authorization": f"Bearer {guess}"})
    assert [a for a, _ in compared] == [g.encode() for g in ("a", TOKEN[:5], TOKEN + "x", TOKEN)]
    assert {b for _, b in compared} == {TOKEN.encode()}


def test_hostile_security_oversized_upload_is_413_and_starts_nothing(tmp_path: Path) -> None:
    app = make_app(tmp_path, max_body_bytes=50_000)
    with TestClient(app) as client:
        response = client.post("/api/uploads", headers={"Authorization": f"Bearer {TOKEN}"},
                               files={"files": ("big.txt", b"The truce held. " * 10_000)})
        assert response.status_code == 413
        assert client.get("/api/jobs").json()["items"] == []
