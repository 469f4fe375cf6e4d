"""Near-duplicates at scale: syndication over 100,000 stored articles, against the datasketch index.

    .venv/bin/python benchmarks/dedup.py                      # 100,000 articles
    .venv/bin/python benchmarks/dedup.py --documents 10000

Synthetic articles (100 to 400 words from a 5,000-word vocabulary) are stored with Store.save_batch, which
takes each one's MinHash as it stores it; one in ten is a planted copy of an earlier article (a new header
and footer, a cut, or one word in ten changed). Then, each in a fresh process sampled for memory:
- "signatures": what runner.refresh_events does now: stream the stored signatures, band them in numpy;
- "datasketch": what it did before: read each text back, MinHash it, query and insert into MinHashLSH.
Both must find the same originals. Recall and precision are measured against the planted copies.
Results: benchmarks/results/dedup.{json,md}.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import emit, machine, markdown_table, run_child, write_results

COPY_EVERY = 10
KEPT = 20_000
BATCH = 1000


def main() -> None:
    args = _parser().parse_args()
    if args.command != "bench":
        emit(CHILDREN[args.command](args.db, args.documents))
        return
    with tempfile.TemporaryDirectory(prefix="pw-dedup-") as tmp:
        db = f"sqlite:///{Path(tmp) / 'store.db'}"
        runs = [_measure(step, db, args.documents) for step in ("store", "signatures", "datasketch")]
    data = {"machine": machine(), "documents": args.documents, "runs": runs, "command": " ".join(sys.argv),
            "same_originals": runs[1]["digest"] == runs[2]["digest"]}
    text = _table(data)
    paths = write_results("dedup", data, text)
    print(text)
    print("written:", *paths)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="bench", choices=("bench", "store", "signatures", "datasketch"))
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    return parser


def _measure(step: str, db: str, documents: int) -> dict[str, Any]:
    result, peak = run_child(["benchmarks/dedup.py", step, "--db", db, "--documents", str(documents)], interval=0.2)
    result.update(peak.as_dict(), step=step)
    print(f"{step:10}: {result['seconds']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB", file=sys.stderr)
    return result


# --- corpus -------------------------------------------------------------------------------------


def texts(count: int) -> Iterator[tuple[str, str]]:
    """(doc_id, text) in doc_id order: every COPY_EVERY-th article is a near copy of an earlier one."""
    rng = random.Random(2016)
    vocabulary = [f"{w}{i}" for i, w in enumerate(["aleppo", "corridor", "truce", "convoy", "strike"] * 1000)]
    kept: list[str] = []
    for number in range(count):
        if number % COPY_EVERY == COPY_EVERY - 1 and kept:
            source = rng.randrange(len(kept))
            yield f"d{number:07d}-copy", _edit(rng, kept[source], vocabulary)
            continue
        text = " ".join(rng.choices(vocabulary, k=rng.randint(100, 400)))
        if len(kept) < KEPT:
            kept.append(text)
        else:  # copies come from a window of recent articles, so memory stays bounded
            kept[rng.randrange(KEPT)] = text
        yield f"d{number:07d}", text


def _edit(rng: random.Random, text: str, vocabulary: list[str]) -> str:
    """What syndication does to a text: a new header and footer, a cut, or a word in ten changed."""
    words = text.split()
    kind = rng.randrange(3)
    if kind == 0:
        words = ["Republished", "from", "our", "partners."] + words + ["Subscribe", "to", "our", "newsletter."]
    elif kind == 1:
        words = words[: max(20, int(len(words) * 0.8))]
    else:
        words = [w if rng.random() > 0.1 else rng.choice(vocabulary) for w in words]
    return " ".join(words)


# --- the steps, each in its own process ---------------------------------------------------------


def _store(db: str, documents: int) -> dict[str, Any]:
    """Store the articles (each save takes its MinHash): the ingest-side cost."""
    from pausewatch.model import Article, Guess
    from pausewatch.store import Store

    start, stored = time.perf_counter(), 0
    with Store.open(db) as store:
        batch: list[Article] = []
        for doc_id, text in texts(documents):
            batch.append(Article(doc_id, doc_id, "synthetic", text, None, None, Guess("none", 0.0), None,
                                 Guess("none", 0.0)))
            if len(batch) == BATCH:
                stored += store.save_batch(batch, [], [], [])
                batch = []
        stored += store.save_batch(batch, [], [], [])
    return {"seconds": round(time.perf_counter() - start, 1), "stored": stored}


def _signatures(db: str, documents: int) -> dict[str, Any]:
    from pausewatch.consolidate.syndication import find_syndicated_signatures
    from pausewatch.runner import _signatures as stored_signatures
    from pausewatch.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        original_of = find_syndicated_signatures(stored_signatures(store))
        return _outcome(original_of, time.perf_counter() - start, documents)


def _datasketch(db: str, documents: int) -> dict[str, Any]:
    from datasketch import MinHashLSH

    from pausewatch import runner  # noqa: F401 - the same imports as "signatures", for comparable memory
    from pausewatch.consolidate.syndication import NUM_PERM, THRESHOLD, _minhash
    from pausewatch.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        original_of: dict[str, str] = {}
        order: dict[str, int] = {}
        for doc_id, _ in store.signatures():
            article = store.load_article(doc_id)
            mh = _minhash(article.text if article else "")
            matches = lsh.query(mh)
            if matches:
                first = min(matches, key=order.__getitem__)
                original_of[doc_id] = original_of.get(first, first)
            order[doc_id] = len(order)
            lsh.insert(doc_id, mh)
        return _outcome(original_of, time.perf_counter() - start, documents)


def _outcome(original_of: dict[str, str], seconds: float, documents: int) -> dict[str, Any]:
    """Time, and how many planted copies were found (recall) and how many finds were planted (precision)."""
    planted = {f"d{n:07d}-copy" for n in range(COPY_EVERY - 1, documents, COPY_EVERY)}
    found = set(original_of)
    hits = len(found & planted)
    return {"seconds": round(seconds, 1), "copies_found": len(original_of), "planted": len(planted),
            "recall": round(hits / max(1, len(planted)), 4), "precision": round(hits / max(1, len(found)), 4),
            "digest": hashlib.sha256(repr(sorted(original_of.items())).encode()).hexdigest()[:16]}


CHILDREN = {"store": _store, "signatures": _signatures, "datasketch": _datasketch}


def _table(data: dict[str, Any]) -> str:
    rows = [(r["step"], data["documents"], r["seconds"], r.get("copies_found", ""), r.get("recall", ""),
             r.get("precision", ""), r["peak_rss_mb"]) for r in data["runs"]]
    header = ("step", "documents", "seconds", "copies found", "recall", "precision", "peak RSS MB")
    verdict = "the same originals" if data["same_originals"] else "DIFFERENT originals"
    return markdown_table(header, rows) + f"\nStored signatures and datasketch's index find {verdict}.\n"


if __name__ == "__main__":
    main()
