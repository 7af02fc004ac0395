"""The schema is made by Alembic migrations that match the tables and can run again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from kneecare.cases.database import (
    alembic_config,
    current_revision,
    get_engine,
    upgrade_database,
)
from kneecare.cases.tables import metadata


def test_an_empty_database_is_upgraded_to_the_newest_revision(db_url: str) -> None:
    assert current_revision(db_url) is None
    upgrade_database(db_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert current_revision(db_url) == head
    tables = set(sa.inspect(get_engine(db_url)).get_table_names())
    assert {"cases", "case_status_changes", "staff_users", "staff_sessions", "audit_log"} <= tables


def test_upgrading_twice_keeps_the_data(db_url: str) -> None:
    upgrade_database(db_url)
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.text("INSERT INTO audit_log (at, username, action, detail, remote_addr)"
                    " VALUES (CURRENT_TIMESTAMP, 'ana', 'sign_in', '', '')")
        )
    upgrade_database(db_url)
    with get_engine(db_url).connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 1


def test_the_migrations_match_the_table_definitions(db_url: str) -> None:
    upgrade_database(db_url)
    with get_engine(db_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
