"""Shared fixtures: real data comes from ../shared, read at run time, never copied."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine
from sqlalchemy.engine import make_url

SHARED = Path(__file__).resolve().parents[2] / "shared"
# The suite builds its own gazetteer cache (and every subprocess it starts shares it), never the user's.
os.environ.setdefault("PAUSEWATCH_CACHE_DIR", tempfile.mkdtemp(prefix="pausewatch-test-cache-"))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"{SHARED} missing: tests read seeds, gold and FA-KES from ../shared")
    return SHARED


PG_URL_ENV = "PAUSEWATCH_TEST_PG_URL"  # e.g. postgresql+psycopg://postgres@127.0.0.1:5432/pausewatch_test
REQUIRE_PG_ENV = "PAUSEWATCH_REQUIRE_PG"  # CI sets it to 1 so PostgreSQL tests can never be skipped


def _postgres_url() -> str:
    """The throwaway PostgreSQL database for tests: skipped when absent, unless CI requires it."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        if os.environ.get(REQUIRE_PG_ENV, "") not in ("", "0"):
            pytest.fail(f"{REQUIRE_PG_ENV} is set but {PG_URL_ENV} is not: point it at a test database")
        pytest.skip(f"PostgreSQL not configured: set {PG_URL_ENV}=postgresql+psycopg://user@host/db_test")
    parsed = make_url(url)
    if "test" not in (parsed.database or ""):
        pytest.fail(f"{PG_URL_ENV} must name a throwaway database ('test' in its name): tests empty it")
    if parsed.drivername == "postgresql":  # psycopg 3 is the driver pausewatch ships, not psycopg2
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _drop_all_tables(url: str) -> None:
    """Leave the test database empty, alembic_version included, so each test starts fresh."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            tables = MetaData()
            tables.reflect(connection)
            tables.drop_all(connection)
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file always, PostgreSQL when PAUSEWATCH_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pausewatch.db'}"
        return
    url = _postgres_url()
    _drop_all_tables(url)
    yield url
    _drop_all_tables(url)
