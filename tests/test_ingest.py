"""ingest: real files from ../shared, bad input as Rejected data, local HTTP for URLs and feeds."""

from __future__ import annotations

import codecs
import json
import os
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pausewatch.ingest import ingest
from pausewatch.ingest.decode import decode_bytes
from pausewatch.model import RawDocument, Rejected, RejectReason
from pausewatch.settings import Settings

FAKES_ANNOTATIONS = ("date", "location", "actor", "cause_of_death", "nb_children", "nb_civilians",
                     "nb_noncivilians", "nb_women", "label")


def run(*sources: Path | str, **settings: object) -> list[RawDocument | Rejected]:
    return list(ingest([str(source) for source in sources], Settings.model_validate(settings)))


def only(items: list[RawDocument | Rejected]) -> RawDocument | Rejected:
    assert len(items) == 1, items
    return items[0]


def rejected(items: list[RawDocument | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


def documents(items: list[RawDocument | Rejected]) -> list[RawDocument]:
    return [item for item in items if isinstance(item, RawDocument)]


# ---- FA-KES and seeds ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fakes(shared: Path) -> list[RawDocument | Rejected]:
    return run(shared / "fakes" / "fakes-dev.csv")


def test_ingest_fakes_gives_200_documents_none_rejected(fakes: list[RawDocument | Rejected]) -> None:
    assert rejected(fakes) == []
    assert len(documents(fakes)) == 200


def test_ingest_fakes_rows_are_named_by_unit_id_with_annotations_in_meta(
        fakes: list[RawDocument | Rejected]) -> None:
    for doc in documents(fakes):
        assert doc.name == doc.meta["unit_id"] and doc.name.isdigit()
        assert all(key in doc.meta for key in FAKES_ANNOTATIONS)
        assert doc.title and doc.outlet and doc.text.strip()


def test_ingest_fakes_event_date_is_not_publication_date(fakes: list[RawDocument | Rejected]) -> None:
    assert all(doc.published is None for doc in documents(fakes))


def test_ingest_fakes_records_non_utf8_fallback(fakes: list[RawDocument | Rejected]) -> None:
    encodings = {doc.encoding for doc in documents(fakes)}
    assert len(encodings) == 1 and encodings != {"utf-8"}


def test_ingest_fakes_ids_are_distinct_content_hashes(fakes: list[RawDocument | Rejected]) -> None:
    ids = [doc.doc_id for doc in documents(fakes)]
    assert len(set(ids)) == len(ids) and all(len(doc_id) == 64 for doc_id in ids)


def test_ingest_seed_folder_reads_every_seed_as_text(shared: Path) -> None:
    items = run(shared / "seeds")
    names = sorted(path.name for path in (shared / "seeds").glob("*.txt"))
    assert [doc.name for doc in documents(items)] == names
    assert all(doc.media_type == "text" and doc.encoding == "utf-8" for doc in documents(items))


def test_ingest_same_folder_twice_gives_same_ids_in_same_order(shared: Path) -> None:
    first, second = run(shared / "seeds"), run(shared / "seeds")
    assert [doc.doc_id for doc in documents(first)] == [doc.doc_id for doc in documents(second)]


# ---- bad input ----------------------------------------------------------------------------------
BAD_FILES = [
    ("empty.txt", b"", RejectReason.EMPTY),
    ("blank.txt", b"  \n\t\n ", RejectReason.EMPTY),
    ("random.bin", bytes(range(256)) * 4, RejectReason.BINARY),
    ("nuls.txt", b"abc\x00\x01\x02\x00\xff" * 50, RejectReason.BINARY),
    ("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", RejectReason.UNSUPPORTED),
    ("bad.json", b'{"text": "unterminated', RejectReason.MALFORMED),
    ("number.json", b"42", RejectReason.MALFORMED),
    ("notext.json", b'{"title": "A headline", "url": "https://example.org/a"}', RejectReason.NO_TEXT),
    ("notext.csv", b"id,title,when\n1,A headline,2016-10-25\n", RejectReason.NO_TEXT),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_ingest_bad_file_is_rejected_with_reason(tmp_path: Path, name: str, data: bytes,
                                                 reason: RejectReason) -> None:
    (tmp_path / name).write_bytes(data)
    item = only(run(tmp_path / name))
    assert isinstance(item, Rejected) and item.reason == reason
    assert item.detail and "\n" not in item.detail


def test_ingest_missing_path_is_not_found_and_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("The truce held on Tuesday.", encoding="utf-8")
    items = run(tmp_path / "missing.txt", tmp_path / "good.txt")
    assert isinstance(items[0], Rejected) and items[0].reason == RejectReason.NOT_FOUND
    assert isinstance(items[1], RawDocument)


def test_ingest_folder_of_bad_files_rejects_each_and_keeps_the_good(tmp_path: Path) -> None:
    for name, data, _ in BAD_FILES:
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("The truce held on Tuesday.", encoding="utf-8")
    items = run(tmp_path)
    assert len(rejected(items)) == len(BAD_FILES)
    assert [doc.name for doc in documents(items)] == ["good.txt"]


def test_ingest_utf16_with_bom_decodes(tmp_path: Path) -> None:
    text = "Civilians left Aleppo through the corridor – 48 women and children, said the ministry."
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    doc = only(run(tmp_path / "utf16.txt"))
    assert isinstance(doc, RawDocument) and doc.text == text and doc.encoding.startswith("utf-16")


def test_ingest_stray_bytes_decode_with_encoding_recorded(tmp_path: Path) -> None:
    (tmp_path / "stray.txt").write_bytes(b"Aleppo\x95_s monitor said 12 died.\n")
    doc = only(run(tmp_path / "stray.txt"))
    assert isinstance(doc, RawDocument) and doc.text.startswith("Aleppo") and doc.encoding != "utf-8"


def test_ingest_too_large_file_is_rejected_without_reading(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        assert self != big, "the oversized file was opened"
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded_open)
    item = only(run(big, max_file_bytes=100))
    assert isinstance(item, Rejected) and item.reason == RejectReason.TOO_LARGE


def test_ingest_permission_error_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Some text.", encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    item = only(run(locked))
    assert isinstance(item, Rejected) and item.reason == RejectReason.UNREADABLE


def test_ingest_jsonl_bad_line_is_rejected_alone(tmp_path: Path) -> None:
    lines = ['{"text": "First report."}', "{not json", '{"content": "Third report.", "source": "RT"}']
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = run(tmp_path / "batch.jsonl")
    assert [type(item) for item in items] == [RawDocument, Rejected, RawDocument]
    bad = items[1]
    assert isinstance(bad, Rejected) and bad.reason == RejectReason.MALFORMED and "line 2" in bad.detail
    assert [doc.name for doc in documents(items)] == ["batch.jsonl#1", "batch.jsonl#3"]


def test_ingest_json_tolerates_key_variants(tmp_path: Path) -> None:
    record = {"Headline": "Truce extended", "Content": "The truce was extended.", "source": {"name": "TASS"},
              "publishedAt": "2016-10-25T09:14:00Z", "link": "https://example.org/a", "lang": "en"}
    (tmp_path / "one.json").write_text(json.dumps(record), encoding="utf-8")
    doc = only(run(tmp_path / "one.json"))
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.outlet, doc.published, doc.url) == ("Truce extended", "TASS", date(2016, 10, 25),
                                                              "https://example.org/a")
    assert doc.meta["lang"] == "en" and doc.name == "one.json"


def test_ingest_json_list_gives_one_document_per_object(tmp_path: Path) -> None:
    records = [{"text": "One."}, "not an object", {"body": "<p>Three.</p>", "date": "25 October 2016"}]
    (tmp_path / "list.json").write_text(json.dumps(records), encoding="utf-8")
    items = run(tmp_path / "list.json")
    assert [type(item) for item in items] == [RawDocument, Rejected, RawDocument]
    third = items[2]
    assert isinstance(third, RawDocument) and third.media_type == "html"
    assert third.published == date(2016, 10, 25)


def test_ingest_row_id_depends_on_content_not_position(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"text": "Same."}\n{"text": "Other."}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "Other."}\n\n{"text": "Same."}\n', encoding="utf-8")
    first, second = documents(run(tmp_path / "a.jsonl")), documents(run(tmp_path / "b.jsonl"))
    assert first[0].doc_id == second[1].doc_id and first[1].doc_id == second[0].doc_id


def test_ingest_csv_broken_row_is_rejected_and_others_survive(tmp_path: Path) -> None:
    rows = ('id,content,outlet\n1,"First report.",RT\n2,"Broken "quote" here",RT\n'
            '3,"Third report.",SANA\n4,only\n')
    (tmp_path / "table.csv").write_text(rows, encoding="utf-8")
    items = run(tmp_path / "table.csv")
    assert [type(item) for item in items] == [RawDocument, Rejected, RawDocument, Rejected]
    assert all(item.reason == RejectReason.MALFORMED for item in rejected(items))
    assert "row 2" in rejected(items)[0].detail and "row 4" in rejected(items)[1].detail
    assert [doc.name for doc in documents(items)] == ["table.csv#1", "table.csv#3"]


def test_ingest_csv_field_larger_than_csv_default_limit(tmp_path: Path) -> None:
    long_text = "The truce held. " * 20_000
    (tmp_path / "long.csv").write_text(f'text\n"{long_text}"\n', encoding="utf-8")
    doc = only(run(tmp_path / "long.csv"))
    assert isinstance(doc, RawDocument) and doc.text == long_text


def test_ingest_folder_skips_hidden_and_survives_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B report.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A report.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "sub" / "loop")
    names = [doc.name for doc in documents(run(tmp_path))]
    assert names == ["a.txt", "b.txt"]


def test_ingest_html_file_keeps_markup_for_clean(tmp_path: Path) -> None:
    (tmp_path / "page.htm").write_text("<html><body><p>Aid entered.</p></body></html>", encoding="utf-8")
    doc = only(run(tmp_path / "page.htm"))
    assert isinstance(doc, RawDocument) and doc.media_type == "html" and "<p>" in doc.text


@given(st.binary(max_size=4096))
def test_decode_bytes_never_raises(data: bytes) -> None:
    result = decode_bytes(data)
    assert result == RejectReason.BINARY or (isinstance(result[0], str) and isinstance(result[1], str))


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=500))
def test_decode_bytes_reads_utf8_exactly(text: str) -> None:
    data = text.lstrip("\ufeff").encode("utf-8")
    assert decode_bytes(data) == (data.decode("utf-8"), "utf-8")


# ---- URLs and feeds -----------------------------------------------------------------------------
ARTICLE = """<html><head><title>Aid reaches the old city</title>
<meta property="og:site_name" content="Example Wire"></head><body>
<nav>Home | World | Sport | Opinion</nav>
<article><h1>Aid reaches the old city</h1>
<p>A convoy of twelve trucks entered the old city on Tuesday, the relief agency said in a statement.</p>
<p>The agency said the pause had held for a second day and that more convoys were planned for the week.</p>
</article></body></html>"""

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example Wire</title>
<link>{base}/</link><description>news</description>
<item><title>Aid reaches the old city</title><link>{base}/article.html</link>
<pubDate>Tue, 25 Oct 2016 10:00:00 GMT</pubDate></item>
</channel></rss>"""


class Handler(BaseHTTPRequestHandler):
    """Serves the fixture pages; counts requests so tests can check nothing was fetched."""

    requests = 0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        Handler.requests += 1
        base = f"http://{self.headers['Host']}"
        routes = {
            "/article.html": ("text/html; charset=utf-8", ARTICLE.encode()),
            "/feed.xml": ("application/rss+xml", FEED.format(base=base).encode()),
            "/big": ("text/plain", b"x" * 5000),
        }
        if self.path in routes:
            self._send(*routes[self.path])
        elif self.path == "/big-unsized":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
        elif self.path.startswith("/hop"):
            self._redirect(self.path)
        else:
            self.send_error(404)

    def _send(self, content_type: str, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, path: str) -> None:
        targets = {"/hop-ftp": "ftp://example.org/file.txt", "/hop-ok": "/article.html"}
        self.send_response(302)
        self.send_header("Location", targets.get(path, path))  # any other /hop redirects to itself
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, **settings: object) -> list[RawDocument | Rejected]:
    return run(url, allow_private_urls=True, fetch_timeout=5.0, **settings)


def test_web_article_is_fetched_as_html(server: str) -> None:
    doc = only(fetch(f"{server}/article.html"))
    assert isinstance(doc, RawDocument) and doc.media_type == "html" and doc.url == f"{server}/article.html"
    assert "twelve trucks" in doc.text and doc.encoding == "utf-8"


def test_web_feed_yields_its_linked_article_with_entry_metadata(server: str) -> None:
    doc = only(fetch(f"{server}/feed.xml"))
    assert isinstance(doc, RawDocument) and "twelve trucks" in doc.text
    assert (doc.title, doc.outlet, doc.published) == ("Aid reaches the old city", "Example Wire",
                                                      date(2016, 10, 25))


@pytest.mark.parametrize("path", ["/big", "/big-unsized"])
def test_web_body_over_fetch_max_bytes_is_too_large(server: str, path: str) -> None:
    item = only(fetch(server + path, fetch_max_bytes=1000))
    assert isinstance(item, Rejected) and item.reason == RejectReason.TOO_LARGE


def test_web_loopback_refused_without_allow_private_urls(server: str) -> None:
    before = Handler.requests
    item = only(run(f"{server}/article.html"))
    assert isinstance(item, Rejected) and item.reason == RejectReason.FORBIDDEN_URL
    assert Handler.requests == before


@pytest.mark.parametrize("url", ["ftp://example.org/file.txt", "file:///etc/passwd"])
def test_web_non_http_scheme_refused(url: str) -> None:
    item = only(run(url, allow_private_urls=True))
    assert isinstance(item, Rejected) and item.reason == RejectReason.FORBIDDEN_URL


def test_web_redirect_is_followed(server: str) -> None:
    doc = only(fetch(f"{server}/hop-ok"))
    assert isinstance(doc, RawDocument) and doc.url == f"{server}/article.html"


def test_web_redirect_target_is_checked_again(server: str) -> None:
    item = only(fetch(f"{server}/hop-ftp"))
    assert isinstance(item, Rejected) and item.reason == RejectReason.FORBIDDEN_URL


def test_web_redirect_loop_stops_after_five(server: str) -> None:
    item = only(fetch(f"{server}/hop-loop"))
    assert isinstance(item, Rejected) and item.reason == RejectReason.FETCH_FAILED
    assert "redirects" in item.detail


def test_web_http_error_is_fetch_failed(server: str) -> None:
    item = only(fetch(f"{server}/missing"))
    assert isinstance(item, Rejected) and item.reason == RejectReason.FETCH_FAILED and "404" in item.detail
