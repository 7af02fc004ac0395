"""The one reader of the process environment.

Each process's settings modules (``actions/settings.py``,
``kneecare/cases/settings.py``, ``staff/settings.py``, ``kneecare/clinic.py``,
the entry points in ``runner/``) take the environment from ``environment()``,
and the code below them is handed a mapping, so tests pass their own.
tests/unit/test_one_environment_reader.py fails if any other module reads
``os.environ`` or ``os.getenv``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


def environment() -> Mapping[str, str]:
    """The process environment as it is now (read-only here)."""
    return os.environ
