"""Scale-out gives the results of a plain run: 2 processes, a dask cluster, an incremental re-run."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from datasketch import MinHash, MinHashLSH

from pausewatch.consolidate.syndication import (
    NUM_PERM,
    SEED,
    THRESHOLD,
    find_syndicated,
    find_syndicated_signatures,
    signature,
)
from pausewatch.model import Article, Guess, RawDocument
from pausewatch.pipeline import Pipeline
from pausewatch.runner import run
from pausewatch.scale import Collect, LocalPool, dask_processor, in_process, split
from pausewatch.settings import Settings, load_settings
from pausewatch.store import Store

SEEDS = 3  # seed reports per run: enough for shared events, few enough to parse quickly


def corpus(shared: Path, folder: Path, which: slice = slice(SEEDS)) -> Path:
    """A folder with some of the seed reports, copied at run time (never into the repository)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted((shared / "seeds").glob("*.txt"))[which]:
        shutil.copy(path, folder / path.name)
    return folder


def settings_for(where: Path, **overrides: Any) -> Settings:
    return load_settings(None, db_url=f"sqlite:///{where / 'store.db'}", **overrides)


def run_into(where: Path, sources: Path, **overrides: Any) -> tuple[bytes, dict[str, Any]]:
    """Run over `sources` into a store in `where`; the events.json bytes and the store snapshot."""
    settings = settings_for(where, **overrides)
    run([str(sources)], settings, where / "out")
    return (where / "out" / "events.json").read_bytes(), snapshot(settings)


def snapshot(settings: Settings) -> dict[str, Any]:
    with Store.open(settings.db_url) as store:
        return store.snapshot()


@pytest.fixture(scope="module")
def reports(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One input folder for every run compared (documents record the path they were read from)."""
    return corpus(shared, tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="module")
def plain(reports: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, Any]]:
    return run_into(tmp_path_factory.mktemp("plain"), reports)


def test_scale_two_processes_match_one(reports: Path, tmp_path: Path, plain: tuple[bytes, dict[str, Any]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    chunks: list[int] = []
    pool_submit = LocalPool.submit
    monkeypatch.setattr(LocalPool, "submit", lambda pool, batch: chunks.append(len(batch)) or pool_submit(pool, batch))
    events, rows = run_into(tmp_path, reports, processes=2, batch_size=2)  # several batches through the pool
    assert events == plain[0]
    assert rows == plain[1]
    assert rows["events"], "the seed reports share events"
    assert len(chunks) >= 2 and sum(chunks) >= SEEDS


def test_scale_dask_cluster_matches_plain_run(
    reports: Path, tmp_path: Path, plain: tuple[bytes, dict[str, Any]]
) -> None:
    from dask.distributed import LocalCluster

    settings = settings_for(tmp_path)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, dask_processor(cluster.scheduler_address, settings) as processor:
        run([str(reports)], settings, tmp_path / "out", processor=processor)
    assert (tmp_path / "out" / "events.json").read_bytes() == plain[0]
    assert snapshot(settings) == plain[1]


def test_scale_incremental_rerun_matches_full_run(shared: Path, tmp_path: Path) -> None:
    # The report held back states no year; the first run has one that does (stored reports keep their dates).
    folder = corpus(shared, tmp_path / "in", slice(1, SEEDS))
    settings = settings_for(tmp_path)
    run([str(folder)], settings, tmp_path / "out")
    corpus(shared, folder, slice(0, 1))  # one new report arrives
    summary = run([str(folder)], settings, tmp_path / "out")
    full = tmp_path / "full"
    run_into(full, corpus(shared, full / "in"))
    assert (summary.documents_new, summary.documents_known) == (1, SEEDS - 1)
    assert events_without_ids(settings) == events_without_ids(settings_for(full))


def events_without_ids(settings: Settings) -> list[tuple[Any, ...]]:
    """Events as their content: a re-run keeps the IDs analysts reviewed, a fresh run mints new ones."""
    with Store.open(settings.db_url) as store:
        events = store.load_events()
    return sorted(((str(e.type), e.date, e.place, sorted(m.mention_id for m in e.mentions), e.corroboration,
                    e.figures, e.contested_on, e.sources) for e in events), key=repr)


def test_scale_split_keeps_order_and_balances_length() -> None:
    texts = ["x" * n for n in (500, 10, 10, 10, 480, 5, 5)]
    articles = [Article(f"d{i}", "n", "s", t, None, None, Guess("m", 1.0), None, Guess("m", 0.0))
                for i, t in enumerate(texts)]
    chunks = split(articles, 2)
    assert [a for chunk in chunks for a in chunk] == articles
    assert [len(chunk) for chunk in chunks] == [3, 4]  # 521 and 506 characters
    assert split([], 4) == []


def reference_syndication(texts: list[tuple[str, str]]) -> dict[str, str]:
    """What syndication did before signatures were stored: query and insert into datasketch's MinHashLSH."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    original_of: dict[str, str] = {}
    order: dict[str, int] = {}
    for doc_id, text in texts:
        words = re.findall(r"\w+", text.lower())
        mh = MinHash(num_perm=NUM_PERM, seed=SEED)
        mh.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
        matches = lsh.query(mh)
        if matches:
            first = min(matches, key=order.__getitem__)
            original_of[doc_id] = original_of.get(first, first)
        order[doc_id] = len(order)
        lsh.insert(doc_id, mh)
    return original_of


def near_copies(count: int) -> list[tuple[str, str]]:
    """Texts drawn from a few originals, cut short, padded or with words swapped."""
    rng = random.Random(6)
    vocabulary = [f"w{i}" for i in range(2000)]
    originals = [[rng.choice(vocabulary) for _ in range(rng.randint(0, 200))] for _ in range(count // 5)]
    texts = []
    for number in range(count):
        words = list(rng.choice(originals))
        if number % 3 == 0:
            words = words[: rng.randint(0, len(words))] + rng.sample(vocabulary, 10)
        elif number % 3 == 1:
            words = [w if rng.random() > 0.1 else rng.choice(vocabulary) for w in words]
        texts.append((f"d{number:04d}", " ".join(words)))
    return texts


def test_scale_syndication_from_stored_signatures_matches_minhash_lsh() -> None:
    texts = near_copies(400)
    expected = reference_syndication(texts)
    assert 100 < len(expected) < 400
    assert find_syndicated_signatures((doc_id, signature(text)) for doc_id, text in texts) == expected
    assert find_syndicated(texts) == expected


def test_scale_next_batch_starts_before_the_last_is_stored(reports: Path, tmp_path: Path,
                                                           plain: tuple[bytes, dict[str, Any]]) -> None:
    settings = settings_for(tmp_path, batch_size=1)
    log: list[str] = []
    inner = in_process(Pipeline(settings))

    def logging_processor(raws: list[RawDocument], hint: int | None) -> Collect:
        log.append(f"start {raws[0].name}")
        collect = inner(raws, hint)
        return lambda: log.append(f"collect {raws[0].name}") or collect()

    run([str(reports)], settings, tmp_path / "out", processor=logging_processor)
    starts = [entry for entry in log if entry.startswith("start")]
    first_collect = next(i for i, entry in enumerate(log) if entry.startswith("collect"))
    assert len(starts) == SEEDS and first_collect >= 2 and log[first_collect] == "collect" + starts[0][5:]
    assert (tmp_path / "out" / "events.json").read_bytes() == plain[0]
