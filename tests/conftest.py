"""Fixtures shared by tests/channels and tests/browser: the assistant with every channel on.

Session-scoped so the Rasa server (about 30 s to load) starts once for both
folders; it is only started when a test asks for ``channel_servers``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from runner.services import ROOT
from tests.channels.fakes import fake_telegram, fake_twilio
from tests.channels.servers import ChannelServers, start


@pytest.fixture(scope="session", autouse=True)
def isolated_storage(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every server a test starts stores cases in a throw-away database, never var/."""
    import os

    folder = tmp_path_factory.mktemp("storage")
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "CASE_DATA_KEY", "CASE_OUTBOX_DIR")}
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'cases.db'}"
    os.environ["CASE_OUTBOX_DIR"] = str(folder / "outbox")
    os.environ["CASE_DATA_KEY"] = "k" * 43 + "="
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def channel_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelServers]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    twilio, telegram = fake_twilio(), fake_telegram()
    try:
        servers = start(tmp_path_factory.mktemp("channels"), twilio, telegram)
        try:
            yield servers
        finally:
            servers.assistant.stop()
    finally:
        twilio.stop()
        telegram.stop()
