"""documents.minhash: each document's MinHash signature, so syndication reads signatures, not texts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Rows stored before this revision keep NULL; runner.refresh_events computes theirs from the text.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("minhash", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("minhash")
