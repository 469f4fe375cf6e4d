"""Property tests over the parsers and cleaners that tests/test_ingest.py and tests/test_clean.py leave
out: any bytes under any file name, generated JSON, JSON Lines and CSV, HTML, line endings, UTF-16 text,
surrogates and NUL on their way to the store; plus the atheris fuzz target for ingest, run for a bounded
time (fuzz/fuzz_ingest.py).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pausewatch.clean import clean_article, guess_outlet, guess_published
from pausewatch.ingest import ingest
from pausewatch.ingest.decode import decode_bytes
from pausewatch.model import Article, Guess, RawDocument, Rejected, RejectReason, sha256_hex
from pausewatch.settings import Settings
from pausewatch.store import Store

SUFFIXES = ["", ".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".bin"]
WORDS = ["truce", "Aleppo", "corridor", "civilians", "said", "the", "ministry", "Tuesday", "convoy", "12",
         "<script>", "&amp;", "Comments", "READ MORE", "Home | News", "\u202e", "\x00", "\ufeff", "\r"]
FUZZ = Path(__file__).resolve().parents[1] / "fuzz"
SETTINGS = Settings.model_validate({"max_file_bytes": 1_000_000})
FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def ingest_file(folder: Path, name: str, data: bytes) -> list[RawDocument | Rejected]:
    for old in folder.iterdir():
        old.unlink()
    (folder / name).write_bytes(data)
    return list(ingest([str(folder / name)], SETTINGS))


def check_items(got: list[RawDocument | Rejected]) -> None:
    """At least one item; every string storable as UTF-8; every rejection one line with a reason."""
    assert got, "a source vanished without a record"
    for item in got:
        for value in (item.source, getattr(item, "text", ""), getattr(item, "name", ""),
                      getattr(item, "title", None) or "", getattr(item, "detail", "")):
            value.encode("utf-8")
        if isinstance(item, Rejected):
            assert isinstance(item.reason, RejectReason) and item.detail.strip() and "\n" not in item.detail


# ---------------------------------------------------------------- any bytes, any name


@FEW
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUFFIXES))
@example(data=b"\xff\xfe" + bytes(range(256)), suffix=".json")
@example(data=b'{"text": "\\ud800"}', suffix=".json")
@example(data=b"text\n\"\x00", suffix=".csv")
def test_hostile_fuzz_any_bytes_under_any_suffix(workdir: Path, data: bytes, suffix: str) -> None:
    check_items(ingest_file(workdir, f"file{suffix}", data))


# ---------------------------------------------------------------- generated structures

TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\ud800", "\udfff", "\x00"]), max_size=80)
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)
RECORD = st.fixed_dictionaries({"text": TEXT}, optional={"title": TEXT, "outlet": TEXT | JSON, "date": TEXT,
                                                         "url": TEXT, "extra": JSON})


def scrubbed(text: str) -> str:
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


@FEW
@given(value=JSON | RECORD | st.lists(RECORD | JSON, max_size=5))
def test_hostile_fuzz_json_of_any_shape(workdir: Path, value: object) -> None:
    got = ingest_file(workdir, "doc.json", json.dumps(value).encode())
    check_items(got)
    if isinstance(value, dict) and "text" in value and isinstance(value["text"], str) and value["text"].strip():
        assert [item.text for item in got if isinstance(item, RawDocument)] == [scrubbed(value["text"])]


@FEW
@given(lines=st.lists(st.one_of(RECORD.map(json.dumps), TEXT.filter(lambda t: "\n" not in t)), max_size=8))
def test_hostile_fuzz_jsonl_gives_one_item_per_line(workdir: Path, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    got = ingest_file(workdir, "docs.jsonl", data)
    check_items(got)
    file_level = len(got) == 1 and isinstance(got[0], Rejected) and got[0].reason in (
        RejectReason.EMPTY, RejectReason.BINARY)
    assert file_level or len(got) == sum(1 for line in data.decode("utf-8", "replace").split("\n") if line.strip())


CELL = st.text(st.characters(codec="utf-8", exclude_categories=["Cc"], include_characters="\n\r\t"), max_size=40)


@FEW
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=4), max_size=6), columns=st.integers(2, 4))
def test_hostile_fuzz_csv_loses_no_row(workdir: Path, rows: list[list[str]], columns: int) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["text", "outlet", "date", "other"][:columns])
    writer.writerows(rows)
    got = ingest_file(workdir, "table.csv", buffer.getvalue().encode("utf-8"))
    check_items(got)
    if not rows:
        assert [(type(i), getattr(i, "reason", None)) for i in got] == [(Rejected, RejectReason.EMPTY)]
        return
    assert len(got) == len(rows)  # one document or one rejection per row (the writer quotes a lone "")
    for row, item in zip(rows, got, strict=True):
        if isinstance(item, RawDocument):
            assert len(row) == columns and item.text == row[0]


# ---------------------------------------------------------------- cleaning

MARKUP = st.recursive(st.lists(st.sampled_from(WORDS[:10]), min_size=1, max_size=6).map(" ".join),
                      lambda inner: st.tuples(st.sampled_from(["p", "div", "article", "nav", "script", "h1", "li",
                                                               "span", "footer", "table"]), st.lists(inner, max_size=3))
                      .map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"), max_leaves=15)


def subsequence(small: str, large: str) -> bool:
    rest = iter(large)
    return all(char in rest for char in small)


@FEW
@given(body=MARKUP, wrap=st.booleans())
def test_hostile_fuzz_html_clean_never_raises_nor_invents_text(body: str, wrap: bool) -> None:
    """Cleaning only drops: the article's characters (spacing aside) are the page's text, in order.
    (Words may be glued: trafilatura reads "<p>truce<article>truce</article></p>" as "trucetruce".)"""
    markup = f"<html><head><title>t</title></head><body>{body}</body></html>" if wrap else body
    raw = RawDocument(sha256_hex(markup.encode()), "x.html", "x.html", markup, "html", "utf-8")
    result = clean_article(raw)
    if isinstance(result, Rejected):
        assert result.reason == RejectReason.NO_TEXT
        return
    page_text = re.sub(r"\s+", "", re.sub(r"<[^>]*>", "", markup))
    assert subsequence(re.sub(r"\s+", "", result.text), page_text)


LINES = st.lists(st.one_of(st.sampled_from(WORDS).map(lambda w: f"The {w} held on Tuesday, the UN said."),
                           st.text(st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=50)),
                 max_size=12)


@FEW
@given(lines=LINES, ending=st.sampled_from(["\r\n", "\r"]))
def test_hostile_fuzz_clean_does_not_depend_on_line_endings(lines: list[str], ending: str) -> None:
    def clean(text: str) -> Article | Rejected:
        return clean_article(RawDocument("0" * 64, "x.txt", "x.txt", text, "text", "utf-8"))
    unix, other = clean("\n".join(lines)), clean(ending.join(lines))
    assert type(unix) is type(other)
    if isinstance(unix, Article) and isinstance(other, Article):
        assert (unix.text, unix.published, unix.outlet) == (other.text, other.published, other.outlet)


@FEW
@given(text=st.text(st.characters(codec="utf-8"), max_size=300), hint=st.none() | st.integers(1990, 2035))
def test_hostile_fuzz_guessers_never_raise(text: str, hint: int | None) -> None:
    published, how = guess_published(text, hint, today=date(2030, 1, 1))
    assert isinstance(how, Guess) and 0.0 <= how.confidence <= 1.0
    assert published is None or isinstance(published, date)
    outlet, how = guess_outlet(text, text.split("\n")[:3], url=text[:50] or None)
    assert outlet is None or isinstance(outlet, str)


# ---------------------------------------------------------------- decoding and storing

READABLE = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\ufeff"),
                   min_size=1, max_size=300).filter(str.strip)


@FEW
@given(text=READABLE, codec=st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_hostile_fuzz_utf16_and_utf32_text_with_bom_reads_exactly(text: str, codec: str) -> None:
    """Real text in any script is never taken for the random bytes the binary test looks for."""
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
           "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec]
    decoded = decode_bytes(bom + text.encode(codec))
    assert decoded != RejectReason.BINARY and decoded[0] == text


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path_factory.mktemp('store') / 'fuzz.db'}") as opened:
        yield opened


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT.filter(str.strip))
def test_hostile_fuzz_store_keeps_every_offset_of_unstorable_text(store: Store, text: str) -> None:
    doc_id = sha256_hex(text.encode("utf-8", "surrogatepass"))
    article = Article(doc_id, text, text, text, text, text, Guess("none", 0.0), None, Guess("none", 0.0))
    store.save_batch([article], [], [], [Rejected(text, RejectReason.EMPTY, text, doc_id)])
    loaded = store.load_article(doc_id)
    assert loaded is not None and len(loaded.text) == len(text)
    assert loaded.text == re.sub("[\x00\ud800-\udfff]", "\ufffd", text)


# ---------------------------------------------------------------- atheris


def test_hostile_fuzz_atheris_target_runs_clean_for_a_bounded_time(tmp_path: Path) -> None:
    """libFuzzer-guided, coverage-instrumented fuzzing of ingest and clean: 15 seconds, no finding."""
    if not sys.platform.startswith("linux"):
        pytest.skip("atheris ships wheels for Linux only")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in (FUZZ / "seeds").iterdir():
        (corpus / seed.name).write_bytes(seed.read_bytes())
    command = [sys.executable, str(FUZZ / "fuzz_ingest.py"), str(corpus), "-max_total_time=15",
               "-max_len=4096", "-rss_limit_mb=2048", f"-artifact_prefix={tmp_path}/", "-print_final_stats=1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    assert done.returncode == 0, done.stderr[-4000:]
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
    assert runs and int(runs.group(1)) > 500, done.stderr[-2000:]
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
