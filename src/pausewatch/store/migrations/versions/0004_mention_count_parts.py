"""mentions.count_parts: the shares a figure names ("16 civilians, including three children")

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Rows stored before this revision keep NULL: their figures are read with no shares, as they were made.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.add_column(sa.Column("count_parts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mentions") as batch:
        batch.drop_column("count_parts")
