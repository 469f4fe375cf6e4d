"""documents.party_terms: each document's counts of party labels, so framing reads counts, not texts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

Rows stored before this revision are counted at upgrade, a page of texts at a time.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pausewatch.frame import count_terms

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
PAGE = 500  # texts held at once while counting
DOCUMENTS = sa.table("documents", sa.column("doc_id", sa.String), sa.column("text", sa.Text),
                     sa.column("party_terms", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("party_terms", sa.JSON(), nullable=True))
    _count_stored_texts(op.get_bind())


def _count_stored_texts(connection: sa.Connection) -> None:
    """Keyset pages in doc_id order, so a large store is never read whole."""
    after = ""
    update = DOCUMENTS.update().where(DOCUMENTS.c.doc_id == sa.bindparam("key"))
    while True:
        page = connection.execute(sa.select(DOCUMENTS.c.doc_id, DOCUMENTS.c.text).where(DOCUMENTS.c.doc_id > after)
                                  .order_by(DOCUMENTS.c.doc_id).limit(PAGE)).all()
        if not page:
            return
        connection.execute(update.values(party_terms=sa.bindparam("terms")),
                           [{"key": doc_id, "terms": dict(count_terms(text or ""))} for doc_id, text in page])
        after = page[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("party_terms")
