"""Hostile files: every bad input gets one clear line in the run summary and a `rejected` record with its
reason in the store, the rest of the batch goes through, and the exit code says whether anything was
rejected. Archives are refused by their magic bytes, never opened; huge files are refused unread.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import os
import random
import tarfile
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pausewatch.cli import app
from pausewatch.ingest import ingest
from pausewatch.model import RawDocument, Rejected, RejectReason
from pausewatch.settings import Settings
from pausewatch.store import Store

RNG = random.Random(7)
NOISE = RNG.randbytes(4096)
GOOD = "On Tuesday, October 25, 2016, about {n} civilians left eastern Aleppo through the corridor, the ministry said."
MB = 1024 * 1024


def zipped(name: str, text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


BOMB = gzip.compress(bytes(100 * MB), compresslevel=9)  # 100 MB of zeros in about 100 KB
ZIP = zipped("report.txt", GOOD.format(n=1).encode())

# name -> (content, reason, words the detail must hold)
REJECTED: dict[str | bytes, tuple[bytes, RejectReason, str]] = {
    "empty.txt": (b"", RejectReason.EMPTY, "empty"),
    "blank.md": (b" \n\t\r\n ", RejectReason.EMPTY, "whitespace"),
    "random.bin": (NOISE, RejectReason.BINARY, "binary"),
    "nul_in_text.txt": (b"The truce held.\x00\x00\x00\x01\x02" * 20, RejectReason.BINARY, "binary"),
    "utf16_garbage.txt": (codecs.BOM_UTF16_LE + NOISE, RejectReason.BINARY, "binary"),
    "utf32_garbage.txt": (codecs.BOM_UTF32_LE + NOISE, RejectReason.BINARY, "binary"),
    "utf8_bom_garbage.txt": (codecs.BOM_UTF8 + NOISE, RejectReason.BINARY, "binary"),
    "program.exe": (b"\x7fELF\x02\x01\x01" + NOISE, RejectReason.UNSUPPORTED, "ELF"),
    "scan.pdf": (b"%PDF-1.7\n" + NOISE, RejectReason.UNSUPPORTED, "PDF"),
    "photo.jpeg": (b"\xff\xd8\xff\xe0" + NOISE, RejectReason.UNSUPPORTED, "JPEG"),
    "reports.zip": (ZIP, RejectReason.UNSUPPORTED, "ZIP"),
    "reports_zip.txt": (ZIP, RejectReason.BINARY, "binary"),
    "report.gz": (gzip.compress(GOOD.format(n=2).encode()), RejectReason.UNSUPPORTED, "gzip"),
    "bomb.txt.gz": (BOMB, RejectReason.UNSUPPORTED, "gzip"),
    "bomb.json": (BOMB, RejectReason.BINARY, "binary"),
    "bomb.csv": (BOMB, RejectReason.BINARY, "binary"),
    "reports.tar.xz": (lzma.compress(b"x" * 10_000), RejectReason.BINARY, "binary"),
    "reports.tar.bz2": (bz2.compress(NOISE), RejectReason.BINARY, "binary"),
    "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + NOISE, RejectReason.UNSUPPORTED, "OLE"),
    "truncated.json": (b'{"text": "The pause was ext', RejectReason.MALFORMED, "invalid JSON"),
    "scalar.json": (b'"just a string"', RejectReason.MALFORMED, "string"),
    "null.json": (b"null", RejectReason.MALFORMED, "null"),
    "deep.json": (b"[" * 200_000 + b"]" * 200_000, RejectReason.MALFORMED, "invalid JSON"),
    "empty_list.json": (b"[]", RejectReason.EMPTY, "no records"),
    "text_is_number.json": (b'{"text": 42}', RejectReason.MALFORMED, "number"),
    "text_is_nan.json": (b'{"text": NaN, "title": "x"}', RejectReason.MALFORMED, "number"),
    "no_text.json": (b'{"title": "A headline only"}', RejectReason.NO_TEXT, "no text field"),
    "no_text_column.csv": (b"a,b\n1,2\n", RejectReason.NO_TEXT, "no text column"),
    "header_only.csv": (b"text,outlet\n", RejectReason.EMPTY, "no records"),
    "no_body.html": (b"<html><head><title>x</title></head></html>", RejectReason.NO_TEXT, "no body text"),
    "script_only.html": (b"<html><body><script>var a = 1;</script></body></html>", RejectReason.NO_TEXT,
                         "no body text"),
    "tags_only.htm": (b"<div><span></span><br><hr></div>", RejectReason.NO_TEXT, "no body text"),
}
# files holding several records: the bad records are rejected one by one ("<file>#<n>"), the good stored
PARTLY: dict[str, tuple[bytes, dict[str, RejectReason], int]] = {
    "broken_quote.csv": (b'text,outlet\n"unterminated quote,RT\n', {"#1": RejectReason.MALFORMED}, 0),
    "missing_columns.csv": (f'text,outlet,date\n"{GOOD.format(n=3)}",RT,2016-10-25\nonly one field\n'.encode(),
                            {"#2": RejectReason.MALFORMED}, 1),
    "not_objects.json": (b'[1, "a", null, [2], {"text": "' + GOOD.format(n=4).encode() + b'"}]',
                         {f"#{n}": RejectReason.MALFORMED for n in (1, 2, 3, 4)}, 1),
    "bad_lines.jsonl": (b'{"text": "' + GOOD.format(n=5).encode() + b'"}\n{broken\n[1]\n\n{"body": ""}\n',
                        {"#2": RejectReason.MALFORMED, "#3": RejectReason.MALFORMED, "": RejectReason.EMPTY}, 1),
}
ACCEPTED: dict[str, tuple[bytes, str]] = {  # name -> (content, a phrase its decoded text must hold)
    "utf16le_bom.txt": (codecs.BOM_UTF16_LE + GOOD.format(n=11).encode("utf-16-le"), "11 civilians"),
    "utf16be_bom.txt": (codecs.BOM_UTF16_BE + GOOD.format(n=12).encode("utf-16-be"), "12 civilians"),
    "utf16_no_bom.txt": (GOOD.format(n=13).encode("utf-16-le"), "13 civilians"),
    "utf32.txt": (GOOD.format(n=14).encode("utf-32"), "14 civilians"),
    "utf8_bom.txt": (codecs.BOM_UTF8 + GOOD.format(n=15).encode(), "On Tuesday"),
    "mixed_utf8_latin1.txt": (GOOD.format(n=16).encode() + " Café".encode() + " naïve".encode("latin-1"), "Café"),
    "cp1252.txt": (f"{GOOD.format(n=17)} “quoted” – dash".encode("cp1252"), "“quoted”"),
    "cp1251.txt": ("Около 18 тысяч мирных жителей покинули восточный Алеппо во вторник.".encode("cp1251"),
                   "мирных жителей"),
    "crlf.txt": (GOOD.format(n=19).replace(", ", ",\r\n").encode(), "19 civilians"),
    "cr_only.txt": (GOOD.format(n=20).replace(", ", ",\r").encode(), "20 civilians"),
    "surrogates.json": (b'{"text": "' + GOOD.format(n=21).encode() + b' \\ud800 \\udfff", "title": "T\\udc80"}',
                        "21 civilians"),
    "ansi_escapes.txt": (f"\x1b[31m{GOOD.format(n=22)}\x1b[0m".encode(), "22 civilians"),
}
ODD_NAMES: list[str | bytes] = [
    "with space.txt", "ünïcødé ñame.txt", "cafe\u0301 nfd.txt", "new\nline.txt", "tab\tname.txt",
    "-dash.txt", "--help.txt", "$(touch pwned).txt", "semi;colon|pipe&amp.txt", "quote'\"`.txt",
    "[bold]markup.txt", "\x1b[31mansi.txt", "l" * 250 + ".txt", b"latin1-\xe9.txt", "名前.txt",
    "rtl\u202eexe.txt",
]


def write(folder: Path, name: str | bytes, data: bytes) -> Path:
    """A file whose name may be bytes that are not UTF-8 (os.fsdecode gives the str Python uses)."""
    path = folder / os.fsdecode(name)
    path.write_bytes(data)
    return path


def specials(folder: Path) -> dict[str, tuple[RejectReason, str]]:
    """Files that are not plain bytes: sparse giants, a FIFO, symlink loops; name -> (reason, detail)."""
    for name, size in (("huge_200mb.txt", 200 * MB), ("huge_1gb.txt", 1024 * MB)):
        with (folder / name).open("wb") as handle:
            handle.truncate(size)  # sparse: no disk used, and it must never be read
    os.mkfifo(folder / "pipe.txt")  # reading a FIFO would block the run forever
    os.symlink("self_loop.txt", folder / "self_loop.txt")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    os.symlink("missing_target.txt", folder / "dangling.txt")
    (folder / "sub").mkdir()
    os.symlink("..", folder / "sub" / "up")  # a folder loop: walked once, nothing to reject
    return {"huge_200mb.txt": (RejectReason.TOO_LARGE, "209,715,200 bytes is over max_file_bytes"),
            "huge_1gb.txt": (RejectReason.TOO_LARGE, "1,073,741,824 bytes is over max_file_bytes"),
            "pipe.txt": (RejectReason.UNSUPPORTED, "not a regular file"),
            "self_loop.txt": (RejectReason.UNREADABLE, "symbolic links"),
            "loop_a.txt": (RejectReason.UNREADABLE, "symbolic links"),
            "loop_b.txt": (RejectReason.UNREADABLE, "symbolic links"),
            "dangling.txt": (RejectReason.NOT_FOUND, "no such file")}


def items(*sources: Path | str, **settings: object) -> list[RawDocument | Rejected]:
    return list(ingest([str(s) for s in sources], Settings.model_validate(settings)))


# ---------------------------------------------------------------- ingest, file by file


@pytest.mark.parametrize("name", list(REJECTED), ids=[os.fsdecode(n) for n in REJECTED])
def test_hostile_files_bad_file_is_one_rejection_with_its_reason(tmp_path: Path, name: str) -> None:
    data, reason, words = REJECTED[name]
    path = write(tmp_path, name, data)
    got = items(path)
    if reason == RejectReason.NO_TEXT and path.suffix.startswith(".htm"):
        assert [type(i) for i in got] == [RawDocument]  # markup is read; clean finds no text (see below)
        return
    assert len(got) == 1 and isinstance(got[0], Rejected), got
    assert got[0].reason == reason and words in got[0].detail and "\n" not in got[0].detail


@pytest.mark.parametrize("name", list(PARTLY))
def test_hostile_files_bad_records_are_rejected_alone(tmp_path: Path, name: str) -> None:
    data, bad, good = PARTLY[name]
    path = write(tmp_path, name, data)
    got = items(path)
    rejected = {r.source.removeprefix(str(path)): r.reason for r in got if isinstance(r, Rejected)}
    assert rejected == bad
    assert sum(isinstance(i, RawDocument) for i in got) == good


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_hostile_files_odd_encodings_are_read_as_text(tmp_path: Path, name: str) -> None:
    data, phrase = ACCEPTED[name]
    got = items(write(tmp_path, name, data))
    assert len(got) == 1 and isinstance(got[0], RawDocument), got
    doc = got[0]
    assert phrase in doc.text and "\ufeff" not in doc.text
    for value in (doc.text, doc.title or "", doc.source, doc.name, doc.encoding):
        value.encode("utf-8")  # no lone surrogates: storable and printable as UTF-8


def test_hostile_files_giants_fifo_and_symlink_loops_are_refused_unread(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = specials(tmp_path)
    real_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        assert self.name not in expected, f"{self.name} was opened"
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded_open)
    started = time.monotonic()
    got = items(tmp_path, "/dev/zero")
    assert time.monotonic() - started < 10
    found = {Path(r.source).name: (r.reason, r.detail) for r in got if isinstance(r, Rejected)}
    assert found.pop("zero")[0] == RejectReason.UNSUPPORTED
    assert {name: reason for name, (reason, _) in found.items()} == {n: r for n, (r, _) in expected.items()}
    for name, (_, words) in expected.items():
        assert words in found[name][1], found[name]
    assert not [i for i in got if isinstance(i, RawDocument)]


def test_hostile_files_archives_are_never_decompressed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an archive was opened")

    targets: list[tuple[object, str]] = [(gzip, "decompress"), (gzip, "GzipFile"), (gzip, "open"),
                                         (zlib, "decompress"), (zlib, "decompressobj"), (zipfile, "ZipFile"),
                                         (tarfile, "open"), (lzma, "decompress"), (bz2, "decompress")]
    for module, name in targets:
        monkeypatch.setattr(module, name, refuse)
    archives = [n for n in REJECTED if isinstance(n, str) and any(k in n for k in ("zip", "gz", "bomb", "tar"))]
    for name in archives:
        write(tmp_path, name, REJECTED[name][0])
    got = items(tmp_path)
    assert len(got) == len(archives) and all(isinstance(i, Rejected) for i in got)


# ---------------------------------------------------------------- a whole run: summary, store, exit code


def hostile_folder(root: Path) -> tuple[Path, dict[str, RejectReason], set[str]]:
    """Every hostile file in one folder, beside good reports under odd names; returns the folder, the
    rejections a run must record (source -> reason) and the names of the documents it must store."""
    folder = root / "inbox"
    folder.mkdir()
    expected = {str(folder / n): r for n, (r, _) in specials(folder).items()}
    for name, (data, reason, _) in REJECTED.items():
        expected[str(write(folder, name, data))] = reason
    for name, (data, bad, _) in PARTLY.items():
        path = write(folder, name, data)
        expected.update({f"{path}{where}": reason for where, reason in bad.items()})
    good = folder / "good"
    good.mkdir()
    names = set()
    for number, name in enumerate(ODD_NAMES):
        expected[str(write(folder, name, b""))] = RejectReason.EMPTY  # each odd name also shows in the summary
        path = write(good, name, GOOD.format(n=100 + number).encode())
        names.add(path.name)
    (folder / "a[").mkdir()
    expected[str(write(folder / "a[", "b].txt", b""))] = RejectReason.EMPTY  # "a[/b].txt": a closing tag
    return folder, {source.encode("utf-8", "surrogateescape").decode("utf-8", "replace"): reason
                    for source, reason in expected.items()}, names


def invoke(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["run", *args])
    assert "Traceback" not in result.output, result.output[-3000:]
    return result.exit_code, result.output.splitlines()


def test_hostile_files_run_rejects_each_once_stores_the_rest_and_exits_1(tmp_path: Path) -> None:
    folder, expected, good_names = hostile_folder(tmp_path)
    db = f"sqlite:///{tmp_path / 'hostile.db'}"
    code, lines = invoke(str(folder), "--db", db, "--out", str(tmp_path / "out"))
    assert code == 1
    summary = [line for line in lines if line.startswith("rejected: ")]
    assert len(summary) == len(expected), "\n".join(summary)
    for source, reason in expected.items():
        shown = [line for line in summary if line.startswith(f"rejected: {printable(source)}: {reason}: ")]
        assert len(shown) == 1, (source, reason)
    with Store.open(db) as store:
        stored = {r.source: r.reason for r in store.load_rejections()}
        names = {a.name for a in store.load_articles()}
    assert stored == expected
    assert {n.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for n in good_names} <= names
    assert {"missing_columns.csv#1", "not_objects.json#5", "bad_lines.jsonl#1"} <= names
    assert (tmp_path / "out" / "events.json").exists()


def printable(text: str) -> str:
    """How the summary shows a name: control characters as escapes, so it stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def test_hostile_files_run_without_rejections_exits_0_and_leading_dash_path_needs_double_dash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "-dash.txt", GOOD.format(n=7).encode())
    monkeypatch.chdir(tmp_path)
    code, lines = invoke("--db", "sqlite:///ok.db", "--out", "out", "--", "-dash.txt")
    assert code == 0 and not [line for line in lines if line.startswith("rejected: ")]
    with Store.open("sqlite:///ok.db") as store:
        assert [a.name for a in store.load_articles()] == ["-dash.txt"]


def test_hostile_files_bad_database_url_is_exit_2_without_traceback(tmp_path: Path) -> None:
    write(tmp_path, "good.txt", GOOD.format(n=8).encode())
    code, lines = invoke(str(tmp_path / "good.txt"), "--db", f"sqlite:///{tmp_path}/[/]missing/x.db",
                         "--out", str(tmp_path / "out"))
    assert code == 2 and any("error:" in line for line in lines)
