"""Store behaviour on SQLite and PostgreSQL alike (the db_url fixture in conftest.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, column, create_engine, event, inspect, select, table, update

from pausewatch.errors import StoreError
from pausewatch.model import (
    Article,
    Corroboration,
    Count,
    CountPart,
    Event,
    EventType,
    FigureRange,
    Guess,
    Mention,
    Place,
    Polarity,
    Precision,
    Qualifier,
    QuoteRecord,
    Rejected,
    RejectReason,
    Status,
    sha256_hex,
)
from pausewatch.store import Store
from pausewatch.store.repository import upgrade_head
from pausewatch.store.schema import Base, RejectionRow

INJECTIONS = ["'; DROP TABLE documents; --", '" OR 1=1 --', "Robert'); DROP TABLE mentions;--", "\\'; --"]
ALEPPO = Place("east Aleppo", "Aleppo", "Aleppo Governorate", "SY", 36.2, 37.16, Precision.TOWN)


def make_article(doc_id: str, outlet: str | None = "Outlet A", text: str = "A test report.") -> Article:
    return Article(
        doc_id=doc_id,
        name=f"{doc_id}.txt",
        source=f"/tmp/{doc_id}.txt",
        text=text,
        title="A test report",
        outlet=outlet,
        outlet_guess=Guess("byline", 0.9),
        published=dt.date(2016, 10, 20),
        published_guess=Guess("dateline", 0.7),
        url=None,
        removed=("READ MORE",),
        meta={"encoding": "utf-8", "media_type": "text"},
    )


def make_mention(doc_id: str, start: int, **changes: Any) -> Mention:
    base = Mention(
        doc_id=doc_id,
        type=EventType.EVACUATION,
        claimed_by="Ministry A",
        polarity=Polarity.ASSERTED,
        status=Status.HAPPENED,
        evidence="About 40 people left.",
        span=(start, start + 21),
        outlet="Outlet A",
        published=dt.date(2016, 10, 20),
        date=dt.date(2016, 10, 19),
        place=ALEPPO,
        actor="Ministry A",
        target="civilians",
        count=Count(40, 36, 44, Qualifier.ABOUT, "people", "About 40 people",
                    (CountPart(12, "children"), CountPart(3, None))),
        phase="started",
        trigger="left",
        claim_kind="speaker",
    )
    return dataclasses.replace(base, **changes)


def make_batch() -> tuple[list[Article], list[Mention], list[QuoteRecord], list[Rejected]]:
    articles = [make_article("a" * 64), make_article("b" * 64, outlet=None)]
    mentions = [
        make_mention("a" * 64, 0),
        make_mention("a" * 64, 30, type=EventType.STRIKE, polarity=Polarity.DENIED, place=None, count=None),
        make_mention("b" * 64, 5, count=Count(8500, 8500, 8500, None, None, "8,500"), date=None, phase=None),
    ]
    quotes = [
        QuoteRecord("a" * 64, "Ministry A", "no strikes", 3, 13),
        QuoteRecord("b" * 64, None, "go", 0, 2),
    ]
    rejected = [
        Rejected("/tmp/missing.txt", RejectReason.NOT_FOUND, "no such file"),
        Rejected("/tmp/blob.bin", RejectReason.BINARY, "binary content", doc_id="c" * 64),
    ]
    return articles, mentions, quotes, rejected


def make_event(event_id: str, mentions: list[Mention]) -> Event:
    figures = FigureRange(36, 40, 8500, {"Outlet A": 40, "Outlet B": 8500}, "people")
    return Event(event_id, EventType.EVACUATION, dt.date(2016, 10, 19), ALEPPO, tuple(mentions),
                 Corroboration.CONTESTED, figures, ("count",), ("Outlet A", "Outlet B"))


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    store.save_batch(*make_batch())
    return store


def test_store_save_batch_reports_new_documents(store: Store) -> None:
    assert store.save_batch(*make_batch()) == 2


def test_store_save_batch_twice_changes_nothing(filled: Store) -> None:
    counts, snapshot = filled.counts(), filled.snapshot()
    assert filled.save_batch(*make_batch()) == 0
    assert filled.counts() == counts
    assert filled.snapshot() == snapshot


def test_store_save_batch_skips_known_document_with_its_mentions(filled: Store) -> None:
    extra = make_mention("a" * 64, 200)
    filled.save_batch([make_article("a" * 64)], [extra], [], [])
    assert extra not in filled.load_mentions()


def test_store_save_batch_counts_a_repeated_document_once(store: Store) -> None:
    article = make_article("d" * 64)
    assert store.save_batch([article, article], [], [], []) == 1


def test_store_mentions_round_trip(filled: Store) -> None:
    _, mentions, _, _ = make_batch()
    by_id = {m.mention_id: m for m in filled.load_mentions()}
    assert by_id == {m.mention_id: m for m in mentions}


def test_store_article_round_trip(filled: Store) -> None:
    assert filled.load_article("a" * 64) == make_article("a" * 64)


def test_store_load_articles_lists_summaries_with_syndication(store: Store) -> None:
    articles, _, _, _ = make_batch()
    store.save_batch(articles, [], [], [], syndicated={"b" * 64: "a" * 64})
    summaries = {s.doc_id: s for s in store.load_articles()}
    assert summaries["b" * 64].syndicated_of == "a" * 64
    assert summaries["a" * 64].outlet_guess == Guess("byline", 0.9)


def test_store_quotes_and_rejections_round_trip(filled: Store) -> None:
    _, _, quotes, rejected = make_batch()
    assert filled.load_quotes() == sorted(quotes, key=lambda q: (q.doc_id, q.start))
    assert sorted(filled.load_rejections(), key=str) == sorted(rejected, key=str)


def test_store_rejection_seen_again_moves_last_seen(filled: Store) -> None:
    _, _, _, rejected = make_batch()
    filled.save_batch([], [], [], rejected)
    with filled.engine.connect() as connection:
        rows = connection.execute(select(RejectionRow.first_seen, RejectionRow.last_seen)).all()
    assert len(rows) == 2
    assert all(last > first for first, last in rows)


def test_store_known_doc_ids_handles_large_sets(filled: Store) -> None:
    asked = [f"{i:064x}" for i in range(1200)] + ["a" * 64]
    assert filled.known_doc_ids(asked) == {"a" * 64}


def test_store_replace_events_twice_keeps_counts(filled: Store) -> None:
    events = [make_event("ev-1", filled.load_mentions()[:2]), make_event("ev-2", filled.load_mentions()[2:])]
    filled.replace_events(events)
    counts = filled.counts()
    filled.replace_events(events)
    assert filled.counts() == counts
    assert counts["events"] == 2 and counts["event_mentions"] == 3


def test_store_replace_events_rewrites_only_what_changed_and_ends_as_a_fresh_swap(filled: Store) -> None:
    m = filled.load_mentions()
    filled.replace_events([make_event("keep", m[:1]), make_event("grow", m[1:2]), make_event("gone", m[2:])])
    newer = [make_event("keep", m[:1]), make_event("grow", m[1:]),
             dataclasses.replace(make_event("new", []), corroboration=Corroboration.SINGLE_SOURCE)]
    sent: list[tuple[str, Any]] = []
    event.listen(filled.engine, "before_cursor_execute", lambda _c, _k, sql, params, *_: sent.append((sql, params)))
    filled.replace_events(newer)
    assert filled.load_events() == sorted(newer, key=lambda e: (e.date, e.event_id))
    deleted = {str(v) for sql, params in sent if sql.lstrip().upper().startswith("DELETE")
               for v in (params.values() if isinstance(params, dict) else params)}  # psycopg binds by name
    inserted = [params for sql, params in sent if sql.lstrip().upper().startswith("INSERT INTO EVENTS ")]
    assert {"grow", "gone"} <= deleted and "keep" not in deleted
    assert len(inserted) == 1 and len(inserted[0]) == 2  # "grow" and "new", in one statement


def test_store_events_round_trip(filled: Store) -> None:
    events = [make_event("ev-1", filled.load_mentions()[::-1])]
    filled.replace_events(events)
    assert filled.load_events() == events


def test_store_previous_assignment_maps_mentions_to_events(filled: Store) -> None:
    mentions = filled.load_mentions()
    filled.replace_events([make_event("ev-1", mentions[:1]), make_event("ev-2", mentions[1:])])
    assignment = filled.previous_assignment()
    assert assignment == {m.mention_id: ("ev-1" if i == 0 else "ev-2") for i, m in enumerate(mentions)}


def test_store_reviews_append_only_and_survive_replace_events(filled: Store) -> None:
    filled.replace_events([make_event("ev-1", filled.load_mentions())])
    first = filled.add_review("ev-1", "grade", "analyst one", grade="weak")
    second = filled.add_review("ev-1", "grade", "analyst two", grade="confirmed", note="two sources")
    filled.replace_events([])
    reviews = filled.load_reviews("ev-1")
    assert reviews == [first, second]
    assert [r.analyst for r in reviews] == ["analyst one", "analyst two"]


@pytest.mark.parametrize(
    ("action", "fields"),
    [("grade", {}), ("grade", {"grade": "sure"}), ("merge", {}), ("split", {}), ("note", {}), ("undo", {})],
)
def test_store_add_review_refuses_incomplete(store: Store, action: str, fields: dict[str, str]) -> None:
    with pytest.raises(StoreError):
        store.add_review("ev-1", action, "analyst", **fields)


def test_store_review_split_keeps_mention_ids(store: Store) -> None:
    review = store.add_review("ev-1", "split", "analyst", mention_ids=["m1", "m2"])
    assert store.load_reviews() == [review]
    assert review.mention_ids == ("m1", "m2")


def test_store_runs_record_counts(store: Store) -> None:
    run_id = store.start_run()
    store.finish_run(run_id, documents_read=5, documents_new=2)
    with store.engine.connect() as connection:
        row = connection.execute(select(Base.metadata.tables["runs"])).one()
    assert (row.status, row.documents_read, row.documents_new, row.rejected) == ("done", 5, 2, 0)


@pytest.mark.parametrize("nasty", INJECTIONS)
def test_store_injection_strings_round_trip_verbatim(store: Store, nasty: str) -> None:
    mention = make_mention("e" * 64, 0, claimed_by=nasty, evidence=nasty, outlet=nasty)
    rejected = Rejected(nasty, RejectReason.EMPTY, nasty)
    store.save_batch([make_article("e" * 64, outlet=nasty)], [mention], [], [rejected])
    assert store.load_mentions() == [mention]
    assert store.load_article("e" * 64) == make_article("e" * 64, outlet=nasty)
    assert store.load_rejections()[0].source == nasty
    assert store.counts()["documents"] == 1
    assert set(inspect(store.engine).get_table_names()) >= set(Base.metadata.tables)


def test_store_reopen_upgrades_and_keeps_rows(db_url: str) -> None:
    with Store.open(db_url) as first:
        first.save_batch(*make_batch())
        counts = first.counts()
    with Store.open(db_url) as again:
        assert again.counts() == counts


def test_store_unreachable_postgres_raises_store_error() -> None:
    with pytest.raises(StoreError, match=r"cannot reach database postgresql.*@127\.0\.0\.1:1/.* PostgreSQL"):
        Store.open("postgresql://pausewatch:secret@127.0.0.1:1/pausewatch")


def test_store_unreachable_postgres_message_hides_password() -> None:
    with pytest.raises(StoreError) as caught:
        Store.open("postgresql://pausewatch:secret@127.0.0.1:1/pausewatch")
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize("url", ["mysql://user@host/db", "not a url"])
def test_store_open_refuses_unsupported_url(url: str) -> None:
    with pytest.raises(StoreError, match="sqlite"):
        Store.open(url)


def test_store_open_missing_sqlite_folder_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        Store.open(f"sqlite:///{tmp_path / 'missing' / 'pausewatch.db'}")


def _schema(engine: Engine) -> dict[str, Any]:
    """Tables, columns, keys and indexes as SQLite reports them."""
    inspector = inspect(engine)
    return {
        table: (
            sorted((c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)),
            inspector.get_pk_constraint(table)["constrained_columns"],
            sorted(str(fk) for fk in inspector.get_foreign_keys(table)),
            sorted(str(ix) for ix in inspector.get_indexes(table)),
            sorted(str(uq) for uq in inspector.get_unique_constraints(table)),
        )
        for table in inspector.get_table_names()
        if table != "alembic_version"
    }


def test_store_alembic_upgrade_matches_create_all(tmp_path: Path) -> None:
    migrated, created = (create_engine(f"sqlite:///{tmp_path / name}") for name in ("m.db", "c.db"))
    with migrated.begin() as connection:
        upgrade_head(connection)
    Base.metadata.create_all(created)
    assert _schema(migrated) == _schema(created)
    assert set(_schema(migrated)) == set(Base.metadata.tables)


def test_store_migrated_database_matches_models(db_url: str) -> None:
    with Store.open(db_url) as opened, opened.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
@example(text="before\x00after")
def test_store_any_text_round_trips(store: Store, text: str) -> None:
    doc_id = sha256_hex(text.encode())
    mention = make_mention(doc_id, 0, evidence=text, claimed_by=text or "x")
    store.save_batch([make_article(doc_id, outlet=text, text=text)], [mention], [], [])
    loaded = next(m for m in store.load_mentions() if m.doc_id == doc_id)
    assert loaded.evidence == text.replace("\x00", "\ufffd")  # PostgreSQL text cannot hold NUL


def test_store_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'p.db'}") as opened, opened.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_store_open_refuses_database_from_newer_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    Store.open(url).close()
    with create_engine(url).begin() as connection:
        connection.execute(update(table("alembic_version", column("version_num"))).values(version_num="9999"))
    with pytest.raises(StoreError, match="newer pausewatch"):
        Store.open(url)


def test_store_head_revision_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from pausewatch.store.repository import HEAD_REVISION, MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_store_party_terms_are_kept_and_counted_from_text_for_older_rows(store: Store) -> None:
    text = "Rebels shelled the road; the terrorists, officials said, were repelled. Rebels withdrew."
    store.save_batch([make_article("a" * 64, text=text)], [], [], [])
    kept = list(store.party_terms())
    with store.engine.begin() as connection:  # a row stored before schema 0003 kept no counts
        connection.execute(update(table("documents", column("party_terms"))).values(party_terms=None))
    assert kept == [("a" * 64, "Outlet A", {"rebels": 2, "terrorists": 1})]
    assert list(store.party_terms()) == kept


def test_store_upgrade_from_0003_reads_older_figures_without_shares(db_url: str) -> None:
    from alembic import command

    from pausewatch.store.repository import alembic_config

    with Store.open(db_url) as store:
        store.save_batch([make_article("a" * 64)], [make_mention("a" * 64, 0)], [], [])
    with create_engine(db_url).begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    with Store.open(db_url) as store:
        [mention] = store.load_mentions()
    assert mention.count is not None and mention.count.best == 40 and mention.count.parts == ()


def test_store_upgrade_from_0002_counts_party_terms_of_stored_texts(db_url: str) -> None:
    from alembic import command

    from pausewatch.store.repository import alembic_config

    text = "The rebels and the militants met; rebels left."
    with Store.open(db_url) as store:
        store.save_batch([make_article("a" * 64, text=text)], [], [], [])
    with create_engine(db_url).begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    with Store.open(db_url) as store:
        assert list(store.party_terms()) == [("a" * 64, "Outlet A", {"rebels": 2, "militants": 1})]
        with store.engine.connect() as connection:
            stored = connection.execute(select(table("documents", column("party_terms")))).scalar()
    assert (json.loads(stored) if isinstance(stored, str) else stored) == {"rebels": 2, "militants": 1}
