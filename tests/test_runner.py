"""The main job end to end on the seeds: outputs written, and a re-run changes nothing."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from pausewatch import runner
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


def test_runner_rerun_with_nothing_new_keeps_the_outputs_it_made(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    out = tmp_path / "out"
    first = run([str(shared / "seeds")], settings, out)
    stamps = {name: path.stat().st_mtime_ns for name, path in first.outputs.items()}
    second = run([str(shared / "seeds")], settings, out)
    assert (second.events, second.contradictions) == (first.events, first.contradictions) and second.events
    assert {name: path.stat().st_mtime_ns for name, path in second.outputs.items()} == stamps


def test_runner_rewrites_outputs_when_one_is_gone_or_the_title_changes(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    out = tmp_path / "out"
    first = run([str(shared / "seeds")], settings, out)
    (out / "events.csv").unlink()
    run([str(shared / "seeds")], settings, out)
    assert (out / "events.csv").read_bytes() and first.outputs["events.csv"].exists()
    run([str(shared / "seeds")], settings, out, title="Night desk")
    assert "Night desk" in (out / "briefing.html").read_text(encoding="utf-8")


def test_runner_republishes_when_an_analyst_reviews(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    out = tmp_path / "out"
    run([str(shared / "seeds")], settings, out)
    event_id = json.loads((out / "events.json").read_text())[0]["event_id"]
    with Store.open(settings.db_url) as store:
        store.add_review(event_id, "grade", "ana", grade="confirmed", note="checked by phone")
    run([str(shared / "seeds")], settings, out)
    assert "checked by phone" in (out / "briefing.html").read_text(encoding="utf-8")


def test_runner_mentions_read_ahead_are_dropped_if_another_writer_added_some(shared: Path, tmp_path: Path) -> None:
    settings = load_settings(None, db_url=f"sqlite:///{tmp_path / 'pw.db'}")
    run([str(shared / "seeds" / name) for name in sorted(os.listdir(shared / "seeds"))[:2]], settings, tmp_path / "o")
    with Store.open(settings.db_url) as store:
        stored = runner._StoredMentions(store)
        stored([])
        assert stored.all() == store.load_mentions()
        mention = store.load_mentions()[0]
        article = store.load_article(mention.doc_id)
        assert article is not None
        other = dataclasses.replace(article, doc_id="f" * 64)
        store.save_batch([other], [dataclasses.replace(mention, doc_id=other.doc_id)], [], [])
        assert stored.all() is None  # read again in full by refresh_events
