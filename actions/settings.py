"""The only place the action server reads its environment.

Values are read once into a frozen dataclass so that every action sees the
same configuration and tests can build their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ActionSettings:
    """Configuration of the action server."""

    clinic_file: str | None  # KNEE_CLINIC_FILE: another clinic.yml (tests, demos)


@lru_cache(maxsize=1)
def get_settings() -> ActionSettings:
    """Read the environment once."""
    return ActionSettings(clinic_file=os.environ.get("KNEE_CLINIC_FILE") or None)
