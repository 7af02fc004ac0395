"""The only place the staff view reads its environment.

``STAFF_SECRET_KEY`` keys the session and sign-in tokens; it is required when
``KNEE_ENV=production`` (a random key per process otherwise, so sessions end
when the app restarts). ``DATABASE_URL`` and ``TRACKER_DB_URL`` are the case
store and Rasa's tracker store, with the same defaults as ``kneecare.cases``.
``STAFF_COOKIE_SECURE`` is ``auto`` (Secure cookies on https requests; needs
the proxy's forwarded headers to be trusted, see Sanic's ``FORWARDED_SECRET``
or ``PROXIES_COUNT``), ``true`` or ``false``; production defaults to ``true``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kneecare.cases.settings import VAR, normalise_database_url
from kneecare.environment import environment

MIN_SECRET_LENGTH = 32


class StaffSettingsError(ValueError):
    """A missing or malformed setting; the message names the variable."""


@dataclass(frozen=True)
class StaffSettings:
    """Configuration of the staff view."""

    secret_key: str
    database_url: str
    tracker_db_url: str
    host: str = "127.0.0.1"
    port: int = 8081
    production: bool = False
    cookie_secure: bool | None = None  # None: Secure when the request came over https
    session_hours: float = 10.0  # a whole shift
    idle_minutes: int = 60
    ephemeral_secret: bool = False  # no STAFF_SECRET_KEY: a random key for this process


def _flag(env: Mapping[str, str], name: str, default: str) -> bool | None:
    value = env.get(name, default).strip().lower()
    if value in ("auto", ""):
        return None
    if value in ("1", "true", "yes"):
        return True
    if value in ("0", "false", "no"):
        return False
    raise StaffSettingsError(f"{name} must be auto, true or false, not {value!r}")


def _number(env: Mapping[str, str], name: str, default: str) -> float:
    raw = env.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        raise StaffSettingsError(f"{name} must be a number, not {raw!r}") from None
    if value <= 0:
        raise StaffSettingsError(f"{name} must be positive")
    return value


def settings_from(env: Mapping[str, str]) -> StaffSettings:
    """Build settings from an environment mapping (tests pass their own)."""
    production = env.get("KNEE_ENV", "development") == "production"
    secret = env.get("STAFF_SECRET_KEY", "")
    if production and len(secret) < MIN_SECRET_LENGTH:
        raise StaffSettingsError(
            f"STAFF_SECRET_KEY of at least {MIN_SECRET_LENGTH} characters is required when"
            " KNEE_ENV=production (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    port = _number(env, "STAFF_PORT", "8081")
    if not port.is_integer() or not 0 < port < 65536:
        raise StaffSettingsError("STAFF_PORT must be a port number")
    return StaffSettings(
        secret_key=secret or secrets.token_urlsafe(48),
        database_url=normalise_database_url(
            env.get("DATABASE_URL") or f"sqlite:///{VAR / 'cases.db'}"
        ),
        tracker_db_url=normalise_database_url(
            env.get("TRACKER_DB_URL") or f"sqlite:///{VAR / 'tracker.db'}"
        ),
        host=env.get("STAFF_HOST", "127.0.0.1"),
        port=int(port),
        production=production,
        cookie_secure=_flag(env, "STAFF_COOKIE_SECURE", "true" if production else "auto"),
        session_hours=_number(env, "STAFF_SESSION_HOURS", "10"),
        idle_minutes=int(_number(env, "STAFF_IDLE_MINUTES", "60")),
        ephemeral_secret=not secret,
    )


@lru_cache(maxsize=1)
def get_settings() -> StaffSettings:
    """Read the environment once."""
    return settings_from(environment())
