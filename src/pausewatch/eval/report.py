"""Run the pipeline over an evaluation set and print the scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..errors import PausewatchError
from ..extract_cmd import extract_records
from ..settings import Settings
from .gold import load_jsonl, score

console = Console()


def run_gold(gold_path: Path, texts_dir: Path, settings: Settings) -> dict[str, Any]:
    """Extract every document the gold file names and score it."""
    if not gold_path.is_file():
        raise PausewatchError(f"gold file {gold_path} not found")
    gold = load_jsonl(gold_path)
    paths = [texts_dir / g["doc"] for g in gold]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise PausewatchError(f"gold documents not found (use --texts DIR): {', '.join(missing[:3])}")
    records, _ = extract_records([str(p) for p in paths], settings)
    texts = {p.name: p.read_bytes().decode("utf-8", "replace") for p in paths}
    report = score(gold, {r["doc"]: r for r in records}, texts)
    result = report.as_dict()
    result["documents"] = len(gold)
    result["worst"] = report.misses
    return result


def print_gold(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: v for k, v in result.items() if k != "worst"}, indent=2))
        return
    table = Table(title=f"events ({result['documents']} documents)")
    for column in ("type", "precision", "recall", "f1", "tp", "fp", "fn"):
        table.add_column(column, justify="right" if column != "type" else "left")
    for name, prf in [("ALL", result["events"]), *result["by_type"].items()]:
        table.add_row(name, *(str(prf[k]) for k in ("precision", "recall", "f1", "tp", "fp", "fn")))
    console.print(table)
    fields = Table(title="field accuracy on matched events")
    fields.add_column("field")
    fields.add_column("accuracy", justify="right")
    for name, value in result["fields"].items():
        fields.add_row(name, f"{value:.3f}")
    console.print(fields)
    q = result["quotes"]
    console.print(f"quotes: P {q['precision']:.3f} R {q['recall']:.3f} F1 {q['f1']:.3f}; "
                  f"speaker accuracy {result['speaker_accuracy']:.3f}")


def run_fakes(path: Path, settings: Settings, predictions: Path | None) -> dict[str, Any]:
    from .fakes import evaluate_fakes

    return evaluate_fakes(path, settings, predictions)


def print_fakes(result: dict[str, Any], as_json: bool) -> None:
    from .fakes import render_fakes

    if as_json:
        print(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}, indent=2))
    else:
        render_fakes(result, console)
