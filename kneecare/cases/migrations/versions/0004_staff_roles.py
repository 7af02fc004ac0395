"""Staff roles: reception (the default) or practice manager.

Revision ID: 0004_staff_roles
Revises: 0003_opt_outs
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_staff_roles"
down_revision = "0003_opt_outs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as table:
        table.add_column(
            sa.Column("role", sa.String(32), nullable=False, server_default="reception")
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as table:
        table.drop_column("role")
