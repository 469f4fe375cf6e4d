"""Crash safety, determinism and concurrency of `pausewatch run`, attacked with real processes.

A run killed with SIGKILL anywhere, then restarted, must leave exactly the store and events.json of a
run that was never interrupted; so must a run that crashes inside any of its transactions. The same
reports under other names, in another order, give the same events.json byte for byte. Two runs on one
SQLite store at once both finish and leave the store a single run leaves.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import alembic.command
import pytest

import pausewatch.publish.exports as exports
import pausewatch.store.repository as repository
from pausewatch.runner import run
from pausewatch.settings import load_settings
from pausewatch.store import Store

CORPUS = Path(__file__).parent / "data" / "crash_corpus"
BINARY = bytes(range(256)) * 8  # rejected as binary: the store must keep that rejection too
SEED = 20161020
KILLS = 6
POLL = 0.01


@dataclass(frozen=True)
class Reference:
    """What an uninterrupted run leaves: the store's content and events.json."""

    corpus: Path
    config: Path
    snapshot: dict[str, Any]
    events: bytes
    seconds: float
    documents: int


def make_corpus(folder: Path) -> Path:
    """The test corpus in a fresh folder: twelve reports, a copy of one, an empty and a binary file."""
    shutil.copytree(CORPUS, folder)
    (folder / "z_binary.dat").write_bytes(BINARY)
    return folder


def cli_run(corpus: Path, db: Path, out: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "pausewatch.cli", "run", str(corpus), "--db", f"sqlite:///{db}",
            "--out", str(out), "--config", str(config)]


def finish(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run to the end; exit code 1 because the corpus holds two files that must be rejected."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1 and finished_cleanly(done.stderr), done.stderr[-3000:]
    return done


def finished_cleanly(stderr: str) -> bool:
    """Exit code 1 is also what a traceback gives: the run must have printed its summary."""
    return "Traceback" not in stderr and "events.json" in stderr and "rejected: " in stderr


def snapshot(db: Path) -> dict[str, Any]:
    with Store.open(f"sqlite:///{db}") as store:
        return store.snapshot()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    root = tmp_path_factory.mktemp("reference")
    corpus, config = make_corpus(root / "corpus"), root / "settings.toml"
    config.write_text("batch_size = 2\n", encoding="utf-8")
    started = time.monotonic()
    done = finish(cli_run(corpus, root / "clean.db", root / "out", config), root)
    seconds = time.monotonic() - started
    assert "z_empty.txt" in done.stderr and "z_binary.dat" in done.stderr
    shot = snapshot(root / "clean.db")
    return Reference(corpus, config, shot, (root / "out" / "events.json").read_bytes(), seconds,
                     len(shot["documents"]))


# ---------------------------------------------------------------- SIGKILL at random points


def rows(db: Path, table: str) -> int:
    """Rows committed so far, read without writing (-1 while the table does not exist yet)."""
    if not db.exists():
        return -1
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)) as c:
            return int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # table: one of ours
    except sqlite3.Error:
        return -1


def kill_plan(rng: random.Random, ref: Reference) -> Iterator[tuple[str, float]]:
    """Where kills land, in run order: while starting, after 1-2 more commits (twice), after every document
    is stored (consolidating, publishing), then anywhere in re-runs for as long as kills are wanted."""
    yield "delay", round(rng.uniform(0.2, ref.seconds / 2), 2)
    yield "commits", rng.randint(1, 2)
    yield "commits", rng.randint(1, 2)
    yield "stored", round(rng.uniform(0.0, 1.5), 2)
    while True:
        yield "delay", round(rng.uniform(0.2, ref.seconds / 2), 2)


def trigger(mode: str, value: float, db: Path, ref: Reference) -> Callable[[float], bool]:
    """A test of (seconds since start) that turns true when this kill is due."""
    documents, runs = rows(db, "documents"), rows(db, "runs")
    if mode == "delay":
        return lambda elapsed: elapsed >= value
    if mode == "commits":
        return lambda _: rows(db, "documents") >= documents + value
    return lambda _: rows(db, "runs") > runs and rows(db, "documents") >= ref.documents


def kill_when(command: list[str], cwd: Path, due: Callable[[float], bool], extra: float) -> str:
    """Start a run, SIGKILL it once due (plus `extra` seconds); say what happened."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    try:
        while process.poll() is None:
            if due(time.monotonic() - started):
                time.sleep(extra)
                process.kill()
                process.wait()
                return f"killed after {time.monotonic() - started:.2f} s"
            time.sleep(POLL)
        return f"finished (exit {process.returncode}) before the kill"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_hostile_crash_sigkilled_runs_then_restart_equal_uninterrupted_run(reference: Reference,
                                                                           tmp_path: Path) -> None:
    rng, db, out = random.Random(SEED), tmp_path / "killed.db", tmp_path / "out"
    command = cli_run(reference.corpus, db, out, reference.config)
    log: list[str] = []
    plan = kill_plan(rng, reference)
    while sum("killed" in line for line in log) < KILLS and len(log) < 2 * KILLS:
        mode, value = next(plan)
        before = rows(db, "documents")
        extra = rng.uniform(0.0, 0.1) if mode == "commits" else value if mode == "stored" else 0.0
        outcome = kill_when(command, tmp_path, trigger(mode, value, db, reference), extra)
        log.append(f"{mode}={value}: {before} -> {rows(db, 'documents')} documents, {outcome}")
    print("\n".join(log))  # shown with pytest -s: where each kill landed
    assert sum("killed" in line for line in log) == KILLS, log
    finish(command, tmp_path)
    assert snapshot(db) == reference.snapshot, log
    assert (out / "events.json").read_bytes() == reference.events, log


# ---------------------------------------------------------------- crashes inside each transaction


class Crash(Exception):
    """The injected fault."""


def crash_on_call(target: Any, name: str, number: int) -> Callable[[pytest.MonkeyPatch], None]:
    """A patch making target.name raise Crash on its number-th call (counted from 1)."""
    def apply(monkeypatch: pytest.MonkeyPatch) -> None:
        original, calls = getattr(target, name), iter(range(1, 10_000))

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if next(calls) == number:
                raise Crash(f"{name} call {number}")
            return original(*args, **kwargs)
        monkeypatch.setattr(target, name, wrapper)
    return apply


def fault_points() -> Iterator[tuple[str, Callable[[pytest.MonkeyPatch], None]]]:
    """Inside every write transaction (after its inserts, before commit), and in the steps after."""
    for number in range(1, 14):  # every save_batch: 8 batches as read, 4 of undated reports, 1 syndication
        yield f"save_batch #{number}", crash_on_call(repository, "_upsert_rejections", number)
    yield "replace_events, after its deletes", crash_on_call(repository, "_bulk_insert", 1)
    yield "write_outputs, after two files", crash_on_call(exports, "_write", 3)
    yield "finish_run", crash_on_call(Store, "finish_run", 1)


FAULTS = list(fault_points())


@pytest.mark.parametrize("fault", [f for _, f in FAULTS], ids=[name for name, _ in FAULTS])
def test_hostile_crash_inside_a_transaction_then_rerun_equals_uninterrupted_run(
        reference: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fault: Callable[[pytest.MonkeyPatch], None]) -> None:
    settings = load_settings(reference.config, db_url=f"sqlite:///{tmp_path / 'crashed.db'}")
    with monkeypatch.context() as patch:
        fault(patch)
        with contextlib.suppress(Crash):
            run([str(reference.corpus)], settings, tmp_path / "out")
    run([str(reference.corpus)], settings, tmp_path / "out")
    assert snapshot(tmp_path / "crashed.db") == reference.snapshot
    assert (tmp_path / "out" / "events.json").read_bytes() == reference.events


# ---------------------------------------------------------------- order and concurrency


def test_hostile_order_other_names_and_order_give_same_events_json(reference: Reference, tmp_path: Path) -> None:
    names = sorted(path.name for path in reference.corpus.iterdir())
    random.Random(SEED).shuffle(names)
    shuffled = tmp_path / "shuffled"
    for index, name in enumerate(names):  # new names sort in another order; half go one folder down
        folder = shuffled / ("deeper" if index % 2 else "")
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(reference.corpus / name, folder / f"{index:02d} {name[::-1].replace('.', '_')}{Path(name).suffix}")
    finish(cli_run(shuffled, tmp_path / "shuffled.db", tmp_path / "out", reference.config), tmp_path)
    assert (tmp_path / "out" / "events.json").read_bytes() == reference.events
    shot = snapshot(tmp_path / "shuffled.db")
    for table in ("mentions", "quotes", "events", "event_mentions"):
        assert shot[table] == reference.snapshot[table], table


def test_hostile_concurrent_runs_on_one_sqlite_store_equal_one_run(reference: Reference, tmp_path: Path) -> None:
    """Both runs finish, the store equals one run's, and a reader is answered all along."""
    db = tmp_path / "shared.db"
    commands = [cli_run(reference.corpus, db, tmp_path / f"out{n}", reference.config) for n in (1, 2)]
    processes = [subprocess.Popen(c, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for c in commands]
    reads = 0
    with Store.open(f"sqlite:///{db}") as reader:
        while any(p.poll() is None for p in processes):
            reader.load_events()
            reader.counts()
            reads += 1  # a read that failed would have raised StoreError
            time.sleep(0.05)
    outcomes = [(p.returncode, p.stderr.read() if p.stderr else "") for p in processes]
    assert all(code == 1 and finished_cleanly(err) for code, err in outcomes), [e[-2000:] for _, e in outcomes]
    assert reads > 10
    assert snapshot(db) == reference.snapshot
    for n in (1, 2):
        assert (tmp_path / f"out{n}" / "events.json").read_bytes() == reference.events


# ---------------------------------------------------------------- creating the store


def test_hostile_crash_while_creating_the_store_leaves_nothing_half_made(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "new.db"
    crash_on_call(alembic.command, "stamp", 1)(monkeypatch)  # tables created, version not yet stamped
    with pytest.raises(Crash):
        Store.open(f"sqlite:///{db}")
    monkeypatch.undo()
    with contextlib.closing(sqlite3.connect(db)) as c:
        assert c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []
    with Store.open(f"sqlite:///{db}") as store:
        assert set(store.counts()) >= {"documents", "mentions", "events", "rejections"}


OPEN_AT = """
import sys, time
from pausewatch.store import Store
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
Store.open(sys.argv[2]).close()
"""


def test_hostile_concurrent_openings_of_a_new_store_all_succeed(tmp_path: Path) -> None:
    url, start = f"sqlite:///{tmp_path / 'race.db'}", time.time() + 5  # all wait, then open at once
    processes = [subprocess.Popen([sys.executable, "-c", OPEN_AT, str(start), url], stderr=subprocess.PIPE,
                                  text=True) for _ in range(6)]
    failures = [p.stderr.read()[-1500:] if p.stderr else "" for p in processes if p.wait(timeout=120) != 0]
    assert failures == []
    with contextlib.closing(sqlite3.connect(tmp_path / "race.db")) as c:
        assert c.execute("SELECT count(*) FROM alembic_version").fetchone()[0] == 1
