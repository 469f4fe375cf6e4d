"""Shared by the benchmarks: corpora written to a temp dir at run time, memory sampling, result files.

Nothing from ../shared is copied into the repository: corpora are generated under a temporary folder
each run and deleted afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results"
FAKES = SHARED / "fakes" / "fakes-dev.csv"
SEEDS = SHARED / "seeds"
MB = 1024 * 1024


def words_of(text: str) -> int:
    return len(text.split())


def one_copy_words() -> int:
    """Words of one copy of the corpus: FA-KES article texts plus the seed reports."""
    rows = _fakes_rows()
    body = rows[0].index("article_content")
    return sum(words_of(r[body]) for r in rows[1:]) + sum(words_of(p.read_text("utf-8")) for p in _seeds())


def write_corpus(dest: Path, min_words: int) -> tuple[list[str], int]:
    """Copies of FA-KES and the seeds until `min_words`; each copy's texts end in a unique line."""
    per_copy = one_copy_words()
    copies = max(1, -(-min_words // per_copy))
    for number in range(copies):
        write_copy(dest / f"copy{number:04d}", f"(benchmark copy {number})")
    return [str(dest)], copies


def write_copy(folder: Path, suffix: str) -> None:
    """One copy: the FA-KES CSV (bytes kept: latin-1 round-trips) and the seed files, suffix appended."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = _fakes_rows()
    body = rows[0].index("article_content")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([*row[:body], f"{row[body]}\n{suffix}", *row[body + 1 :]] for row in rows[1:])
    (folder / "fakes.csv").write_bytes(out.getvalue().encode("latin-1"))
    for path in _seeds():
        (folder / path.name).write_bytes(path.read_bytes() + f"\n{suffix}\n".encode())


def _fakes_rows() -> list[list[str]]:
    text = FAKES.read_bytes().decode("latin-1")
    return list(csv.reader(io.StringIO(text, newline="")))


def _seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


# --- memory -------------------------------------------------------------------------------------


@dataclass
class MemoryPeak:
    """Peaks over a process and its descendants, sampled: summed RSS, summed PSS, largest single RSS."""

    rss: int = 0
    pss: int = 0
    largest: int = 0
    samples: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def sample(self, root: psutil.Process) -> None:
        rss = pss = largest = 0
        for proc in [root, *_children(root)]:
            try:
                info = proc.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            rss, pss, largest = rss + info.rss, pss + getattr(info, "pss", info.rss), max(largest, info.rss)
        self.rss, self.pss, self.largest = max(self.rss, rss), max(self.pss, pss), max(self.largest, largest)
        self.samples += 1

    def as_dict(self) -> dict[str, float]:
        return {"peak_rss_mb": round(self.rss / MB, 1), "peak_pss_mb": round(self.pss / MB, 1),
                "largest_process_rss_mb": round(self.largest / MB, 1), "memory_samples": self.samples}


def _children(root: psutil.Process) -> list[psutil.Process]:
    try:
        return root.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def run_child(args: Sequence[str], interval: float = 0.25) -> tuple[dict[str, Any], MemoryPeak]:
    """Run `python <args>` in a fresh process, sample its process tree's memory, parse its last JSON line."""
    peak = MemoryPeak()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    root = psutil.Process(proc.pid)
    sampler = threading.Thread(target=_sample_until_done, args=(peak, root, proc, interval), daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark child {args} failed with exit code {proc.returncode}")
    return json.loads(out.strip().splitlines()[-1]), peak


def _sample_until_done(peak: MemoryPeak, root: psutil.Process, proc: subprocess.Popen[str], interval: float) -> None:
    while proc.poll() is None:
        peak.sample(root)
        time.sleep(interval)


# --- results ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": sys.version.split()[0], "when": datetime.now(UTC).isoformat(timespec="seconds")}


def write_results(name: str, data: dict[str, Any], table: str) -> tuple[Path, Path]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    json_path, md_path = RESULTS / f"{name}.json", RESULTS / f"{name}.md"
    json_path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    md_path.write_text(table, encoding="utf-8")
    return json_path, md_path


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def emit(result: dict[str, Any]) -> None:
    """A child's answer to its parent: one JSON line on stdout, the last one."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
