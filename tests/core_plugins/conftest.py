"""Shared fixtures of the core plugin tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> Domain:
    """The project's domain, as the Rasa server loads it."""
    return Domain.load(str(ROOT / "domain.yml"))
