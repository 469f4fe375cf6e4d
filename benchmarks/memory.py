"""Streaming: peak memory of a whole run over 1,000 and over 100,000 tiny reports.

    .venv/bin/python benchmarks/memory.py                    # 1,000 and 100,000 reports, 2 processes
    .venv/bin/python benchmarks/memory.py --sizes 1000 10000 --processes 1

Each report is one dated sentence (an event, a town, a count) in its own text file, generated in a
temporary folder. Each size runs `runner.run` in a fresh process (fresh SQLite store, exports written);
the process tree is sampled for memory. Memory should stay flat: the run reads, parses and stores in
batches, and syndication reads stored signatures, not texts. Results: benchmarks/results/memory.{json,md}.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    PHASES,
    emit,
    machine,
    markdown_table,
    own_peak_mb,
    run_child,
    time_phases,
    write_results,
    write_tiny_reports,
)


def main() -> None:
    args = _parser().parse_args()
    if args.command == "child":
        emit(_child(Path(args.folder), Path(args.work), args.processes))
        return
    runs = [_measure(size, args.processes) for size in args.sizes]
    small, large = runs[0], runs[-1]
    summary = {"rss_ratio": round(large["peak_rss_mb"] / small["peak_rss_mb"], 3),
               "main_process_ratio": round(large["ru_maxrss_self_mb"] / small["ru_maxrss_self_mb"], 3)}
    data = {"machine": machine(), "runs": runs, "summary": summary, "command": " ".join(sys.argv)}
    text = _table(runs, summary)
    paths = write_results("memory", data, text)
    print(text)
    print("written:", *paths)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="bench", choices=("bench", "child"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000], help="reports per run")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (Settings.processes)")
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    return parser


def _measure(size: int, processes: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="pw-memory-") as tmp:
        folder, work = Path(tmp) / "reports", Path(tmp) / "work"
        words = write_tiny_reports(folder, size)
        work.mkdir()
        args = ["benchmarks/memory.py", "child", "--folder", str(folder), "--work", str(work),
                "--processes", str(processes)]
        result, peak = run_child(args, interval=0.5)
    result.update(peak.as_dict(), reports=size, words=words, processes=processes)
    print(f"{size:>7} reports: {result['seconds']:.0f} s, peak RSS {result['peak_rss_mb']:.0f} MB "
          f"(main process {result['ru_maxrss_self_mb']:.0f} MB)", file=sys.stderr)
    return result


def _child(folder: Path, work: Path, processes: int) -> dict[str, Any]:
    from pausewatch import runner
    from pausewatch.settings import load_settings

    phases = time_phases(runner)
    settings = load_settings(None, db_url=f"sqlite:///{work / 'store.db'}", processes=processes)
    start = time.perf_counter()
    summary = runner.run([str(folder)], settings, work / "out")
    elapsed = time.perf_counter() - start
    return {"seconds": round(elapsed, 1), "documents_new": summary.documents_new, "events": summary.events,
            "rejected": len(summary.rejected), "ru_maxrss_self_mb": own_peak_mb(), "phases": phases}


def _table(runs: list[dict[str, Any]], summary: dict[str, float]) -> str:
    rows = [(r["reports"], r["words"], r["processes"], r["seconds"], r["events"], r["peak_rss_mb"], r["peak_pss_mb"],
             r["ru_maxrss_self_mb"]) for r in runs]
    header = ("reports", "words", "processes", "seconds", "events", "peak RSS MB (sum)", "peak PSS MB",
              "main process peak MB")
    stages = [(r["reports"], *(f"{r['phases'].get(p, '')} s / {r['phases'].get(p + '_peak_mb', '')} MB"
                               for p in PHASES)) for r in runs]
    return markdown_table(header, rows) + (
        f"\nPeak RSS, largest run / smallest run: {summary['rss_ratio']}x "
        f"(main process alone: {summary['main_process_ratio']}x).\n"
        "\nMain process, per stage: seconds / peak MB at the end of the stage:\n\n"
    ) + markdown_table(("reports", *PHASES), stages)


if __name__ == "__main__":
    main()
