"""Shared fixtures of the Rasa patch tests; their skip when the speed patches are off."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> Domain:
    """The project's domain, as the Rasa server loads it."""
    return Domain.load(str(ROOT / "domain.yml"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``KNEE_RASA_PATCHES=off`` the speed patches' own tests skip, saying why."""
    from rasa_patches import speed_patches_wanted

    if speed_patches_wanted(os.environ):
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="KNEE_RASA_PATCHES=off: the speed patches are switched off")
    for item in items:
        if here in Path(str(item.fspath)).parents and "test_install" not in item.nodeid:
            item.add_marker(skip)
