"""From outside: the HTTP API needs the token, CORS answers only the clinic's origins,
models cannot be swapped over HTTP, socket.io needs the JWT, and no secret shows in `ps`."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import jwt
import pytest
import requests

from channels.socketio_persistent import ISSUED_SESSION_ID, SESSION_PURPOSE
from kneecare.cases.crypto import ContactCipher
from kneecare.conversation_ids import widget_id
from runner.services import Assistant
from tests.e2e.chat import recognise
from tests.security.conftest import PORTS

ALLOWED = f"http://localhost:{PORTS.web}"
UNSIGNED = uuid.uuid4().hex  # a session id of the right form that the server never issued


def issued_by(locked_down: Assistant, session: str) -> str:
    """A session id as the server issues it: the UUID and its keyed signature."""
    key = locked_down.environment.get("CASE_DATA_KEY") or os.environ["CASE_DATA_KEY"]
    cipher = ContactCipher(key.encode())
    return f"{session}.{cipher.keyed_digest(SESSION_PURPOSE, session)[:32]}"
FOREIGN = "https://attacker.example"


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_http_api_refuses_requests_without_the_token(rasa_url: str, token: str | None) -> None:
    params = {} if token is None else {"token": token}
    response = requests.get(f"{rasa_url}/status", params=params, timeout=10)
    assert response.status_code in (401, 403), response.text


def test_http_api_answers_with_the_token(rasa_url: str, locked_down: Assistant) -> None:
    response = requests.get(f"{rasa_url}/status", params={"token": locked_down.api_token},
                            timeout=10)
    assert response.status_code == 200
    assert Path(response.json()["model_file"]).name.endswith(".tar.gz")


@pytest.mark.parametrize(("method", "path", "body"), [
    ("PUT", "/model", {"model_file": "/tmp/other.tar.gz"}),
    ("PUT", "/model", {"model_server": {"url": "https://attacker.example/model.tar.gz"}}),
    ("POST", "/model/train", {"nlu": "", "stories": ""}),
])
def test_models_cannot_be_swapped_even_with_the_token(
        rasa_url: str, locked_down: Assistant, method: str, path: str,
        body: dict[str, object]) -> None:
    response = requests.request(method, f"{rasa_url}{path}", json=body,
                                params={"token": locked_down.api_token}, timeout=30)
    assert response.status_code == 403
    assert "models/" in response.json()["error"]
    # and the server still answers with its own model
    assert requests.get(f"{rasa_url}/status", params={"token": locked_down.api_token},
                        timeout=10).json()["model_file"]


def test_secrets_are_not_in_the_process_list(locked_down: Assistant) -> None:
    assert locked_down.api_token
    secrets_given = [locked_down.api_token, *(
        value for name, value in locked_down.environment.items()
        if any(word in name for word in ("TOKEN", "KEY", "SECRET")))]
    for process in locked_down.processes:
        command_line = Path(f"/proc/{process.pid}/cmdline").read_bytes().decode()
        for secret in secrets_given:
            assert secret not in command_line
    for log in locked_down.log_dir.glob("*.log"):
        text = log.read_text(errors="replace")
        for secret in secrets_given:
            assert secret not in text, log.name
    written = list(locked_down.tracker_db.parent.rglob("*.yml"))
    assert written, "the merged credentials file is where the runner writes it"
    for path in written:  # the merged credentials keep ${VAR} references only
        for secret in secrets_given:
            assert secret not in path.read_text(), path.name


def preflight(rasa_url: str, origin: str) -> requests.Response:
    return requests.options(
        f"{rasa_url}/webhooks/rest/webhook",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
        timeout=10,
    )


def rest_auth(locked_down: Assistant) -> dict[str, str]:
    return {"Authorization": f"Bearer {locked_down.environment['REST_WEBHOOK_TOKEN']}"}


def test_cors_allows_the_clinics_origin(rasa_url: str, locked_down: Assistant) -> None:
    assert preflight(rasa_url, ALLOWED).headers.get("Access-Control-Allow-Origin") == ALLOWED
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook",
                             headers={"Origin": ALLOWED, **rest_auth(locked_down)},
                             json={"sender": "cors-allowed", "message": "hello"}, timeout=30)
    assert response.status_code == 200
    assert response.headers.get("Access-Control-Allow-Origin") == ALLOWED


@pytest.mark.parametrize("origin", [FOREIGN, "null", "http://localhost:8080.attacker.example"])
def test_cors_does_not_allow_other_origins(rasa_url: str, locked_down: Assistant,
                                           origin: str) -> None:
    assert "Access-Control-Allow-Origin" not in preflight(rasa_url, origin).headers
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook",
                             headers={"Origin": origin, **rest_auth(locked_down)},
                             json={"sender": "cors-foreign", "message": "hello"}, timeout=30)
    assert "Access-Control-Allow-Origin" not in response.headers


class PollingSocket:
    """A socket.io client speaking Engine.IO 4 long-polling by hand (the widget's fallback).

    python-socketio's client waits 30 s on a refused connection and its
    websocket transport needs a newer aiohttp than Rasa pins.
    """

    def __init__(self, rasa_url: str, origin: str, token: str | None) -> None:
        self.url = f"{rasa_url}/socket.io/"
        self.http = requests.Session()
        self.http.headers["Origin"] = origin
        self.connected = False
        opened = self.http.get(self.url, params={"EIO": "4", "transport": "polling"}, timeout=10)
        if opened.status_code != 200:
            return
        self.params = {"EIO": "4", "transport": "polling",
                       "sid": json.loads(opened.text[1:])["sid"]}
        self.http.post(self.url, params=self.params, timeout=10,
                       data="40" + json.dumps({} if token is None else {"token": token}))
        answer = self.http.get(self.url, params=self.params, timeout=10).text
        assert answer.startswith(("40", "44")), answer  # CONNECT or CONNECT_ERROR
        self.connected = answer.startswith("40")

    def emit(self, event: str, data: object) -> None:
        self.http.post(self.url, params=self.params, timeout=10,
                       data="42" + json.dumps([event, data]))

    def events(self, wait: float = 10) -> list[tuple[str, object]]:
        """The events of the next poll; none if nothing arrives within ``wait`` seconds."""
        try:
            body = self.http.get(self.url, params=self.params, timeout=wait).text
        except requests.exceptions.ReadTimeout:
            return []
        return [tuple(json.loads(packet[2:])) for packet in body.split("\x1e")
                if packet.startswith("42")]

    def open_session(self, requested: str | None = None) -> str | None:
        self.emit("session_request", {"session_id": requested})
        for event, session in self.events():
            if event == "session_confirm":
                return str(session)
        return None


def socket_session(rasa_url: str, origin: str, token: str | None,
                   requested: str | None = None) -> str | None:
    """The session id the server confirms, or None when it refuses the connection."""
    client = PollingSocket(rasa_url, origin, token)
    return client.open_session(requested) if client.connected else None


def signed(locked_down: Assistant, key: str | None = None) -> str:
    return jwt.encode({"user": "website-visitor"},
                      key or locked_down.environment["SOCKETIO_JWT_KEY"], algorithm="HS256")


def test_socketio_with_a_valid_jwt_connects_and_resumes_its_session(
        rasa_url: str, locked_down: Assistant) -> None:
    session = issued_by(locked_down, uuid.uuid4().hex)
    assert socket_session(rasa_url, ALLOWED, signed(locked_down), session) == session


@pytest.mark.parametrize("token", [None, "", "not-a-jwt", "wrong-key"])
def test_socketio_without_a_valid_jwt_is_refused(rasa_url: str, locked_down: Assistant,
                                                       token: str | None) -> None:
    if token == "wrong-key":
        token = signed(locked_down, key="another-key-entirely-" + "x" * 20)
    assert socket_session(rasa_url, ALLOWED, token) is None


@pytest.mark.parametrize("origin", [FOREIGN, "null"])
def test_socketio_refuses_pages_from_other_origins_even_with_a_jwt(
        rasa_url: str, locked_down: Assistant, origin: str) -> None:
    assert socket_session(rasa_url, origin, signed(locked_down)) is None


@pytest.mark.parametrize("requested", ["alice", "1", "jwt-check", UNSIGNED,
                                       f"{UNSIGNED}.{'0' * 32}", f"{UNSIGNED}.{UNSIGNED}", None])
def test_socketio_resumes_only_session_ids_it_issued(rasa_url: str, locked_down: Assistant,
                                                     requested: str | None) -> None:
    client = PollingSocket(rasa_url, ALLOWED, signed(locked_down))
    session = client.open_session(requested)
    assert session and session != requested and ISSUED_SESSION_ID.fullmatch(session)
    assert issued_by(locked_down, session.split(".")[0]) == session


def test_socketio_cannot_write_into_another_sockets_session(rasa_url: str,
                                                             locked_down: Assistant) -> None:
    owner = PollingSocket(rasa_url, ALLOWED, signed(locked_down))
    victim_session = owner.open_session()
    intruder = PollingSocket(rasa_url, ALLOWED, signed(locked_down))
    assert intruder.open_session() != victim_session
    intruder.emit("user_uttered", {"session_id": victim_session, "message": "intruder was here"})
    owner.emit("user_uttered", {"session_id": victim_session, "message": "hello"})
    assert any(event == "bot_uttered" for event, _ in owner.events())  # the owner is answered
    assert victim_session
    conversation = widget_id(victim_session.split(".")[0])
    tracker = requests.get(f"{rasa_url}/conversations/{conversation}/tracker",
                           params={"token": locked_down.api_token}, timeout=10).json()
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert "hello" in said
    assert "intruder was here" not in said


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "Bearer wrong-token",
                                           "Basic dXNlcjpwYXNz"])
def test_rest_webhook_needs_its_token_when_one_is_set(rasa_url: str,
                                                      authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", headers=headers,
                             json={"sender": "no-token", "message": "hello"}, timeout=30)
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]


def test_rest_webhook_answers_with_its_token(rasa_url: str, locked_down: Assistant) -> None:
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", headers=rest_auth(locked_down),
                             json={"sender": "with-token", "message": "hello"}, timeout=30)
    assert response.status_code == 200 and response.json()


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_the_action_server_refuses_calls_without_its_token(locked_down: Assistant,
                                                           token: str | None) -> None:
    url = f"http://127.0.0.1:{locked_down.ports.actions}/webhook"
    params = {} if token is None else {"token": token}
    body = {"next_action": "action_assess_knee_pain", "sender_id": "x", "tracker": {}}
    response = requests.post(url, json=body, params=params, timeout=10)
    assert response.status_code == 401


def test_rasa_calls_the_action_server_with_its_token(rasa_url: str,
                                                     locked_down: Assistant) -> None:
    """A form runs custom validation actions: they only answer Rasa if the token arrives."""
    sender = f"token-{uuid.uuid4().hex[:8]}"
    texts: list[str] = []
    for message in ("check my symptoms", "no"):
        replies = requests.post(f"{rasa_url}/webhooks/rest/webhook", headers=rest_auth(locked_down),
                                json={"sender": sender, "message": message}, timeout=60).json()
        texts += [reply.get("text", "") for reply in replies]
    tracker = requests.get(f"{rasa_url}/conversations/rest:{sender}/tracker",
                           params={"token": locked_down.api_token}, timeout=10).json()
    assert tracker["slots"]["screen_emergency"] == "no", texts
    # the form's own validation action answered: the next question, not the safety net
    assert recognise(texts)[-1] == "utter_ask_screen_same_day", texts


def test_everything_the_servers_write_is_readable_by_their_user_only(
        rasa_url: str, locked_down: Assistant) -> None:
    requests.post(f"{rasa_url}/webhooks/rest/webhook", headers=rest_auth(locked_down),
                  json={"sender": "files", "message": "hello"}, timeout=60)
    cases_db = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    written = [path for path in locked_down.tracker_db.parent.rglob("*")]
    written += [path for path in cases_db.parent.rglob("*") if path.name.startswith("cases.db")]
    assert locked_down.tracker_db in written and any(p.suffix == ".log" for p in written)
    for path in written:
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
