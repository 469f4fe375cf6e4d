"""initial schema: documents, rejections, mentions, quotes, events, event_mentions, reviews, runs

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(length=64)
WORD = sa.String(length=32)
WHEN = sa.DateTime(timezone=True)


def _place_columns() -> list[sa.Column[object]]:
    """The resolved-place columns shared by mentions and events (frozen here as of 0001)."""
    return [
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("place_canonical", sa.Text(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("precision", WORD, nullable=True),
    ]


def _documents() -> None:
    op.create_table(
        "documents",
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("outlet_method", sa.Text(), nullable=False),
        sa.Column("outlet_confidence", sa.Float(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_method", sa.Text(), nullable=False),
        sa.Column("published_confidence", sa.Float(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("removed", sa.JSON(), nullable=False),
        sa.Column("raw_encoding", sa.Text(), nullable=True),
        sa.Column("media_type", sa.Text(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("syndicated_of", ID, nullable=True),
        sa.Column("ingested_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("doc_id", name=op.f("pk_documents")),
    )


def _rejections() -> None:
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("reason", WORD, nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("doc_id", ID, nullable=True),
        sa.Column("doc_key", ID, nullable=False),
        sa.Column("first_seen", WHEN, nullable=False),
        sa.Column("last_seen", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejections")),
        sa.UniqueConstraint("source", "reason", "doc_key", name="uq_rejections_key"),
    )


def _mentions() -> None:
    op.create_table(
        "mentions",
        sa.Column("mention_id", ID, nullable=False),
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("type", WORD, nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=False),
        sa.Column("claim_kind", WORD, nullable=False),
        sa.Column("polarity", WORD, nullable=False),
        sa.Column("status", WORD, nullable=False),
        sa.Column("phase", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("actor", sa.Text(), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("count_best", sa.BigInteger(), nullable=True),
        sa.Column("count_low", sa.BigInteger(), nullable=True),
        sa.Column("count_high", sa.BigInteger(), nullable=True),
        sa.Column("count_qualifier", WORD, nullable=True),
        sa.Column("counted", sa.Text(), nullable=True),
        sa.Column("count_text", sa.Text(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        *_place_columns(),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], name=op.f("fk_mentions_doc_id_documents")),
        sa.PrimaryKeyConstraint("mention_id", name=op.f("pk_mentions")),
    )
    op.create_index("ix_mentions_doc_id", "mentions", ["doc_id"])
    op.create_index("ix_mentions_type", "mentions", ["type"])


def _quotes() -> None:
    op.create_table(
        "quotes",
        sa.Column("quote_id", ID, nullable=False),
        sa.Column("doc_id", ID, nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.doc_id"], name=op.f("fk_quotes_doc_id_documents")),
        sa.PrimaryKeyConstraint("quote_id", name=op.f("pk_quotes")),
    )
    op.create_index("ix_quotes_doc_id", "quotes", ["doc_id"])


def _events() -> None:
    op.create_table(
        "events",
        sa.Column("event_id", ID, nullable=False),
        sa.Column("type", WORD, nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("corroboration", WORD, nullable=False),
        sa.Column("contested_on", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("figure_low", sa.BigInteger(), nullable=True),
        sa.Column("figure_best", sa.BigInteger(), nullable=True),
        sa.Column("figure_high", sa.BigInteger(), nullable=True),
        sa.Column("figure_counted", sa.Text(), nullable=True),
        sa.Column("figure_by_source", sa.JSON(), nullable=True),
        *_place_columns(),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_events")),
    )
    op.create_index("ix_events_type", "events", ["type"])
    op.create_index("ix_events_date", "events", ["date"])


def _event_mentions() -> None:
    op.create_table(
        "event_mentions",
        sa.Column("event_id", ID, nullable=False),
        sa.Column("mention_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name=op.f("fk_event_mentions_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["mentions.mention_id"], name=op.f("fk_event_mentions_mention_id_mentions")
        ),
        sa.PrimaryKeyConstraint("event_id", "mention_id", name=op.f("pk_event_mentions")),
    )
    op.create_index("ix_event_mentions_mention_id", "event_mentions", ["mention_id"])


def _reviews() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", ID, nullable=False),
        sa.Column("action", WORD, nullable=False),
        sa.Column("grade", WORD, nullable=True),
        sa.Column("target_event_id", ID, nullable=True),
        sa.Column("mention_ids", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("analyst", sa.Text(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
    )
    op.create_index("ix_reviews_event_id", "reviews", ["event_id"])


def _runs() -> None:
    op.create_table(
        "runs",
        sa.Column("run_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.Column("documents_read", sa.Integer(), nullable=False),
        sa.Column("documents_new", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("contradictions", sa.Integer(), nullable=False),
        sa.Column("status", WORD, nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_runs")),
    )


def upgrade() -> None:
    for create in (_documents, _rejections, _mentions, _quotes, _events, _event_mentions, _reviews, _runs):
        create()


TABLES = ("documents", "rejections", "mentions", "quotes", "events", "event_mentions", "reviews", "runs")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
