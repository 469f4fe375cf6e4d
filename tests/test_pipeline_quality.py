"""End-to-end quality on the real seed gold (../shared/gold/seeds.jsonl), read at run time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pausewatch.eval.report import run_gold
from pausewatch.settings import load_settings

# Floors a little under what the pipeline reaches (see README); a regression fails CI.
FLOORS = {"event_f1": 0.78, "count": 0.9, "date": 0.8, "quote_f1": 0.9, "speaker": 0.9}


@pytest.fixture(scope="module")
def seed_scores(shared: Path) -> dict[str, Any]:
    return run_gold(shared / "gold" / "seeds.jsonl", shared / "seeds", load_settings())


def test_pipeline_event_f1_on_seed_gold(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["events"]["f1"] >= FLOORS["event_f1"]


def test_pipeline_count_and_date_accuracy_on_seed_gold(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["fields"]["count"] >= FLOORS["count"]
    assert seed_scores["fields"]["date"] >= FLOORS["date"]


def test_pipeline_quotes_and_speakers_on_seed_gold(seed_scores: dict[str, Any]) -> None:
    assert seed_scores["quotes"]["f1"] >= FLOORS["quote_f1"]
    assert seed_scores["speaker_accuracy"] >= FLOORS["speaker"]


def test_pipeline_finds_every_event_type_it_is_asked_for(seed_scores: dict[str, Any]) -> None:
    found = {t for t, prf in seed_scores["by_type"].items() if prf["tp"] > 0}
    assert {"pause", "corridor", "evacuation", "strike", "attack", "casualties", "negotiation"} <= found


def test_pipeline_quality_on_the_demo_gold_written_by_another_hand() -> None:
    """The demo corpus has its own gold; a floor there catches rules that only fit the seeds."""
    demo = Path(__file__).resolve().parents[1] / "src" / "pausewatch" / "data" / "demo"
    settings = load_settings()
    settings = settings.model_copy(update={"gazetteers": [*settings.gazetteers, demo / "gazetteer.json"]})
    scores = run_gold(demo / "gold.jsonl", demo / "reports", settings)
    assert scores["events"]["f1"] >= 0.64
    assert scores["fields"]["admin1"] >= 0.9
    assert scores["fields"]["date"] >= 0.54
    assert scores["quotes"]["f1"] >= 0.9
