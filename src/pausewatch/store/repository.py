"""The Store: idempotent, transactional reads and writes of pipeline records on SQLite or PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    column,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    table,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from pausewatch.errors import StoreError
from pausewatch.frame import count_terms
from pausewatch.model import Article, Event, Guess, Mention, QuoteRecord, Rejected, RejectReason
from pausewatch.store.schema import (
    MENTION_COLUMNS,
    Base,
    DocumentRow,
    EventMentionRow,
    EventRow,
    MentionRow,
    QuoteRow,
    RejectionRow,
    ReviewRow,
    Row,
    RunRow,
    document_row,
    event_row,
    mention_from_values,
    mention_row,
    quote_row,
    rejection_row,
    to_article,
    to_event,
    to_mention,
)

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0004"  # the newest migration's revision (a test checks it against alembic's head)
SUMMARY_COLUMNS = ("doc_id", "name", "source", "title", "url", "outlet", "outlet_method", "outlet_confidence",
                   "published", "published_method", "published_confidence", "syndicated_of")
ALEMBIC_VERSION = table("alembic_version", column("version_num"))
# Bulk reads select these tables' columns, not the mapped classes': plain rows skip the ORM's loading.
TABLES = Base.metadata.tables
DOCUMENTS, EVENT_MENTIONS = TABLES["documents"], TABLES["event_mentions"]
CHUNK = 500  # bound parameters per IN (...) lookup, well under SQLite's limit
EVENT_CHUNK = 2000  # events per insert when a consolidation is swapped in
URL_EXAMPLES = "use sqlite:///pausewatch.db or postgresql+psycopg://user@host:5432/pausewatch"
RUN_COUNTS = frozenset({"documents_read", "documents_new", "rejected", "events", "contradictions"})
SQLITE_WAIT_SECONDS = 30  # how long a SQLite connection waits for another run's lock before failing
WAL_RETRY_SECONDS = 0.05
SCHEMA_LOCK = 0x7061757365  # PostgreSQL advisory lock key held while creating or migrating ("pause")
EVENTS_LOCK = 0x6576656E7473  # held while replacing events ("events")
SNAPSHOT_TABLES = ("documents", "rejections", "mentions", "quotes", "events", "event_mentions")
VOLATILE = {"documents": {"ingested_at"}, "rejections": {"id", "first_seen", "last_seen"}}
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates


class ReviewAction(StrEnum):
    GRADE = "grade"
    MERGE = "merge"
    SPLIT = "split"
    NOTE = "note"


class Grade(StrEnum):
    CONFIRMED = "confirmed"
    FAIR = "fair"
    WEAK = "weak"
    CONTESTED = "contested"
    DISCOUNTED = "discounted"


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """One analyst decision on an event, as stored: who, when, what."""

    id: int
    event_id: str
    action: ReviewAction
    analyst: str
    created_at: dt.datetime
    grade: Grade | None = None
    target_event_id: str | None = None
    mention_ids: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """A stored document without its text, for listings."""

    doc_id: str
    name: str
    source: str
    title: str | None
    url: str | None
    outlet: str | None
    outlet_guess: Guess
    published: dt.date | None
    published_guess: Guess
    syndicated_of: str | None


class Store:
    """All database access of pausewatch; every statement uses bound parameters."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = _shown(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, db_url: str) -> Store:
        """Connect, then create a new database or bring an existing one to the latest schema."""
        engine = _make_engine(_parse_url(db_url))
        _check_reachable(engine)
        if not _is_current(engine):
            _bring_up_to_date(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """One transaction; a lost or locked database becomes a StoreError that says so."""
        try:
            with self._sessions.begin() as session:
                yield session
        except OperationalError as exc:
            raise StoreError(f"database {self.url} failed: {_reason(exc)}; is it up and not locked?") from exc

    def known_doc_ids(self, ids: Iterable[str]) -> set[str]:
        with self._transaction() as session:
            return _known(session, map(_text, ids))

    def save_batch(
        self,
        articles: list[Article],
        mentions: list[Mention],
        quotes: list[QuoteRecord],
        rejected: list[Rejected],
        syndicated: Mapping[str, str] | None = None,
    ) -> int:
        """Write one batch in one transaction; documents already stored are skipped with their mentions."""
        now = _now()
        with self._transaction() as session:
            fresh = _fresh_articles(session, articles)
            new_ids = {article.doc_id for article in fresh}
            _insert_ignore(session, DocumentRow, [document_row(article, now) for article in fresh])
            _insert_ignore(session, MentionRow, _mention_rows(mentions, new_ids))
            _insert_ignore(session, QuoteRow, _quote_rows(quotes, new_ids))
            _upsert_rejections(session, rejected, now)
            _mark_syndicated(session, syndicated or {})
        return len(fresh)

    def load_articles(self) -> list[ArticleSummary]:
        """Plain rows of the columns a listing shows (no texts), oldest first."""
        columns = [DOCUMENTS.c[name] for name in SUMMARY_COLUMNS]
        query = select(*columns).order_by(DocumentRow.published, DocumentRow.doc_id)
        with self._transaction() as session:
            return [_summary(*row) for row in session.execute(query)]

    def signatures(self) -> Iterator[tuple[str, str | None]]:
        """(doc_id, MinHash) of every document, oldest first, undated last, streamed: what syndication reads."""
        d = DOCUMENTS.c
        query = select(d.doc_id, d.minhash).order_by(d.published.is_(None), d.published, d.doc_id)
        query = query.execution_options(yield_per=1000)
        with self._transaction() as session:
            yield from ((doc_id, minhash) for doc_id, minhash in session.execute(query))

    def party_terms(self) -> Iterator[tuple[str, str | None, Mapping[str, int]]]:
        """(doc_id, outlet, party-label counts) per document, streamed: what framing reads instead of texts.

        Documents stored before the counts were kept with them (schema 0003) are counted from their text.
        """
        d = DOCUMENTS.c
        query = select(d.doc_id, d.outlet, d.party_terms).order_by(d.doc_id)
        with self._transaction() as session:
            for doc_id, outlet, terms in session.execute(query.execution_options(yield_per=1000)):
                yield doc_id, outlet, terms if terms is not None else count_terms(self._text(session, doc_id))

    @staticmethod
    def _text(session: Session, doc_id: str) -> str:
        return session.scalar(select(DocumentRow.text).where(DocumentRow.doc_id == doc_id)) or ""

    def load_article(self, doc_id: str) -> Article | None:
        with self._transaction() as session:
            row = session.get(DocumentRow, _text(doc_id))
            return None if row is None else to_article(row)

    def load_mentions(self, doc_ids: Iterable[str] | None = None) -> list[Mention]:
        """Every stored mention, or those of these documents. Plain rows, not ORM objects: a run reads every
        mention, and identity tracking would triple the cost."""
        m = TABLES["mentions"].c
        query = select(*(m[name] for name in MENTION_COLUMNS)).order_by(m.doc_id, m.span_start, m.span_end, m.type)
        with self._transaction() as session:
            if doc_ids is None:
                return [mention_from_values(tuple(row)) for row in session.execute(query)]
            chunks = _chunks(sorted(set(doc_ids)), CHUNK)
            return [mention_from_values(tuple(row)) for chunk in chunks
                    for row in session.execute(query.where(m.doc_id.in_(chunk)))]

    def load_quotes(self) -> list[QuoteRecord]:
        """Plain rows, like load_mentions: framing reads every quote of the store."""
        q = TABLES["quotes"].c
        query = select(q.doc_id, q.speaker, q.text, q.span_start, q.span_end).order_by(q.doc_id, q.span_start)
        with self._transaction() as session:
            return [QuoteRecord(*row) for row in session.execute(query)]

    def load_rejections(self) -> list[Rejected]:
        order = (RejectionRow.source, RejectionRow.reason, RejectionRow.doc_key)
        with self._transaction() as session:
            rows = session.scalars(select(RejectionRow).order_by(*order))
            return [Rejected(r.source, RejectReason(r.reason), r.detail, r.doc_id) for r in rows]

    def replace_events(self, events: list[Event]) -> None:
        """Swap in a fresh consolidation in one transaction; readers see the old or the new, never half.

        Only events whose row or mention list changed are deleted and inserted: after a few new reports
        most events come out of consolidation as they went in. Inserts go a slice of events at a time.
        """
        with self._transaction() as session:
            _lock(session.connection(), EVENTS_LOCK)  # two runs must not both diff against the same old events
            stored = _stored_events(session)
            fresh = {e.event_id: (_nul_free([event_row(e)])[0], _mention_ids(e)) for e in events}
            stale = [event_id for event_id, old in stored.items() if fresh.get(event_id) != old]
            for chunk in _chunks(stale, CHUNK):
                session.execute(delete(EventMentionRow).where(EventMentionRow.event_id.in_(chunk)))
                session.execute(delete(EventRow).where(EventRow.event_id.in_(chunk)))
            changed = [event_id for event_id, new in fresh.items() if stored.get(event_id) != new]
            for chunk in _chunks(changed, EVENT_CHUNK):
                _bulk_insert(session, EventRow, [fresh[event_id][0] for event_id in chunk])
                links = [_link(event_id, mid, i) for event_id in chunk for i, mid in enumerate(fresh[event_id][1])]
                _bulk_insert(session, EventMentionRow, links)

    def previous_assignment(self) -> dict[str, str]:
        """mention_id -> event_id of the last consolidation, so event IDs stay stable across runs."""
        links = EVENT_MENTIONS.c
        query = select(links.mention_id, links.event_id).order_by(links.event_id, links.position)
        with self._transaction() as session:
            return {mention_id: event_id for mention_id, event_id in session.execute(query)}

    def load_events(self) -> list[Event]:
        linked = select(EventMentionRow.event_id, MentionRow).join(MentionRow)
        with self._transaction() as session:
            members: dict[str, list[Mention]] = defaultdict(list)
            for event_id, row in session.execute(linked.order_by(EventMentionRow.position)):
                members[event_id].append(to_mention(row))
            rows = session.scalars(select(EventRow).order_by(EventRow.date, EventRow.event_id))
            return [to_event(row, members[row.event_id]) for row in rows]

    def add_review(
        self,
        event_id: str,
        action: str,
        analyst: str,
        *,
        grade: str | None = None,
        target_event_id: str | None = None,
        mention_ids: Sequence[str] = (),
        note: str | None = None,
    ) -> ReviewRecord:
        """Append an analyst decision; earlier ones are never changed."""
        kind, level = _check_review(action, analyst, grade, target_event_id, mention_ids, note)
        row = ReviewRow(
            event_id=_text(event_id),
            action=str(kind),
            grade=None if level is None else str(level),
            target_event_id=_text(target_event_id),
            mention_ids=[_text(m) for m in mention_ids] or None,
            note=_text(note),
            analyst=_text(analyst),
            created_at=_now(),
        )
        with self._transaction() as session:
            session.add(row)
            session.flush()
            return _review(row)

    def load_reviews(self, event_id: str | None = None) -> list[ReviewRecord]:
        query = select(ReviewRow).order_by(ReviewRow.id)
        if event_id is not None:
            query = query.where(ReviewRow.event_id == _text(event_id))
        with self._transaction() as session:
            return [_review(row) for row in session.scalars(query)]

    def start_run(self) -> int:
        with self._transaction() as session:
            row = RunRow(started_at=_now(), status="running")
            session.add(row)
            session.flush()
            return row.run_id

    def finish_run(self, run_id: int, **counts: int) -> None:
        unknown = set(counts) - RUN_COUNTS
        if unknown:
            raise ValueError(f"unknown run counts {sorted(unknown)}; known: {sorted(RUN_COUNTS)}")
        query = update(RunRow).where(RunRow.run_id == run_id)
        with self._transaction() as session:
            session.execute(query.values(finished_at=_now(), status="done", **counts))

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        with self._transaction() as session:
            return {t.name: _row_count(session, t) for t in Base.metadata.sorted_tables}

    def snapshot(self) -> dict[str, list[Row]]:
        """All content rows as sorted plain data without timestamps, to compare two stores."""
        with self._transaction() as session:
            return {name: _plain_rows(session, Base.metadata.tables[name]) for name in SNAPSHOT_TABLES}


# --- connecting and migrating ---------------------------------------------------------------


def _parse_url(db_url: str) -> URL:
    """Accept the URLs people type: postgres:// and postgresql:// mean psycopg 3, the driver we ship."""
    scheme = db_url.split(":", 1)[0]
    if scheme == "postgres":
        db_url = "postgresql" + db_url[len("postgres") :]
    try:
        url = make_url(db_url)
    except ArgumentError:
        raise StoreError(f"not a database URL ({scheme}:...): {URL_EXAMPLES}") from None
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported database {url.get_backend_name()!r}: {URL_EXAMPLES}")
    return url


def _make_engine(url: URL) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(f"no driver for {url.drivername}: pip install 'pausewatch[postgres]'") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL lets the dashboard read while a run writes; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # SQLITE_WAIT_SECONDS, as a literal: SQL is never built
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """PRAGMA journal_mode=WAL, retried while another process opening the same new file holds it.

    SQLite answers "database is locked" at once, without calling the busy handler, to a connection that
    asks for WAL while another is switching the file to WAL (seen in CI with six runs opening one new store).
    """
    deadline = time.monotonic() + SQLITE_WAIT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_SECONDS)


def _check_reachable(engine: Engine) -> None:
    """Turn 'connection refused' and friends into one sentence that says what to check."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        shown = _shown(engine)
        if engine.url.get_backend_name() == "sqlite":
            raise StoreError(f"cannot open database {shown}: does its folder exist and is it writable? "
                             f"({_reason(exc)})") from exc
        raise StoreError(f"cannot reach database {shown}: is PostgreSQL running, and does the database "
                         f"and user exist? ({_reason(exc)})") from exc


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _reason(exc: OperationalError) -> str:
    return " ".join(str(exc.orig).split())[:300]


def _is_current(engine: Engine) -> bool:
    """Whether the database is at HEAD_REVISION: then it is opened without alembic, whose import alone
    takes a third of a second of every command."""
    try:
        with engine.connect() as connection:
            if not sa_inspect(connection).has_table("alembic_version"):
                return False
            return connection.execute(select(ALEMBIC_VERSION.c.version_num)).scalar() == HEAD_REVISION
    except OperationalError:
        return False  # migrating will say what is wrong


def _bring_up_to_date(engine: Engine) -> None:
    """Create a new database or migrate an existing one, in one transaction."""
    from alembic.util import CommandError

    try:
        with engine.begin() as connection:
            _migrate(connection)
    except CommandError as exc:
        engine.dispose()
        raise StoreError(f"cannot migrate database {_shown(engine)}: {exc}; was it written by a newer "
                         "pausewatch? Upgrade pausewatch or use another database") from exc
    except OperationalError as exc:
        engine.dispose()
        raise StoreError(f"cannot open database {_shown(engine)}: {_reason(exc)}; is another run holding "
                         "it locked?") from exc


def alembic_config(connection: Connection) -> Config:
    """Alembic settings built in code, so no alembic.ini has to ship or be found."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_head(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def _lock(connection: Connection, key: int) -> None:
    """The database's write lock (SQLite) or an advisory lock on `key` (PostgreSQL), until commit: what is
    read after it is not changed by another writer before this transaction ends."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock now, not at the first write
    else:
        connection.execute(select(func.pg_advisory_xact_lock(key)))


def _lock_schema(connection: Connection) -> None:
    """Two runs opening one new database at once must not both create it: the second waits."""
    _lock(connection, SCHEMA_LOCK)


def _migrate(connection: Connection) -> None:
    """A database without alembic_version is new: create it in one go and mark it current."""
    _lock_schema(connection)
    if sa_inspect(connection).has_table("alembic_version"):
        upgrade_head(connection)
        return
    from alembic import command

    Base.metadata.create_all(connection)
    command.stamp(alembic_config(connection), "head")


# --- writing --------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _known(session: Session, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(set(ids)), CHUNK):
        found.update(session.scalars(select(DOCUMENTS.c.doc_id).where(DOCUMENTS.c.doc_id.in_(chunk))))
    return found


def _fresh_articles(session: Session, articles: Iterable[Article]) -> list[Article]:
    """Articles not stored yet, each doc_id once (the same file may be read from two paths)."""
    unique: dict[str, Article] = {}
    for article in articles:
        unique.setdefault(article.doc_id, article)
    known = _known(session, unique)
    return [article for doc_id, article in unique.items() if doc_id not in known]


def _insert(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def _nul_free(rows: list[Row]) -> list[Row]:
    """PostgreSQL text cannot hold NUL, nor UTF-8 lone surrogates; U+FFFD keeps every offset, on both backends."""
    return [{k: _text(v) for k, v in row.items()} for row in rows]


def _text(value: Any) -> Any:
    return _UNSTORABLE.sub("\ufffd", value) if isinstance(value, str) else value


def _insert_ignore(session: Session, model: type[Base], rows: list[Row]) -> None:
    """Insert, skipping keys another writer stored meanwhile (teams share one PostgreSQL)."""
    if rows:
        session.execute(_insert(session, model).on_conflict_do_nothing(), _nul_free(rows))


def _bulk_insert(session: Session, model: type[Base], rows: list[Row]) -> None:
    """A Core executemany on the table: the ORM's bulk path costs three times as much per row."""
    if rows:
        session.execute(insert(TABLES[model.__tablename__]), _nul_free(rows))


def _unique(rows: list[Row], key: tuple[str, ...]) -> list[Row]:
    """The first row per key: one statement must not hit the same key twice."""
    first: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        first.setdefault(tuple(row[k] for k in key), row)
    return list(first.values())


def _mention_rows(mentions: list[Mention], new_ids: set[str]) -> list[Row]:
    rows = [mention_row(m) for m in dict.fromkeys(m for m in mentions if m.doc_id in new_ids)]
    unique = _unique(rows, ("mention_id",))
    if len(unique) < len(rows):
        log.warning("%d mentions share a mention_id (doc, span, type) with a different one; kept the first",
                    len(rows) - len(unique))
    return unique


def _quote_rows(quotes: list[QuoteRecord], new_ids: set[str]) -> list[Row]:
    return _unique([quote_row(q) for q in quotes if q.doc_id in new_ids], ("quote_id",))


def _upsert_rejections(session: Session, rejected: list[Rejected], now: dt.datetime) -> None:
    """A rejection seen again only moves last_seen (and refreshes the detail)."""
    rows = _unique(_nul_free([rejection_row(r, now) for r in rejected]), ("source", "reason", "doc_key"))
    if not rows:
        return
    stmt = _insert(session, RejectionRow)
    changes = {"last_seen": stmt.excluded.last_seen, "detail": stmt.excluded.detail}
    upsert = stmt.on_conflict_do_update(index_elements=["source", "reason", "doc_key"], set_=changes)
    session.execute(upsert, rows)


def _mark_syndicated(session: Session, syndicated: Mapping[str, str]) -> None:
    """Record which document copies which; unknown doc_ids match no row and change nothing."""
    if syndicated:
        documents = Base.metadata.tables["documents"]
        stmt = update(documents).where(documents.c.doc_id == bindparam("copy"))
        pairs = [{"copy": _text(copy), "original": _text(original)} for copy, original in syndicated.items()]
        session.connection().execute(stmt.values(syndicated_of=bindparam("original")), pairs)


def _stored_events(session: Session) -> dict[str, tuple[Row, list[str]]]:
    """event_id -> (its row as event_row writes it, its mention IDs in order): what replace_events compares."""
    members: dict[str, list[str]] = defaultdict(list)
    links = EVENT_MENTIONS.c
    for event_id, mention_id in session.execute(select(links.event_id, links.mention_id)
                                                .order_by(links.event_id, links.position)):
        members[event_id].append(mention_id)
    rows = session.execute(select(TABLES["events"])).mappings()
    return {row["event_id"]: (dict(row), members[row["event_id"]]) for row in rows}


def _link(event_id: str, mention_id: str, position: int) -> Row:
    return {"event_id": event_id, "mention_id": mention_id, "position": position}


def _mention_ids(event: Event) -> list[str]:
    return list(dict.fromkeys(m.mention_id for m in event.mentions))


# --- reading --------------------------------------------------------------------------------


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _review(row: ReviewRow) -> ReviewRecord:
    return ReviewRecord(
        id=row.id, event_id=row.event_id, action=ReviewAction(row.action), analyst=row.analyst,
        created_at=_aware(row.created_at), grade=None if row.grade is None else Grade(row.grade),
        target_event_id=row.target_event_id, mention_ids=tuple(row.mention_ids or ()), note=row.note,
    )


def _check_review(
    action: str,
    analyst: str,
    grade: str | None,
    target_event_id: str | None,
    mention_ids: Sequence[str],
    note: str | None,
) -> tuple[ReviewAction, Grade | None]:
    """Each action needs its own field: a grade, a merge target, mentions to split off, or a note."""
    kind = _member(ReviewAction, action, "review action")
    level = None if grade is None else _member(Grade, grade, "grade")
    needed = {ReviewAction.GRADE: level, ReviewAction.MERGE: target_event_id,
              ReviewAction.SPLIT: list(mention_ids), ReviewAction.NOTE: note}
    missing = {ReviewAction.GRADE: "grade", ReviewAction.MERGE: "target_event_id",
               ReviewAction.SPLIT: "mention_ids", ReviewAction.NOTE: "note"}
    if not needed[kind]:
        raise StoreError(f"a {kind} review needs {missing[kind]}")
    if not analyst.strip():
        raise StoreError("a review needs the analyst's name")
    return kind, level


def _member(kind: type[E], value: str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise StoreError(f"unknown {what} {value!r}: use one of {', '.join(kind)}") from None


def _summary(doc_id: str, name: str, source: str, title: str | None, url: str | None, outlet: str | None,
             outlet_method: str, outlet_confidence: float, published: dt.date | None, published_method: str,
             published_confidence: float, syndicated_of: str | None) -> ArticleSummary:
    """An ArticleSummary from the SUMMARY_COLUMNS of one row, in order."""
    return ArticleSummary(doc_id, name, source, title, url, outlet, Guess(outlet_method, outlet_confidence),
                          published, Guess(published_method, published_confidence), syndicated_of)


# --- inspection -----------------------------------------------------------------------------


def _row_count(session: Session, table: Table) -> int:
    return session.execute(select(func.count()).select_from(table)).scalar_one()


def _plain(value: Any) -> Any:
    """Dates as ISO strings so snapshots compare equal across SQLite and PostgreSQL."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _plain_rows(session: Session, table: Table) -> list[Row]:
    skip = VOLATILE.get(table.name, set())
    result = session.execute(select(table)).mappings()
    rows = [{k: _plain(v) for k, v in row.items() if k not in skip} for row in result]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
