"""Readiness names the part that is down; liveness does no work (runner/health.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore

from runner.health import action_health_url, readiness_problems


@pytest.mark.parametrize(
    "webhook, health",
    [
        ("http://127.0.0.1:5055/webhook", "http://127.0.0.1:5055/health"),
        ("https://actions.internal/webhook?x=1", "https://actions.internal/health"),
    ],
)
def test_the_action_servers_health_url(webhook: str, health: str) -> None:
    assert action_health_url(webhook) == health


class Agent(SimpleNamespace):
    def is_ready(self) -> bool:
        return bool(self.loaded)


def problems(**agent: Any) -> list[str]:
    return asyncio.run(readiness_problems(Agent(**agent) if agent else None))


def test_no_agent_or_no_model_is_not_ready() -> None:
    assert problems() == ["the model is not loaded"]
    assert problems(loaded=False) == ["the model is not loaded"]


def test_a_tracker_store_that_fell_back_to_memory_is_not_ready() -> None:
    found = problems(loaded=True, tracker_store=SimpleNamespace(
        _tracker_store=InMemoryTrackerStore(domain=None)), action_endpoint=None)
    assert found == ["the tracker store fell back to memory (the database was unreachable"
                     " at start)"]


def test_an_unreachable_action_server_and_database_are_both_named() -> None:
    class BrokenEngine:
        def connect(self) -> Any:
            raise OSError("connection refused")

    found = problems(loaded=True, tracker_store=SimpleNamespace(engine=BrokenEngine()),
                     action_endpoint=SimpleNamespace(url="http://127.0.0.1:9/webhook"))
    assert found == ["the tracker store is unreachable (OSError)",
                     "the action server is unreachable (ClientConnectorError)"]
