"""Real databases for the case store tests: an SQLite file and PostgreSQL.

``db_url`` runs each test twice: on a fresh SQLite file, and on PostgreSQL at
127.0.0.1:5432, database ``test``, in a schema of its own that is dropped
afterwards (so parallel runs do not collide). Without a reachable PostgreSQL
the second run is skipped, saying why. ``tracker_url`` is an SQLite tracker
store with Rasa's ``events`` table.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine, upgrade_database
from kneecare.cases.store import CaseStore
from tests.cases.tracker import create_events_table

PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_DATABASE = "test"


def _postgres_user() -> tuple[str | None, str]:
    """A user that can connect, or None and why not."""
    import psycopg2

    reasons = []
    for user in ("postgres", "root"):
        try:
            psycopg2.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user,
                             connect_timeout=2).close()
            return user, ""
        except psycopg2.OperationalError as error:
            reasons.append(f"{user}: {str(error).strip().splitlines()[0]}")
    return None, "; ".join(reasons)


@pytest.fixture(scope="session")
def postgres_user() -> str:
    user, why = _postgres_user()
    if user is None:
        pytest.skip(f"PostgreSQL at {PG_HOST}:{PG_PORT}/{PG_DATABASE} not reachable ({why})")
    return user


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cases.db'}"
        yield url
        get_engine(url).dispose()
        return
    import psycopg2

    user = request.getfixturevalue("postgres_user")
    schema = f"kc_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host=PG_HOST, port=PG_PORT, dbname=PG_DATABASE, user=user)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schema}"')
    url = (f"postgresql://{user}@{PG_HOST}:{PG_PORT}/{PG_DATABASE}"
           f"?options=-csearch_path%3D{schema}")
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture
def tracker_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    create_events_table(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def cipher() -> ContactCipher:
    return ContactCipher(Fernet.generate_key())


@pytest.fixture
def store(db_url: str, tracker_url: str, cipher: ContactCipher) -> CaseStore:
    upgrade_database(db_url)
    return CaseStore(db_url, cipher, tracker_url)
