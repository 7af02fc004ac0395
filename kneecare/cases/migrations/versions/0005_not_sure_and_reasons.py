"""Cases keep the questions answered "not sure" and each reason in staff words.

Revision ID: 0005_not_sure_and_reasons
Revises: 0004_staff_roles
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_not_sure_and_reasons"
down_revision = "0004_staff_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as table:
        table.add_column(sa.Column("not_sure", sa.JSON, nullable=True))
        table.add_column(sa.Column("reasons_explained", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as table:
        table.drop_column("reasons_explained")
        table.drop_column("not_sure")
