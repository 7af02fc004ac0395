"""What each process must be given before it may start with ``KNEE_ENV=production``.

Outside production every process has a safe local default (SQLite under var/,
a key file, a random session key, the demo page's origin). In production a
missing value must stop the process with its name, not fall back silently:
a silent fallback would, say, keep patients' call-back details in a local
file nobody backs up, or open the API to any browser. Each process calls
``refuse_to_start_without`` first; `make run` checks all of them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    """One environment variable a process needs in production, and why."""

    name: str
    why: str


CASE_KEY = Requirement("CASE_DATA_KEY", "Fernet key that encrypts contact details")
CASE_DATABASE = Requirement("DATABASE_URL", "the case database (PostgreSQL)")

REQUIRED: dict[str, tuple[Requirement, ...]] = {
    # Rasa itself refuses unset ${VAR}s in endpoints.yml; these have local defaults
    "rasa": (
        Requirement("ALLOWED_ORIGINS", "the websites allowed to use the chat (CORS)"),
        Requirement("REST_WEBHOOK_TOKEN", "the bearer token the REST webhook requires"),
        CASE_KEY,  # also derives the conversation pseudonyms and widget session signatures
    ),
    "action server": (CASE_KEY, CASE_DATABASE),
    "staff": (
        CASE_KEY,
        CASE_DATABASE,
        Requirement("STAFF_SECRET_KEY", "signs the reception staff's sessions"),
        Requirement("TRACKER_DB_URL", "the conversation database, for transcripts"),
    ),
}


def is_production(env: Mapping[str, str]) -> bool:
    """``KNEE_ENV=production`` (any other value, or none, is development)."""
    return env.get("KNEE_ENV", "development").strip().lower() == "production"


def missing_requirements(process: str, env: Mapping[str, str]) -> list[Requirement]:
    """What ``process`` needs and ``env`` leaves unset or empty (nothing outside production)."""
    if not is_production(env):
        return []
    return [need for need in REQUIRED[process] if not env.get(need.name, "").strip()]


def describe_missing(processes: str, missing: list[Requirement]) -> str:
    """A message that names every missing variable and what it is for."""
    lines = [f"Refusing to start {processes} with KNEE_ENV=production; set:"]
    lines += [f"  {need.name}: {need.why}" for need in missing]
    lines.append("(see .env.example and the README's 'Deploying for real traffic')")
    return "\n".join(lines)


def refuse_to_start_without(env: Mapping[str, str], *processes: str) -> None:
    """Exit with status 2 and a clear message when a production requirement is missing."""
    missing = list(dict.fromkeys(
        need for process in processes for need in missing_requirements(process, env)))
    if missing:
        print(describe_missing(", ".join(processes), missing), file=sys.stderr)
        raise SystemExit(2)
