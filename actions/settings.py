"""The action server's settings, from the environment (``kneecare.environment``).

Values are read once into a frozen dataclass so that every action sees the
same configuration and tests can build their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kneecare.environment import environment


@dataclass(frozen=True)
class ActionSettings:
    """Configuration of the action server."""

    clinic_file: str | None  # KNEE_CLINIC_FILE: another clinic.yml (tests, demos)


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Read the environment once."""
    return ActionSettings(clinic_file=environment().get("KNEE_CLINIC_FILE") or None)
