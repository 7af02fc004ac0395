"""Real processes for the fault tests: a Rasa server and an action server we can break.

One Rasa server (``runner.rasa_server``, so the safety net is installed as in
production) is shared by the module, with its own SQLite tracker store and
the action-call bound set to ``BOUND`` seconds through
``ACTION_TIMEOUT_SECONDS``. The action server runs as a separate
``Assistant`` so a test can stop it, replace it with a server that accepts
connections and never answers, or restart it with an unavailable case
database. Ports 5805 (Rasa) and 5855 (actions) are this folder's own.
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from runner.services import Assistant, Ports, latest_model
from tests.e2e.chat import Conversation
from tests.ports import shifted

PORTS = shifted(Ports(rasa=5805, actions=5855, web=5880, staff=5881))
BOUND = 3.0  # seconds; the production default is 10


class HungActionServer:
    """Listens on the action port, accepts every connection, never answers."""

    def __init__(self, port: int):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(64)
        self.listener.settimeout(0.1)  # closing a socket does not wake a blocked accept()
        self.accepted: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)  # read nothing, answer nothing

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)  # no connection is accepted after this
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@dataclass
class Rig:
    """The running Rasa server and the action server the tests break and mend."""

    workdir: Path
    rasa: Assistant
    actions: Assistant

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{PORTS.rasa}"

    def conversation(self) -> Conversation:
        return Conversation(base_url=self.base_url, api_token=self.rasa.api_token)

    def start_actions(self, **env: str) -> None:
        """Start the real action server, with extra environment for it alone."""
        self.actions.environment = dict(env)
        self.actions.start(with_rasa_server=False, timeout=120)

    def stop_actions(self) -> None:
        self.actions.stop()
        _wait_until_closed(PORTS.actions)

    @contextmanager
    def hung_actions(self) -> Iterator[HungActionServer]:
        self.stop_actions()
        hung = HungActionServer(PORTS.actions)
        try:
            yield hung
        finally:
            hung.stop()

    def restart_rasa(self) -> None:
        self.rasa.stop()
        _wait_until_closed(PORTS.rasa)
        self.rasa.start(with_actions=False, timeout=240)


def _wait_until_closed(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"port {port} still answers")


@pytest.fixture(scope="module")
def rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    workdir = tmp_path_factory.mktemp("faults")
    tracker_db = workdir / "tracker.db"
    actions = Assistant(ports=PORTS, tracker_db=tracker_db, log_dir=workdir / "log-actions")
    rasa = Assistant(ports=PORTS, tracker_db=tracker_db, log_dir=workdir / "log-rasa",
                     model=latest_model(), api_token=secrets.token_hex(16),
                     environment={"ACTION_TIMEOUT_SECONDS": str(BOUND)})
    setup = Rig(workdir, rasa, actions)
    try:
        setup.start_actions()
        rasa.start(with_actions=False, timeout=240)
        yield setup
    finally:
        rasa.stop()
        actions.stop()


@pytest.fixture
def actions_up(rig: Rig) -> Rig:
    """The real action server is running when the test starts (tests that break it
    leave it stopped or, with a different environment, stop it at their end)."""
    if not any(process.poll() is None for process in rig.actions.processes):
        rig.actions.stop()  # forget exited processes
        rig.start_actions()
    return rig
