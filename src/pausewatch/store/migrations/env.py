"""Alembic environment: runs on the connection Store.open hands over, or on sqlalchemy.url."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from pausewatch.store.schema import Base

config = context.config


def run_on(connection: Connection) -> None:
    """Batch mode on SQLite, which cannot ALTER most things in place."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    with create_engine(config.get_main_option("sqlalchemy.url", "")).begin() as connection:
        run_on(connection)


run_migrations_online()
