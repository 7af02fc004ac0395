"""Alembic environment for the case store.

``upgrade_database`` passes an open connection; the ``alembic`` command line
(``alembic -c kneecare/cases/alembic.ini ...``) gets the URL from the same
settings as the application (``DATABASE_URL``, default ``var/cases.db``).
On PostgreSQL an advisory lock keeps two processes starting together from
migrating at once.
"""

from __future__ import annotations

from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from sqlalchemy.engine import Connection

from kneecare.cases.database import get_engine
from kneecare.cases.settings import case_settings
from kneecare.cases.tables import metadata

MIGRATION_LOCK_ID = 73164701  # any constant shared by every process of this app

config = context.config
if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _run(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite needs table copies for most ALTERs
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or case_settings().database_url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or case_settings().database_url
    with get_engine(url).begin() as new_connection:
        _run(new_connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
