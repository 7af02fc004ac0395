"""Action tests store cases in a throw-away SQLite database, never in var/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import kneecare.cases
from kneecare.cases.settings import case_settings


@pytest.fixture(autouse=True)
def isolated_case_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("CASE_DATA_KEY", "x" * 43 + "=")
    monkeypatch.setenv("CASE_OUTBOX_DIR", str(tmp_path / "outbox"))
    case_settings.cache_clear()
    kneecare.cases.default_store.cache_clear()
    yield
    case_settings.cache_clear()
    kneecare.cases.default_store.cache_clear()


@pytest.fixture
def unavailable_case_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DATABASE_URL points at a folder, which SQLite cannot open: the database is down."""
    (tmp_path / "down.db").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'down.db'}")
    monkeypatch.setenv("CASE_OUTBOX_DIR", str(tmp_path / "outbox"))
    case_settings.cache_clear()
    kneecare.cases.default_store.cache_clear()
