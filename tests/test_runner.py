"""The main job end to end on the seeds: outputs written, and a re-run changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pausewatch.cli import app
from pausewatch.runner import run
from pausewatch.settings import load_settings
from pausewatch.store import Store


def test_runner_rerun_on_same_input_changes_nothing(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    first = run([str(shared / "seeds")], settings, tmp_path / "out1")
    with Store.open(settings.db_url) as store:
        before = store.snapshot()
    second = run([str(shared / "seeds")], settings, tmp_path / "out2")
    with Store.open(settings.db_url) as store:
        after = store.snapshot()
    assert first.documents_new == 5 and second.documents_new == 0
    assert before == after
    assert (tmp_path / "out1" / "events.json").read_bytes() == (tmp_path / "out2" / "events.json").read_bytes()


def test_runner_reports_the_seed_contradiction_on_strikes(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    run([str(shared / "seeds")], settings, tmp_path / "out")
    events = json.loads((tmp_path / "out" / "events.json").read_text())
    strikes = [e for e in events if e["type"] == "strike" and e["corroboration"] == "contested"]
    assert strikes, "a denied strike and a reported strike on Aleppo should be one contested event"


def test_cli_extract_prints_gold_format(shared: Path) -> None:
    result = CliRunner().invoke(app, ["extract", str(shared / "seeds" / "002_0427d447e2cde768.txt")])
    assert result.exit_code == 0
    record = json.loads(result.stdout.splitlines()[0])
    assert record["doc"] == "002_0427d447e2cde768.txt"
    assert {"type", "date", "admin1", "count", "claimed_by", "polarity", "status", "evidence"} <= set(
        record["events"][0]
    )
    assert any(q["speaker"] for q in record["quotes"])


def test_cli_run_user_error_has_no_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["run", str(tmp_path / "missing.txt"), "--db", "mysql://nowhere/x", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
