"""Fake Twilio REST API and Telegram Bot API on loopback, recording what the assistant sends.

Each runs a stdlib HTTP server in a thread. The connectors are pointed at them
with their ``api_base_url`` credential, so tests see the exact requests that
would have gone to Twilio or Telegram and answer them the way those APIs do.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

TEST_TWILIO_SID = "AC" + "0" * 32
TEST_TWILIO_TOKEN = "test-twilio-auth-token"
TEST_TWILIO_NUMBER = "+442079460999"
TEST_TELEGRAM_TOKEN = "123456789:TEST-telegram-token"
TEST_TELEGRAM_SECRET = "test-telegram-secret_0123"
TEST_BOT_USERNAME = "knee_test_bot"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Recorded:
    """One request the fake API received."""

    path: str
    params: dict[str, Any]


@dataclass
class FakeApi:
    """A loopback HTTP API that records POSTs and answers them with ``reply``."""

    reply: Callable[[str, dict[str, Any]], tuple[int, Any]]
    requests: list[Recorded] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params = json.loads(raw or "{}")
                else:
                    params = {key: values[0] if len(values) == 1 else values
                              for key, values in parse_qs(raw, keep_blank_values=True).items()}
                with api._lock:
                    api.requests.append(Recorded(self.path, params))
                status, body = api.reply(self.path, params)
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def received(self, matching: Callable[[Recorded], bool] = lambda _: True) -> list[Recorded]:
        with self._lock:
            return [request for request in self.requests if matching(request)]

    def wait_for(self, matching: Callable[[Recorded], bool], count: int = 1,
                 timeout: float = 30, settle: float = 0.5) -> list[Recorded]:
        """Requests matching, once at least ``count`` arrived and none came for ``settle`` s."""
        deadline = time.monotonic() + timeout
        seen, last_change = -1, time.monotonic()
        while time.monotonic() < deadline:
            found = self.received(matching)
            if len(found) != seen:
                seen, last_change = len(found), time.monotonic()
            elif len(found) >= count and time.monotonic() - last_change >= settle:
                return found
            time.sleep(0.05)
        return self.received(matching)


# ------------------------------------------------------------------- Twilio

def twilio_reply(path: str, params: dict[str, Any]) -> tuple[int, Any]:
    """What Twilio answers to POST /2010-04-01/Accounts/{sid}/Messages.json."""
    if not path.endswith("/Messages.json"):
        return 404, {"code": 20404, "message": "not found", "status": 404}
    return 201, {
        "sid": "SM" + "1" * 32, "account_sid": TEST_TWILIO_SID, "body": params.get("Body"),
        "to": params.get("To"), "from": params.get("From"), "status": "queued",
        "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
    }


def fake_twilio() -> FakeApi:
    return FakeApi(reply=twilio_reply).start()


def twilio_form(sender: str, body: str, to: str = TEST_TWILIO_NUMBER) -> dict[str, str]:
    """An inbound message exactly as Twilio posts it (form fields of an SMS webhook);
    each has its own MessageSid, as Twilio's do."""
    sid = "SM" + uuid.uuid4().hex
    return {
        "ToCountry": "GB", "ToState": "", "SmsMessageSid": sid, "NumMedia": "0",
        "ToCity": "", "FromZip": "", "SmsSid": sid, "FromState": "",
        "SmsStatus": "received", "FromCity": "", "Body": body, "FromCountry": "GB", "To": to,
        "MessagingServiceSid": "", "ToZip": "", "NumSegments": "1", "MessageSid": sid,
        "AccountSid": TEST_TWILIO_SID, "From": sender, "ApiVersion": "2010-04-01",
    }


def twilio_signature(url: str, form: dict[str, str], token: str = TEST_TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, form))


# ----------------------------------------------------------------- Telegram

def telegram_reply(path: str, params: dict[str, Any]) -> tuple[int, Any]:
    """What the Bot API answers to POST /bot{token}/{method}."""
    method = path.rsplit("/", 1)[-1]
    if method == "getMe":
        return 200, {"ok": True, "result": {"id": 123456789, "is_bot": True,
                                            "first_name": "Knee", "username": TEST_BOT_USERNAME}}
    if method in ("sendMessage", "editMessageReplyMarkup", "editMessageText"):
        chat_id = int(params.get("chat_id", 0))
        return 200, {"ok": True, "result": {
            "message_id": int(time.time() * 1000) % 1_000_000, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "text": params.get("text", ""),
        }}
    return 200, {"ok": True, "result": True}


def fake_telegram() -> FakeApi:
    return FakeApi(reply=telegram_reply).start()


def telegram_method(name: str) -> Callable[[Recorded], bool]:
    return lambda request: request.path.rsplit("/", 1)[-1] == name


def telegram_text_update(chat_id: int, text: str, update_id: int = 1) -> dict[str, Any]:
    """A Bot API Update for a private text message."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
    return {"update_id": update_id, "message": {
        "message_id": update_id, "from": user, "date": int(time.time()),
        "chat": {"id": chat_id, "first_name": "Test", "type": "private"}, "text": text,
    }}


def telegram_button_update(chat_id: int, data: str, update_id: int = 1) -> dict[str, Any]:
    """A Bot API Update for a pressed inline keyboard button."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "en"}
    return {"update_id": update_id, "callback_query": {
        "id": str(update_id), "from": user, "chat_instance": "1", "data": data,
        "message": {"message_id": update_id, "date": int(time.time()), "text": "question",
                    "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Knee"}},
    }}


def inline_keyboard(request: Recorded) -> list[list[dict[str, str]]]:
    markup = request.params.get("reply_markup")
    if not markup:
        return []
    return list(json.loads(markup).get("inline_keyboard", []))
