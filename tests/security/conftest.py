"""One real Rasa server and action server, started the way `make run` starts them, with secrets set.

The API token and the socket.io JWT key are given only through the
environment, as an operator would; the tests then check from outside what is
open and what is not.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.services import Assistant, Ports, latest_model
from tests.ports import shifted

PORTS = shifted(Ports(rasa=6105, actions=6155, web=6180))


@pytest.fixture(scope="session")
def locked_down(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    workdir: Path = tmp_path_factory.mktemp("locked-down")
    with Assistant(ports=PORTS, tracker_db=workdir / "tracker.db", log_dir=workdir / "log",
                   model=latest_model(), api_token=secrets.token_hex(16),
                   environment={"SOCKETIO_JWT_KEY": secrets.token_hex(32),
                                # listening beyond loopback, so the action server needs a token
                                "ACTION_SERVER_HOST": "0.0.0.0",
                                "ACTION_SERVER_TOKEN": secrets.token_hex(16),
                                "REST_WEBHOOK_TOKEN": secrets.token_hex(16)}).running() as running:
        yield running


@pytest.fixture
def rasa_url(locked_down: Assistant) -> str:
    return f"http://127.0.0.1:{locked_down.ports.rasa}"
