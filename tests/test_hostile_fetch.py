"""URL fetching under attack, against a local server: only http(s), never loopback or private addresses
unless allowed (whatever spelling the address takes, and even if DNS changes its answer), bounded in
time and size (slow, stalled, endless and gzip-bomb bodies), and feeds that cannot expand entities,
read local files or make thousands of requests.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import pausewatch.ingest.web as web
from pausewatch.ingest import ingest
from pausewatch.model import RawDocument, Rejected, RejectReason
from pausewatch.settings import Settings

PAGE = b"<html><body><p>A convoy of twelve trucks entered the old city on Tuesday, the agency said.</p></body></html>"
BOMB = gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9)  # 50 MB of zeros in about 50 KB
XXE = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">
<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>
<rss version="2.0"><channel><title>Wire</title>
<item><title>One</title><description>The truce held, the UN said. &xxe;</description></item>
<item><title>Two</title><description>Aid entered the city. &g;</description></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    """Pages that attack the fetcher; counts every request so tests can show nothing was fetched."""

    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Handler.requests += 1
        routes = {"/page": self._page, "/stall": self._stall, "/trickle": self._trickle, "/endless": self._endless,
                  "/bomb": self._bomb, "/xxe": self._xxe, "/many": self._many, "/to-file": self._to_file}
        routes.get(self.path.split("?")[0], lambda: self.send_error(404))()

    def _head(self, content_type: str, length: int | None = None, **extra: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()

    def _page(self) -> None:
        self._head("text/html", len(PAGE))
        self.wfile.write(PAGE)

    def _stall(self) -> None:
        time.sleep(5)  # longer than the fetch timeout: no byte ever comes in time

    def _trickle(self) -> None:
        self._head("text/plain")
        for _ in range(60):  # one byte at a time, each in time, the whole never
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.1)

    def _endless(self) -> None:
        self._head("text/plain")
        chunk = b"The truce held. " * 4096
        for _ in range(10_000):
            self.wfile.write(chunk)

    def _bomb(self) -> None:
        self._head("text/plain", len(BOMB), Content_Encoding="gzip")
        self.wfile.write(BOMB)

    def _xxe(self) -> None:
        self._head("application/rss+xml", len(XXE))
        self.wfile.write(XXE)

    def _many(self) -> None:
        items = "".join(f"<item><title>{n}</title><description>Report {n}.</description></item>"
                        for n in range(web.MAX_FEED_ENTRIES + 50))
        body = f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode()
        self._head("application/rss+xml", len(body))
        self.wfile.write(body)

    def _to_file(self) -> None:
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """The fetcher hanging up on an endless body is the point, not an error."""


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield int(httpd.server_address[1])
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, **settings: object) -> list[RawDocument | Rejected]:
    return list(ingest([url], Settings.model_validate({"fetch_timeout": 0.5, **settings})))


def refused(url: str, **settings: object) -> Rejected:
    got = fetch(url, **settings)
    assert len(got) == 1 and isinstance(got[0], Rejected), got
    return got[0]


LOOPBACK = ["http://127.0.0.1:{p}/page", "http://localhost:{p}/page", "http://LOCALHOST:{p}/page",
            "http://localhost.:{p}/page", "http://127.1:{p}/page", "http://2130706433:{p}/page",
            "http://0x7f000001:{p}/page", "http://0177.0.0.1:{p}/page", "http://[::ffff:127.0.0.1]:{p}/page",
            "http://0.0.0.0:{p}/page", "http://example.org@127.0.0.1:{p}/page", "https://127.0.0.1:{p}/page",
            "HTTP://127.0.0.1:{p}/page", "http://127.0.0.1:{p}/page#@example.org", "http://[::1]:{p}/page"]
PRIVATE = ["http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
           "http://100.64.0.1/", "http://[fd00::1]/", "http://[fe80::1]/", "http://224.0.0.1/",
           "http://255.255.255.255/", "http://198.18.0.1/", "http://[::]/", "http://0/"]
SCHEMES = ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/_x", "dict://127.0.0.1:11211/stat",
           "ldap://127.0.0.1/", "jar:http://127.0.0.1!/x", "ws://127.0.0.1/", "sftp://127.0.0.1/"]


@pytest.mark.parametrize("template", LOOPBACK)
def test_hostile_fetch_loopback_in_any_spelling_is_refused_unfetched(port: int, template: str) -> None:
    before = Handler.requests
    rejection = refused(template.format(p=port))
    assert rejection.reason in (RejectReason.FORBIDDEN_URL, RejectReason.FETCH_FAILED), rejection
    assert Handler.requests == before


@pytest.mark.parametrize("url", PRIVATE)
def test_hostile_fetch_private_and_metadata_addresses_are_refused(url: str) -> None:
    started = time.monotonic()
    rejection = refused(url)
    assert rejection.reason == RejectReason.FORBIDDEN_URL and "non-public" in rejection.detail
    assert time.monotonic() - started < 2  # refused before any connection is tried


@pytest.mark.parametrize("url", SCHEMES)
def test_hostile_fetch_other_schemes_are_refused(url: str) -> None:
    before = Handler.requests
    rejection = refused(url, allow_private_urls=True)  # "jar:http://" is no URL at all: a missing path
    assert rejection.reason in (RejectReason.FORBIDDEN_URL, RejectReason.NOT_FOUND), rejection
    assert Handler.requests == before


def test_hostile_fetch_scheme_less_strings_are_paths_never_fetched() -> None:
    for source in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//127.0.0.1/x"):
        assert refused(source).reason == RejectReason.NOT_FOUND


def test_hostile_fetch_address_that_turns_private_after_the_check_is_refused(
        port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name looked public when checked, the connection went to loopback."""
    monkeypatch.setattr(web, "_check_host", lambda host, port: None)
    rejection = refused(f"http://127.0.0.1:{port}/page")
    assert rejection.reason == RejectReason.FORBIDDEN_URL and "connected to non-public" in rejection.detail


def test_hostile_fetch_redirect_to_a_local_file_is_refused(port: int) -> None:
    rejection = refused(f"http://127.0.0.1:{port}/to-file", allow_private_urls=True)
    assert rejection.reason == RejectReason.FORBIDDEN_URL and "file" in rejection.detail


@pytest.mark.parametrize(("path", "reason", "seconds"), [("/stall", RejectReason.FETCH_FAILED, 3),
                                                         ("/trickle", RejectReason.FETCH_FAILED, 4),
                                                         ("/endless", RejectReason.TOO_LARGE, 10),
                                                         ("/bomb", RejectReason.TOO_LARGE, 10)])
def test_hostile_fetch_slow_endless_and_bomb_bodies_are_cut(port: int, path: str, reason: RejectReason,
                                                            seconds: float) -> None:
    started = time.monotonic()
    rejection = refused(f"http://127.0.0.1:{port}{path}", allow_private_urls=True, fetch_max_bytes=1_000_000)
    assert rejection.reason == reason, rejection
    assert time.monotonic() - started < seconds


def test_hostile_fetch_feed_expands_no_entities_and_reads_no_files(port: int) -> None:
    started = time.monotonic()
    got = fetch(f"http://127.0.0.1:{port}/xxe", allow_private_urls=True)
    assert time.monotonic() - started < 5
    texts = [item.text for item in got if isinstance(item, RawDocument)]
    assert texts and not any("root:" in text or "aaaaaaaaaa" * 100 in text for text in texts)


def test_hostile_fetch_feed_entries_are_capped_and_the_cut_is_recorded(port: int) -> None:
    got = fetch(f"http://127.0.0.1:{port}/many", allow_private_urls=True)
    documents = [item for item in got if isinstance(item, RawDocument)]
    cut = [item for item in got if isinstance(item, Rejected)]
    assert len(documents) == web.MAX_FEED_ENTRIES
    assert len(cut) == 1 and cut[0].reason == RejectReason.TOO_LARGE and "1,050 entries" in cut[0].detail
