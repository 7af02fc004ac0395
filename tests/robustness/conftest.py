"""The real servers, once for tests/robustness: Rasa with every channel, actions, widget, staff.

Started with the same runner as `make run` (runner.services.Assistant) on ports
of their own, Twilio and Telegram pointed at the fake APIs of tests/channels.
``ServersUnderTest.assert_still_serving`` is what every test here ends with:
each process is still running, a normal message still gets an answer, and
none of the server logs gained a traceback while the test ran.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from runner.services import ROOT, Assistant, Ports, latest_model
from tests.channels.fakes import FakeApi, fake_telegram, fake_twilio
from tests.channels.servers import credentials_for_tests
from tests.ports import shifted

PORTS = shifted(Ports(rasa=5705, actions=5755, web=5780, staff=5781))
# with messaging channels on, the REST webhook needs its token (runner/rasa_server.py)
REST_TOKEN = secrets.token_hex(16)
REST_JSON = {"Content-Type": "application/json", "Authorization": f"Bearer {REST_TOKEN}"}
LOGS = ("rasa", "actions", "web", "staff")
FAILURE = re.compile(r"Traceback \(most recent call last\)|\bERROR\b|Exception")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: bytes = b"",
            headers: dict[str, str] | None = None, timeout: float = 60) -> Answer:
    """One HTTP request on a fresh connection, whatever the body and headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        answer = connection.getresponse()
        return Answer(answer.status, {k.lower(): v for k, v in answer.getheaders()},
                      answer.read())
    finally:
        connection.close()


@dataclass
class ServersUnderTest:
    assistant: Assistant
    twilio: FakeApi
    telegram: FakeApi
    log_marks: dict[str, int] = field(default_factory=dict)

    @property
    def ports(self) -> Ports:
        return self.assistant.ports

    @property
    def twilio_webhook(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}/webhooks/twilio/webhook"

    def log(self, name: str) -> Path:
        return self.assistant.log_dir / f"{name}.log"

    def mark_logs(self) -> None:
        self.log_marks = {name: self.log(name).stat().st_size if self.log(name).exists() else 0
                          for name in LOGS}

    def new_log_failures(self) -> list[str]:
        found = []
        for name in LOGS:
            if not self.log(name).exists():
                continue
            with self.log(name).open("rb") as log:
                log.seek(self.log_marks.get(name, 0))
                lines = log.read().decode("utf-8", "replace").splitlines()
            found += [f"{name}.log: {line[:300]}" for line in lines if FAILURE.search(line)]
        return found

    def assert_still_serving(self) -> None:
        self.assistant.check_alive()
        answer = request(self.ports.rasa, "POST", "/webhooks/rest/webhook",
                         json.dumps({"sender": f"after-{secrets.token_hex(4)}",
                                     "message": "hello"}).encode(),
                         REST_JSON)
        assert answer.status == 200 and answer.json(), answer
        for port, path in ((self.ports.web, "/health"), (self.ports.staff, "/health")):
            assert request(port, "GET", path).status == 200
        assert self.new_log_failures() == []


@pytest.fixture(scope="session")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServersUnderTest]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    workdir = tmp_path_factory.mktemp("robustness")
    twilio, telegram = fake_twilio(), fake_telegram()
    assistant = Assistant(
        ports=PORTS, tracker_db=workdir / "tracker.db", log_dir=workdir / "log",
        model=latest_model(),
        credentials=credentials_for_tests(workdir / "credentials.yml", PORTS.rasa,
                                          twilio, telegram),
        environment={"REST_WEBHOOK_TOKEN": REST_TOKEN},
    )
    try:
        assistant.start(timeout=240, with_web=True, with_staff=True)
        yield ServersUnderTest(assistant, twilio, telegram)
    finally:
        assistant.stop()
        twilio.stop()
        telegram.stop()


@pytest.fixture
def servers(running: ServersUnderTest) -> ServersUnderTest:
    """The running servers, with the logs' current ends marked for ``assert_still_serving``."""
    running.mark_logs()
    return running
