"""atheris fuzz target for ingest and clean: any bytes under any file name.

The first input byte picks the file name's suffix (so the fuzzer reaches the text, HTML, JSON, JSON Lines,
CSV and sniffing readers), the rest is the file. Any exception, an input that yields nothing, a string
that cannot be written as UTF-8, a rejection without a one-line reason, or a cleaned text line that is
not a line of the input is a finding.

    mkdir -p /tmp/corpus && .venv/bin/python fuzz/fuzz_ingest.py /tmp/corpus fuzz/seeds -max_total_time=600

libFuzzer adds what it finds to the first folder and only reads the others: keep fuzz/seeds out of first
place. tests/test_hostile_fuzz.py runs this for 15 seconds on a copy of the seeds.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["pausewatch"]):
    from pausewatch.clean import clean_article
    from pausewatch.ingest import ingest
    from pausewatch.model import Article, RawDocument, Rejected
    from pausewatch.settings import Settings

SUFFIXES = ("", ".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".xml", ".bin")
SETTINGS = Settings.model_validate({"max_file_bytes": 1_000_000})
FOLDER = Path(tempfile.mkdtemp(prefix="pausewatch-fuzz-"))
atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)


def check(item: RawDocument | Rejected) -> None:
    """Every string storable as UTF-8; a rejection says why on one line; a text document cleans to its lines."""
    for value in (item.source, getattr(item, "text", ""), getattr(item, "name", ""), getattr(item, "detail", "")):
        value.encode("utf-8")
    if isinstance(item, Rejected):
        if not item.detail.strip() or "\n" in item.detail:
            raise AssertionError(f"unclear rejection: {item!r}")
        return
    result = clean_article(item)
    if isinstance(result, Article) and item.media_type == "text":
        lines = set(item.text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        invented = [line for line in result.text.split("\n") if line.strip() and line not in lines]
        if invented:
            raise AssertionError(f"clean invented lines: {invented[:3]!r}")


def test_one_input(data: bytes) -> None:
    suffix = SUFFIXES[data[0] % len(SUFFIXES)] if data else ""
    path = FOLDER / f"input{suffix}"
    path.write_bytes(data[1:])
    items = list(ingest([str(path)], SETTINGS))
    if not items:
        raise AssertionError("a file vanished without a record")
    for item in items:
        check(item)
    path.unlink()


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
