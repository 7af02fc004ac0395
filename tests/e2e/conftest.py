"""Starts the real action server and Rasa server once for the end-to-end tests.

The servers run on their own ports with a fresh SQLite tracker store, so a
`make run` in another terminal does not interfere. The trained model comes
from `make test` (trained once per run, only when data or config changed).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.services import Assistant, Ports, latest_model
from tests.e2e.chat import Conversation
from tests.ports import shifted


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    workdir: Path = tmp_path_factory.mktemp("assistant")
    with Assistant(ports=shifted(Ports(rasa=5105, actions=5155)), tracker_db=workdir / "tracker.db",
                   log_dir=workdir / "log", model=latest_model(),
                   api_token=secrets.token_hex(16)).running() as running:
        yield running


@pytest.fixture
def base_url(assistant: Assistant) -> str:
    return f"http://127.0.0.1:{assistant.ports.rasa}"


@pytest.fixture
def conversation(assistant: Assistant, base_url: str) -> Conversation:
    return Conversation(base_url=base_url, api_token=assistant.api_token)
