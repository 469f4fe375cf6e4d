"""Shared by the benchmarks: corpora written to a temp dir at run time, memory sampling, result files.

Nothing from ../shared is copied into the repository: corpora are generated under a temporary folder
each run and deleted afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import psutil

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "benchmarks" / "results"
FAKES = SHARED / "fakes" / "fakes-dev.csv"
SEEDS = SHARED / "seeds"
MB = 1024 * 1024
T = TypeVar("T")


def words_of(text: str) -> int:
    return len(text.split())


def one_copy_words() -> int:
    """Words of one copy of the corpus: FA-KES article texts plus the seed reports."""
    rows = fakes_rows()
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
    rows = fakes_rows()
    body = rows[0].index("article_content")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rows[0])
    writer.writerows([*row[:body], f"{row[body]}\n{suffix}", *row[body + 1 :]] for row in rows[1:])
    (folder / "fakes.csv").write_bytes(out.getvalue().encode("latin-1"))
    for path in _seeds():
        (folder / path.name).write_bytes(path.read_bytes() + f"\n{suffix}\n".encode())


def fakes_rows() -> list[list[str]]:
    text = FAKES.read_bytes().decode("latin-1")
    return list(csv.reader(io.StringIO(text, newline="")))


def _seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


# --- tiny synthetic reports -------------------------------------------------------------------

TOWNS = (
    "Aleppo", "Homs", "Idlib", "Douma", "Daraa", "Raqqa", "Hama", "Latakia", "Palmyra", "Manbij", "Kobani",
    "Afrin", "Madaya", "Zabadani", "Jobar", "Harasta", "Saraqib", "Tartus", "Qamishli", "Hasakah", "Daraya",
    "Talbiseh",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)
REPORTS = (
    "Shelling hit {town} on {weekday}, killing {n} civilians, monitors said.",
    "About {n} civilians left {town} through a humanitarian corridor, the ministry said.",
    "Air strikes hit {town}, wounding {n} people, a rescue worker told reporters.",
    "An aid convoy of {n} trucks reached {town}, the UN said.",
    "Rebels released {n} hostages in {town} under a truce, officials said.",
    "Clashes near {town} ended a three-day pause; {n} fighters were killed.",
)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def tiny_report(number: int) -> str:
    """A one-sentence dispatch with a dateline, unique to `number`: an event, a place, a count, a date."""
    rng = random.Random(number)
    town, month, day, year = rng.choice(TOWNS), rng.choice(MONTHS), rng.randint(1, 28), rng.randint(2012, 2018)
    body = rng.choice(REPORTS).format(town=town, weekday=rng.choice(WEEKDAYS), n=rng.randint(2, 900))
    return f"{town.upper()}, {month} {day}, {year} - {body}\nDispatch {number}.\n"


def write_tiny_reports(folder: Path, count: int, start: int = 0) -> int:
    """`count` tiny reports as text files; returns their words."""
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for number in range(start, start + count):
        text = tiny_report(number)
        (folder / f"r{number:07d}.txt").write_text(text, encoding="utf-8")
        words += words_of(text)
    return words


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


def tree_cpu_seconds() -> float:
    """CPU time of this process, its finished children, and its live descendants (pool workers)."""
    import resource

    own = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    live = 0.0
    for proc in _children(psutil.Process()):
        try:
            times = proc.cpu_times()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        live += times.user + times.system
    return own + live


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


PHASES = ("ingest_into_store", "refresh_events", "build_briefing", "write_outputs")


def time_phases(runner: Any) -> dict[str, float]:
    """Wrap the runner's stages so that the run reports where its time went and this process's peak
    memory at the end of each stage ("<stage>_peak_mb"; the peak only grows)."""
    phases: dict[str, float] = {}
    for name in PHASES:
        setattr(runner, name, _phase(getattr(runner, name), name, phases))
    return phases


def _phase(function: Callable[..., T], name: str, phases: dict[str, float]) -> Callable[..., T]:
    def timed(*args: Any, **kwargs: Any) -> T:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[name] = round(phases.get(name, 0.0) + time.perf_counter() - start, 2)
            phases[f"{name}_peak_mb"] = own_peak_mb()

    return timed


def own_peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux reports KiB


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
