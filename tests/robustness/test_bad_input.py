"""Every endpoint answers a catalogue of bad requests with a clear 4xx or a friendly reply.

Against the real servers (see conftest.py): the REST webhook, socket.io,
Twilio, Telegram, the widget's static server and the staff view. After each
group the servers must still answer a normal message and their logs must not
have gained a traceback.
"""

from __future__ import annotations

import json
import queue
import socket
import urllib.parse
import uuid

import pytest
import socketio

from channels.socketio_persistent import ISSUED_SESSION_ID
from kneecare.message_limits import MAX_MESSAGE_CHARS
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    telegram_method,
    telegram_text_update,
    twilio_form,
    twilio_signature,
)
from tests.robustness.conftest import REST_JSON, ServersUnderTest, request

JSON = REST_JSON
TOO_LONG = "x" * 100_000
PLAIN_TEXTS = ["ركبتي تؤلمني عند المشي", "my knee 😀🦵🏽 hurts",
               "<b>knee</b><script>alert(1)</script>", "'; DROP TABLE events; --",
               "\u202eevil\u202c", "/greet{broken", "/no_such_intent"]


def body(value: object) -> bytes:
    return json.dumps(value).encode()


# (what is sent, status, words in the JSON error)
REST_BAD = [
    (b"not json", 400, "not valid JSON"),
    (b"", 400, "body is empty"),
    (b"\xff\xfe\x00{", 400, "not valid UTF-8"),
    (b"[1, 2]", 400, "must be a JSON object"),
    (b"null", 400, "must be a JSON object"),
    (b'"hello"', 400, "must be a JSON object"),
    (b"[" * 100_000, 400, "not valid JSON"),
    (body({"message": "hi"}), 400, "sender is missing"),
    (body({"sender": "a"}), 400, "message is missing"),
    (body({"sender": "a", "message": None}), 400, "message is missing"),
    (body({"sender": "a", "message": 5}), 400, "not a number"),
    (body({"sender": "a", "message": ["hi"]}), 400, "not an array"),
    (body({"sender": 5, "message": "hi"}), 400, "sender must be a string"),
    (body({"sender": "a", "message": ""}), 400, "message is empty"),
    (body({"sender": "a", "message": "  \n"}), 400, "message is empty"),
    (body({"sender": "a", "message": "\ud800"}), 400, "invalid characters"),
    # this one stopped the whole Rasa server before (the SQL tracker store exits)
    (body({"sender": "\ud800", "message": "hi"}), 400, "printable"),
    (body({"sender": "a\x00b", "message": "hi"}), 400, "printable"),
    (body({"sender": "a", "message": "hi", "metadata": "x"}), 400, "metadata must be an object"),
    (body({"sender": "a", "message": "hi", "input_channel": 5}), 400, "input_channel"),
    (body({"sender": "a", "message": TOO_LONG}), 413, f"maximum is {MAX_MESSAGE_CHARS:,}"),
    (body({"sender": "x" * 10_000, "message": "hi"}), 413, "maximum is 128"),
]


@pytest.mark.parametrize(("sent", "status", "words"), REST_BAD, ids=range(len(REST_BAD)))
def test_rest_refuses_bad_requests_with_a_json_error(servers: ServersUnderTest, sent: bytes,
                                                     status: int, words: str) -> None:
    answer = request(servers.ports.rasa, "POST", "/webhooks/rest/webhook", sent, JSON)
    assert answer.status == status, answer
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()
    assert isinstance(error, dict) and words in error["error"], error
    servers.assert_still_serving()


@pytest.mark.parametrize("content_type", [None, "text/plain", "text/plain;charset=UTF-8",
                                          "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_rest_takes_only_json_so_other_sites_cannot_post_without_a_preflight(
        servers: ServersUnderTest, content_type: str | None) -> None:
    headers = {"Authorization": REST_JSON["Authorization"]}
    if content_type is not None:
        headers["Content-Type"] = content_type
    sent = body({"sender": "cross-site", "message": "hello"})
    answer = request(servers.ports.rasa, "POST", "/webhooks/rest/webhook", sent, headers)
    assert answer.status == 415, answer
    assert "application/json" in answer.json()["error"]
    servers.assert_still_serving()


def test_rest_refuses_a_body_over_sanics_limit_with_413(servers: ServersUnderTest) -> None:
    with socket.create_connection(("127.0.0.1", servers.ports.rasa), timeout=30) as raw:
        raw.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 5242880\r\n\r\n{")
        status_line = raw.recv(1024).split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"413", status_line
    servers.assert_still_serving()


@pytest.mark.parametrize("text", [*PLAIN_TEXTS, "a" * MAX_MESSAGE_CHARS])
def test_rest_answers_odd_but_valid_messages(servers: ServersUnderTest, text: str) -> None:
    answer = request(servers.ports.rasa, "POST", "/webhooks/rest/webhook",
                     body({"sender": f"odd-{uuid.uuid4().hex[:8]}", "message": text}), JSON)
    assert answer.status == 200, answer
    assert isinstance(answer.json(), list)
    servers.assert_still_serving()


# ---------------------------------------------------------------- Twilio

def post_twilio(servers: ServersUnderTest, form: dict[str, str]) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": twilio_signature(servers.twilio_webhook, form)}
    answer = request(servers.ports.rasa, "POST", "/webhooks/twilio/webhook",
                     urllib.parse.urlencode(form).encode(), headers)
    return answer.status


def twilio_replies_to(servers: ServersUnderTest, number: str) -> list[str]:
    sent = servers.twilio.received(lambda r: r.params.get("To") == number)
    return [r.params["Body"] for r in sent]


def test_twilio_asks_for_a_shorter_message_instead_of_reading_a_long_one(
        servers: ServersUnderTest) -> None:
    number = "+447700900" + str(uuid.uuid4().int)[:3]
    assert post_twilio(servers, twilio_form(number, TOO_LONG)) == 200
    replies = twilio_replies_to(servers, number)
    assert len(replies) == 1 and "too long" in replies[0] and "2,000" in replies[0], replies
    servers.assert_still_serving()


@pytest.mark.parametrize("form", [
    {"Body": "hello"},
    {"From": "x" * 10_000, "Body": "hello"},
], ids=["no sender", "long sender"])
def test_twilio_ignores_what_it_cannot_answer(servers: ServersUnderTest, form: dict[str, str]
                                              ) -> None:
    before = len(servers.twilio.received())
    assert post_twilio(servers, form) == 200
    assert len(servers.twilio.received()) == before
    servers.assert_still_serving()


@pytest.mark.parametrize("body", [{"Body": ""}, {}, {"Body": "   "}],
                         ids=["empty", "no body", "blank"])
def test_twilio_asks_for_words_when_a_message_has_none(servers: ServersUnderTest,
                                                       body: dict[str, str]) -> None:
    number = "+447700902" + str(uuid.uuid4().int)[:3]
    assert post_twilio(servers, {"From": number, **body}) == 200
    replies = twilio_replies_to(servers, number)
    assert len(replies) == 1 and "describe it in words" in replies[0], replies
    servers.assert_still_serving()


@pytest.mark.parametrize("sent", [b"\xff\xfe", b"From=%FF&Body=%FE", b"", b"a" * 100_000])
def test_twilio_refuses_unsigned_garbage(servers: ServersUnderTest, sent: bytes) -> None:
    answer = request(servers.ports.rasa, "POST", "/webhooks/twilio/webhook", sent,
                     {"Content-Type": "application/x-www-form-urlencoded",
                      "X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"})
    assert answer.status == 403
    servers.assert_still_serving()


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_twilio_answers_odd_but_valid_messages(servers: ServersUnderTest, text: str) -> None:
    number = "+447700901" + str(uuid.uuid4().int)[:3]
    assert post_twilio(servers, twilio_form(number, text)) == 200
    assert twilio_replies_to(servers, number)
    servers.assert_still_serving()


# ---------------------------------------------------------------- Telegram

TELEGRAM = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token":
            TEST_TELEGRAM_SECRET}


def post_telegram(servers: ServersUnderTest, sent: bytes) -> int:
    return request(servers.ports.rasa, "POST", "/webhooks/telegram/webhook", sent,
                   TELEGRAM).status


def update_with(message: object) -> bytes:
    return body({"update_id": 1, "message": message})


@pytest.mark.parametrize(("sent", "status"), [
    (b"not json", 400),
    (b"\xff\xfe", 400),
    (b"", 400),
    (b"[1]", 400),
    (b"5", 400),
    (update_with(5), 400),
    (update_with({"message_id": 1, "date": 1, "chat": 5, "text": "hi"}), 400),
    (body({"update_id": "x"}), 200),
], ids=range(8))
def test_telegram_refuses_what_is_not_an_update(servers: ServersUnderTest, sent: bytes,
                                               status: int) -> None:
    before = len(servers.telegram.received(telegram_method("sendMessage")))
    assert post_telegram(servers, sent) == status
    assert len(servers.telegram.received(telegram_method("sendMessage"))) == before
    servers.assert_still_serving()


@pytest.mark.parametrize("message", [
    {"text": 5}, {"text": "   "}, {"sticker": {"file_id": "s", "file_unique_id": "u", "width": 9,
                                                 "height": 9, "is_animated": False}},
], ids=["text not a string", "blank", "sticker"])
def test_telegram_asks_for_words_when_a_message_has_none(servers: ServersUnderTest,
                                                         message: dict[str, object]) -> None:
    chat = 7_300_000 + uuid.uuid4().int % 1000
    sent_message = {"message_id": 1, "date": 1, "chat": {"id": chat, "type": "private"},
                    **message}
    assert post_telegram(servers, update_with(sent_message)) == 200
    replies = servers.telegram.received(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert len(replies) == 1 and "describe it in words" in replies[0].params["text"]
    servers.assert_still_serving()


def test_telegram_asks_for_a_shorter_message_instead_of_reading_a_long_one(
        servers: ServersUnderTest) -> None:
    chat = 7_200_000 + uuid.uuid4().int % 1000
    assert post_telegram(servers, body(telegram_text_update(chat, TOO_LONG))) == 200
    sent = servers.telegram.received(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert len(sent) == 1 and "too long" in sent[0].params["text"]
    servers.assert_still_serving()


# ---------------------------------------------------------------- socket.io

def socket_client(servers: ServersUnderTest, session_id: object
                  ) -> tuple[socketio.Client, queue.Queue[dict[str, object]], str]:
    inbox: queue.Queue[dict[str, object]] = queue.Queue()
    confirmed: queue.Queue[str] = queue.Queue()
    client = socketio.Client()
    client.on("session_confirm", confirmed.put)
    client.on("bot_uttered", inbox.put)
    client.connect(f"http://127.0.0.1:{servers.ports.rasa}", transports=["polling"])
    client.emit("session_request", {"session_id": session_id})
    return client, inbox, confirmed.get(timeout=30)


@pytest.mark.parametrize("session_id", [None, 5, "", "x" * 10_000, "\ud800", "a\nb"])
def test_socketio_gives_a_new_session_for_a_bad_session_id(servers: ServersUnderTest,
                                                           session_id: object) -> None:
    client, _, confirmed = socket_client(servers, session_id)
    client.disconnect()
    assert confirmed != session_id and ISSUED_SESSION_ID.fullmatch(confirmed)
    servers.assert_still_serving()


def test_socketio_ignores_bad_payloads_and_asks_for_shorter_messages(
        servers: ServersUnderTest) -> None:
    client, inbox, session = socket_client(servers, uuid.uuid4().hex)
    try:
        client.emit("user_uttered")
        client.emit("user_uttered", ("two", "arguments"))
        for payload in ["text", 5, None, [1], {"session_id": session},
                        {"session_id": session, "message": 5},
                        {"session_id": session, "message": ""},
                        {"session_id": "\ud800", "message": "hi"},
                        {"message": "hi"},
                        {"session_id": session, "message": "hi", "metadata": "{not json"}]:
            client.emit("user_uttered", payload)
        client.emit("user_uttered", {"session_id": session, "message": "y" * 5000})
        first = inbox.get(timeout=30)
        assert "too long" in str(first.get("text")), first
        client.emit("user_uttered", {"session_id": session, "message": "hello"})
        assert inbox.get(timeout=30).get("text")
    finally:
        client.disconnect()
    servers.assert_still_serving()


def test_socketio_drops_a_packet_over_its_limit(servers: ServersUnderTest) -> None:
    client, inbox, session = socket_client(servers, uuid.uuid4().hex)
    try:
        client.emit("user_uttered", {"session_id": session, "message": TOO_LONG})
        with pytest.raises(queue.Empty):
            inbox.get(timeout=3)
    finally:
        client.disconnect()
    servers.assert_still_serving()


# ------------------------------------------------- widget server and staff view

@pytest.mark.parametrize(("method", "path", "sent", "status"), [
    ("POST", "/", b"x", 405),
    ("PUT", "/widget/knee-widget.js", b"", 405),
    ("DELETE", "/health", b"", 405),
    ("FOO", "/", b"", 405),
    ("GET", "/../../etc/passwd", b"", 404),
    ("GET", "/" + "a" * 10_000, b"", 404),
    ("GET", "/%ff%fe?x=\u202e", b"", 404),
])
def test_widget_server_answers_4xx_json(servers: ServersUnderTest, method: str, path: str,
                                        sent: bytes, status: int) -> None:
    answer = request(servers.ports.web, method, urllib.parse.quote(path, safe="/%?="), sent)
    assert answer.status == status
    if status == 405:
        assert "error" in json.loads(answer.body)
    servers.assert_still_serving()


@pytest.mark.parametrize(("request_line", "status"), [
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1", b"414"),
    (b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 70_000, b"431"),
])
def test_widget_server_answers_a_malformed_request_with_json(
        servers: ServersUnderTest, request_line: bytes, status: bytes) -> None:
    with socket.create_connection(("127.0.0.1", servers.ports.web), timeout=10) as raw:
        raw.sendall(request_line + b"\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, _, sent = answer.partition(b"\r\n\r\n")
    assert head.split()[1] == status, head
    assert "error" in json.loads(sent)
    servers.assert_still_serving()


@pytest.mark.parametrize(("method", "path", "sent", "content_type", "status"), [
    ("POST", "/signin", b"\xff\xfe", "application/x-www-form-urlencoded", 403),
    ("POST", "/signin", b"username=a&password=b", "text/plain", 403),
    ("POST", "/signin", b"a" * 100_000, "application/x-www-form-urlencoded", 413),
    ("POST", "/cases/1/status", b"status=x", "application/x-www-form-urlencoded", 401),
    ("GET", "/cases/99999999999999999999", b"", "", 302),
    ("GET", "/queue?status=%ff", b"", "", 302),
    ("GET", "/export.csv?level=\u202e", b"", "", 401),
    ("GET", "/" + "a" * 5000, b"", "", 404),
    ("PATCH", "/queue", b"", "", 405),
])
def test_staff_view_answers_4xx(servers: ServersUnderTest, method: str, path: str, sent: bytes,
                                content_type: str, status: int) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = request(servers.ports.staff, method, urllib.parse.quote(path, safe="/%?=&"), sent,
                     headers)
    assert answer.status in (status, 303 if status == 302 else status), answer.status
    servers.assert_still_serving()
