"""Client keys on cases (rate limits), provider message ids (no message handled twice).

Revision ID: 0002_pseudonyms_and_limits
Revises: 0001_initial
Create Date: 2026-12-03

Conversation ids of messaging channels become pseudonyms in
``kneecare.cases.pseudonyms`` (it needs the key, which a schema migration
does not have); ``default_store()`` runs it after this migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_pseudonyms_and_limits"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("client_key", sa.String(64), nullable=True))
        batch.create_index("ix_cases_client_key", ["client_key"])
    op.create_table(
        "inbound_messages",
        sa.Column("provider", sa.String(16), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("provider", "message_id", name="pk_inbound_messages"),
    )
    op.create_index("ix_inbound_messages_seen_at", "inbound_messages", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_messages_seen_at", "inbound_messages")
    op.drop_table("inbound_messages")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_client_key")
        batch.drop_column("client_key")
