"""Incremental runs: a second run over the same folder with 1% new documents, against the first run.

    .venv/bin/python benchmarks/incremental.py                   # >= 1,000,000 words, 2 processes
    .venv/bin/python benchmarks/incremental.py --words 200000 --processes 1

The corpus is the throughput corpus (FA-KES and the seeds, copied until --words). Each run is a fresh
process that does what `pausewatch run FOLDER` does (runner.run into one SQLite store, exports written),
timed from process start to exit, so start-up counts. Run 1 reads everything; then 1% more documents
(FA-KES rows with a new last line) are added to the folder; run 2 must parse only those. A third run with
nothing new shows the fixed cost of a re-run. Results: benchmarks/results/incremental.{json,md}.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    PHASES,
    emit,
    fakes_rows,
    machine,
    markdown_table,
    run_child,
    time_phases,
    write_corpus,
    write_results,
)

SHARE = 0.01


def main() -> None:
    args = _parser().parse_args()
    if args.command == "child":
        emit(_child(Path(args.corpus), args.db, Path(args.out), args.processes))
        return
    with tempfile.TemporaryDirectory(prefix="pw-incremental-") as tmp:
        corpus, db = Path(tmp) / "corpus", f"sqlite:///{Path(tmp) / 'store.db'}"
        write_corpus(corpus, args.words)
        first = _measure("first run", corpus, db, Path(tmp), args.processes)
        added = add_new_documents(corpus / "new", round(first["documents_read"] * SHARE))
        second = _measure(f"+{added} new documents", corpus, db, Path(tmp), args.processes)
        third = _measure("nothing new", corpus, db, Path(tmp), args.processes)
    runs = [first, second, third]
    summary = {"added": added, "ratio_second_to_first": round(second["wall_seconds"] / first["wall_seconds"], 4),
               "second_parsed_only_new": second["documents_new"] == added}
    data = {"machine": machine(), "words_requested": args.words, "runs": runs, "summary": summary,
            "command": " ".join(sys.argv)}
    text = _table(runs, summary)
    paths = write_results("incremental", data, text)
    print(text)
    print("written:", *paths)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="bench", choices=("bench", "child"))
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size, at least (default 1M)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (Settings.processes)")
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser


def add_new_documents(folder: Path, count: int) -> int:
    """`count` FA-KES rows (cycling) whose texts end with a line no other copy has: new documents."""
    rows = fakes_rows()
    body = rows[0].index("article_content")
    fresh = [rows[1 + n % (len(rows) - 1)] for n in range(count)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([*r[:body], f"{r[body]}\n(new document {n})", *r[body + 1 :]] for n, r in enumerate(fresh))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "new.csv").write_bytes(out.getvalue().encode("latin-1"))
    return count


def _measure(label: str, corpus: Path, db: str, tmp: Path, processes: int) -> dict[str, Any]:
    args = ["benchmarks/incremental.py", "child", "--corpus", str(corpus), "--db", db, "--out", str(tmp / "out"),
            "--processes", str(processes)]
    start = time.perf_counter()
    result, peak = run_child(args, interval=0.5)
    result.update(peak.as_dict(), label=label, wall_seconds=round(time.perf_counter() - start, 1))
    print(f"{label:24}: {result['wall_seconds']:.1f} s, {result['documents_new']} new", file=sys.stderr)
    return result


def _child(corpus: Path, db: str, out: Path, processes: int) -> dict[str, Any]:
    from pausewatch import runner
    from pausewatch.settings import load_settings

    phases = time_phases(runner)
    settings = load_settings(None, db_url=db, processes=processes)
    start = time.perf_counter()
    summary = runner.run([str(corpus)], settings, out)
    return {"run_seconds": round(time.perf_counter() - start, 1), "documents_read": summary.documents_read,
            "documents_new": summary.documents_new, "events": summary.events, "phase_seconds": phases}


def _table(runs: list[dict[str, Any]], summary: dict[str, Any]) -> str:
    rows = [(r["label"], r["documents_read"], r["documents_new"], r["wall_seconds"],
             *(r["phase_seconds"].get(p, "") for p in PHASES), r["peak_rss_mb"]) for r in runs]
    header = ("run", "documents read", "parsed", "wall s (process)", *PHASES, "peak RSS MB")
    return markdown_table(header, rows) + (
        f"\nSecond run / first run: {summary['ratio_second_to_first']:.1%} of the time; "
        f"it parsed only the new documents: {summary['second_parsed_only_new']}.\n")



if __name__ == "__main__":
    main()
