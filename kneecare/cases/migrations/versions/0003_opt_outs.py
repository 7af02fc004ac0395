"""SMS and WhatsApp senders who texted STOP.

Revision ID: 0003_opt_outs
Revises: 0002_pseudonyms_and_limits
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_opt_outs"
down_revision = "0002_pseudonyms_and_limits"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "opt_outs",
        sa.Column("conversation_id", sa.String(255), nullable=False),
        sa.Column("opted_out_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("conversation_id", name="pk_opt_outs"),
    )


def downgrade() -> None:
    op.drop_table("opt_outs")
