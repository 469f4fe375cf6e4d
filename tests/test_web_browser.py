"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; no browser download).

`pausewatch serve` runs as a subprocess on a free loopback port over a store holding reports whose
every field carries script-injection payloads. Each page is visited, checked to be inert and saved
as a screenshot under test-artifacts/; then a report is uploaded through the page and followed to
the timeline and its event page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from test_web_data import XSS, doc_id, fill_store, hostile

CHROMIUM = Path("/usr/bin/chromium")
REQUIRE_ENV = "PAUSEWATCH_REQUIRE_BROWSER"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
TOKEN = "browser-test-token"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
HOSTILE_EVENT = "ev-test07"
HOSTILE_DOC = hostile()[0][0].doc_id
INJECTED = "img[src='x'], iframe, script:not([src]), [onerror], [onload], [onmouseover]"
REPORT = """Harbour Courier
14 May 2031

Ceasefire takes hold in Marrowdale

A 72-hour humanitarian ceasefire began on Tuesday in the town of Marrowdale, the Interior Ministry said.
About 2,000 civilians left the besieged district through two humanitarian corridors on Wednesday, \
according to the Red Crescent.
The ministry said aid convoys carrying food and medicine reached the reception centre on Wednesday.
Local monitors said shelling hit the northern checkpoint on Thursday, wounding 12 people.
"""

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    """Skip without Chromium, unless CI demands the browser tests (then a missing browser fails)."""
    if CHROMIUM.exists():
        return
    if os.environ.get(REQUIRE_ENV):
        pytest.fail(f"{REQUIRE_ENV} is set but {CHROMIUM} is missing: apt-get install -y chromium")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"pausewatch serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/api/status", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    pytest.fail(f"pausewatch serve did not come up:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`pausewatch serve` over a hostile store, with a token, on a free loopback port."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{folder / 'web.db'}"
    with fill_store(url, with_hostile=True) as store:
        store.add_review(HOSTILE_EVENT, "note", f"Analyst {XSS[1]}", note=f"Checked {XSS[0]} {XSS[2]}")
    port, log = _free_port(), folder / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "PAUSEWATCH_API_TOKEN"}
    command = [sys.executable, "-m", "pausewatch.cli", "serve", "--db", url, "--host", "127.0.0.1",
               "--port", str(port), "--token", TOKEN]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc, log)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's Chromium with a fresh profile; Playwright never downloads a browser here."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1360, "height": 900})
        try:
            yield context
        finally:
            context.close()


class Watched:
    """A page with every dialog, page error and console error it produced."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> Any:
        self.page.goto(url, wait_until="networkidle")
        self.loaded()
        return self.page

    def loaded(self) -> None:
        """Wait until no spinner is left (a selector wait: the page's CSP forbids Playwright's eval)."""
        self.page.wait_for_selector(".loading", state="detached", timeout=20_000)

    def assert_inert(self) -> None:
        assert self.page.evaluate("typeof window.__xss") == "undefined"
        assert self.dialogs == []
        assert self.page.locator(INJECTED).count() == 0
        assert self.errors == [], self.errors

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    w = Watched(browser)
    yield w
    w.page.close()


PAGES = [
    ("overview", "/"),
    ("events", "/events"),
    ("events-contested", "/events?status=contested"),
    ("event-contested", "/events/ev-test01"),
    ("event-strike", "/events/ev-test02"),
    ("event-hostile", f"/events/{HOSTILE_EVENT}"),
    ("map", "/map"),
    ("sources", "/sources"),
    ("documents", "/documents"),
    ("document-hostile", f"/documents/{HOSTILE_DOC}"),
    ("reviews", "/reviews"),
    ("upload", "/upload"),
    ("api-reference", "/api-reference"),
]


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_web_browser_page_renders_hostile_text_inert(server: str, watched: Watched, name: str, path: str) -> None:
    page = watched.open(server + path)
    watched.shot(name)
    watched.assert_inert()
    assert page.locator("#topbar nav a").count() == 8
    assert page.locator(".alert-error").count() == 0


@pytest.mark.parametrize("path", [f"/events/{HOSTILE_EVENT}", f"/documents/{HOSTILE_DOC}", "/reviews", "/sources"])
def test_web_browser_payloads_show_as_text(server: str, watched: Watched, path: str) -> None:
    text = watched.open(server + path).locator("body").inner_text()
    assert XSS[0] in text or XSS[1] in text
    watched.assert_inert()


def test_web_browser_documents_show_each_reports_credibility(server: str, watched: Watched) -> None:
    page = watched.open(server + "/documents")
    items = httpx.get(f"{server}/api/documents?limit=500").json()["items"]
    table = page.locator("#results").inner_text()
    assert "credibility" in table.lower()
    for item in items:
        assert f"{item['credibility']['score']:.2f}" in table and item["credibility"]["explanation"] in table
    watched.assert_inert()


def test_web_browser_event_page_highlights_the_evidence(server: str, watched: Watched) -> None:
    page = watched.open(server + "/events/ev-test01")
    claims = httpx.get(f"{server}/api/events/ev-test01").json()["mentions"]
    for claim in claims:
        mark = page.locator(f'article[data-mention="{claim["mention_id"]}"] mark.current')
        assert mark.count() == 1 and mark.inner_text() == claim["evidence"]
    assert page.locator(".badge.status-contested").count() >= 1
    watched.assert_inert()


def test_web_browser_hostile_evidence_is_highlighted_as_text(server: str, watched: Watched) -> None:
    page = watched.open(server + f"/events/{HOSTILE_EVENT}")
    (claim,) = httpx.get(f"{server}/api/events/{HOSTILE_EVENT}").json()["mentions"]
    assert page.locator("mark.current").first.inner_text() == claim["evidence"]
    watched.assert_inert()


def test_web_browser_map_draws_places_offline(server: str, watched: Watched) -> None:
    page = watched.open(server + "/map")
    assert page.locator("#map circle.pt").count() >= 3
    assert page.locator("#map circle.approx").count() == 1  # Northern Province: province level only
    watched.assert_inert()


def _enter_token(page: Any) -> None:
    page.fill("#token-input", TOKEN)
    page.fill("#analyst-input", "Browser Analyst")
    page.click("#token button[type=submit]")
    page.wait_for_selector("#token-status.ok, #review-form")  # the event page swaps in its review form


def test_web_browser_analyst_grades_an_event(server: str, watched: Watched) -> None:
    page = watched.open(server + "/events/ev-test02")
    _enter_token(page)
    page.wait_for_selector("#review-form[data-action=grade]")
    page.select_option("#review-form select[name=grade]", "contested")
    page.fill("#review-form textarea[name=note]", f"Both sides {XSS[1]}")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector(".badge.grade-contested")
    watched.loaded()
    assert f"Both sides {XSS[1]}" in page.locator("#review-log").inner_text()
    watched.shot("event-reviewed")
    watched.assert_inert()


def test_web_browser_analyst_splits_then_merges_back(server: str, watched: Watched) -> None:
    page = watched.open(server + "/events/ev-test00")
    _enter_token(page)
    page.click(".tabs button[data-tab=split]")
    page.locator("#review-form input[name=mention_ids]").first.check()
    page.fill("#review-form textarea[name=note]", "two different openings")
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/events/ev-split-*")
    watched.loaded()
    assert page.locator("article.claim").count() == 1
    watched.shot("event-split")
    page.click(".tabs button[data-tab=merge]")
    page.wait_for_selector("#review-form select[name=target_event_id] option[value=ev-test00]", state="attached")
    page.select_option("#review-form select[name=target_event_id]", "ev-test00")
    page.click("#review-form button[type=submit]")
    page.wait_for_url("**/events/ev-test00")
    watched.loaded()
    assert page.locator("article.claim").count() == 2
    actions = [r["action"] for r in httpx.get(f"{server}/api/reviews").json()["items"]]
    assert actions[:2] == ["merge", "split"]
    watched.assert_inert()


def test_web_browser_upload_appears_on_timeline_with_highlight(
    server: str, watched: Watched, tmp_path: Path
) -> None:
    """The real pipeline: upload through the page, follow the job, find the event and its evidence."""
    try:
        import pausewatch.pipeline  # noqa: F401
    except ModuleNotFoundError as exc:
        pytest.xfail(f"the NLP pipeline is not importable yet: {exc}")
    report = tmp_path / "marrowdale_ceasefire.txt"
    report.write_text(REPORT, encoding="utf-8")
    page = watched.open(server + "/upload")
    _enter_token(page)
    page.set_input_files("#files", str(report))
    page.click("#upload-button")
    page.wait_for_selector("#current-job .job")
    watched.shot("upload-running")
    page.wait_for_selector("#current-job .job[data-state=done]", timeout=300_000)
    watched.shot("upload-done")
    doc = _uploaded_document(server, report.read_bytes())
    span = next(s for s in doc["spans"] if s["event_id"])
    timeline = watched.open(server + "/")
    assert timeline.locator(f'#timeline-list [data-event="{span["event_id"]}"]').count() == 1
    watched.shot("overview-after-upload")
    event = watched.open(server + f"/events/{span['event_id']}")
    mark = event.locator(f'article[data-mention="{span["mention_id"]}"] mark.current')
    assert mark.count() == 1 and " ".join(mark.inner_text().split()) == " ".join(span["evidence"].split())
    watched.shot("event-uploaded")
    watched.assert_inert()


def _uploaded_document(server: str, raw: bytes) -> dict[str, Any]:
    found = httpx.get(f"{server}/api/documents/{doc_id(raw.decode())}")
    assert found.status_code == 200, "the uploaded report is not in the store"
    doc: dict[str, Any] = found.json()
    assert doc["spans"], "the pipeline extracted no claim from the uploaded report"
    return doc
