"""Where the case store keeps its data, read from the environment once.

``DATABASE_URL`` chooses the database (SQLite ``var/cases.db`` by default,
PostgreSQL with ``postgresql://...``); ``TRACKER_DB_URL`` names Rasa's tracker
store, whose conversations retention and erasure also delete (default: the
``var/tracker.db`` that ``make run`` uses). ``CASE_DATA_KEY`` is the Fernet
key that encrypts contact details; in development an unset key means a local
key file, ``var/case_data.key``, is created and reused. ``CASE_OUTBOX_DIR``
is where cases wait, encrypted, while the database is unavailable (default
``var/outbox``); ``CASE_OUTBOX_RETRY_SECONDS`` the action server's first pause
before trying them again (default 15). ``retention_days`` comes from clinic.yml (default 365).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kneecare.environment import environment

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var"
DEFAULT_RETENTION_DAYS = 365


@dataclass(frozen=True)
class CaseSettings:
    """Configuration of the case store."""

    database_url: str
    tracker_db_url: str
    case_data_key: str | None  # CASE_DATA_KEY; None: use (or create) key_file
    key_file: Path
    production: bool  # KNEE_ENV=production: no key file fallback
    retention_days: int
    outbox_dir: Path = VAR / "outbox"  # CASE_OUTBOX_DIR: cases waiting for the database
    outbox_retry_seconds: float = 15.0  # CASE_OUTBOX_RETRY_SECONDS: first pause after a failure


def normalise_database_url(url: str) -> str:
    """``postgres://`` (as some hosts write it) -> ``postgresql://``."""
    return "postgresql://" + url[len("postgres://") :] if url.startswith("postgres://") else url


def retention_days_from(clinic_file: Path) -> int:
    """``retention_days`` from clinic.yml, 365 if the file or the key is missing."""
    try:
        data: Any = yaml.safe_load(clinic_file.read_text(encoding="utf-8")) or {}
    except OSError:
        return DEFAULT_RETENTION_DAYS
    value = data.get("retention_days", DEFAULT_RETENTION_DAYS) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{clinic_file}: retention_days must be a positive whole number")
    return value


@lru_cache(maxsize=1)
def case_settings() -> CaseSettings:
    """Read the environment once per process (tests call ``cache_clear``)."""
    env = environment()
    clinic_file = Path(env.get("KNEE_CLINIC_FILE") or ROOT / "clinic.yml")
    return CaseSettings(
        database_url=normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{VAR / 'cases.db'}"
        ),
        tracker_db_url=normalise_database_url(
            env.get("TRACKER_DB_URL") or f"sqlite:///{VAR / 'tracker.db'}"
        ),
        case_data_key=env.get("CASE_DATA_KEY") or None,
        key_file=Path(env.get("CASE_DATA_KEY_FILE") or VAR / "case_data.key"),
        production=env.get("KNEE_ENV", "development") == "production",
        retention_days=retention_days_from(clinic_file),
        outbox_dir=Path(env.get("CASE_OUTBOX_DIR") or VAR / "outbox"),
        outbox_retry_seconds=float(env.get("CASE_OUTBOX_RETRY_SECONDS") or 15.0),
    )
