"""kneecare.message_limits: what each malformed sender, message or REST body is told (pure)."""

from __future__ import annotations

import pytest

from kneecare.message_limits import (
    MAX_MESSAGE_CHARS,
    MAX_SENDER_ID_CHARS,
    Kind,
    check_incoming,
    check_rest_body,
    too_long_reply,
)

OK = None

# (sender, text) -> (kind, field, words in the detail), or OK
INCOMING = [
    ("someone", "my knee hurts", OK),
    ("someone", "a" * MAX_MESSAGE_CHARS, OK),
    ("someone", "😀" * MAX_MESSAGE_CHARS, OK),
    ("x" * MAX_SENDER_ID_CHARS, "hi", OK),
    ("whatsapp:+447700900123", "hi", OK),
    ("someone", "ركبتي تؤلمني عند المشي", OK),
    ("someone", "<script>alert(1)</script>", OK),
    ("someone", "'; DROP TABLE events; --", OK),
    ("someone", "line one\nline two\x00", OK),
    (None, "hi", (Kind.MALFORMED, "sender", "sender is missing")),
    (5, "hi", (Kind.MALFORMED, "sender", "must be a string, not a number")),
    (["a"], "hi", (Kind.MALFORMED, "sender", "not an array")),
    ("  ", "hi", (Kind.MALFORMED, "sender", "sender is empty")),
    ("x" * 10_000, "hi", (Kind.TOO_LONG, "sender", "10,000 characters long")),
    ("\ud800", "hi", (Kind.MALFORMED, "sender", "printable")),
    ("a\x00b", "hi", (Kind.MALFORMED, "sender", "printable")),
    ("a\nb", "hi", (Kind.MALFORMED, "sender", "printable")),
    ("someone", None, (Kind.MALFORMED, "message", "message is missing")),
    ("someone", 5, (Kind.MALFORMED, "message", "not a number")),
    ("someone", True, (Kind.MALFORMED, "message", "not a boolean")),
    ("someone", ["hi"], (Kind.MALFORMED, "message", "not an array")),
    ("someone", {"text": "hi"}, (Kind.MALFORMED, "message", "not an object")),
    ("someone", "", (Kind.EMPTY, "message", "message is empty")),
    ("someone", " \n\t ", (Kind.EMPTY, "message", "message is empty")),
    ("someone", "x\ud800", (Kind.MALFORMED, "message", "invalid characters")),
    ("someone", "a" * (MAX_MESSAGE_CHARS + 1), (Kind.TOO_LONG, "message", "the maximum is 2,000")),
    ("someone", "x" * 100_000, (Kind.TOO_LONG, "message", "100,000 characters long")),
]


@pytest.mark.parametrize(("sender", "text", "expected"), INCOMING)
def test_check_incoming(sender: object, text: object, expected: tuple[Kind, str, str] | None
                        ) -> None:
    problem = check_incoming(sender, text)
    if expected is OK:
        assert problem is None
        return
    assert problem is not None
    kind, field, words = expected
    assert (problem.kind, problem.field) == (kind, field)
    assert words in problem.detail


BODIES = [
    ({"sender": "a", "message": "hi"}, OK),
    ({"sender": "a", "message": "hi", "metadata": {"page": "/"}, "input_channel": "web"}, OK),
    ({"sender": "a", "message": "hi", "metadata": None}, OK),
    ([{"sender": "a", "message": "hi"}], (400, "body", "must be a JSON object")),
    ("hello", (400, "body", "not a string")),
    (None, (400, "body", "not null")),
    ({"message": "hi"}, (400, "sender", "sender is missing")),
    ({"sender": "a"}, (400, "message", "message is missing")),
    ({"sender": "a", "message": 5}, (400, "message", "not a number")),
    ({"sender": "a", "message": "x" * 100_000}, (413, "message", "the maximum is 2,000")),
    ({"sender": "x" * 10_000, "message": "hi"}, (413, "sender", "the maximum is 128")),
    ({"sender": "a", "message": "hi", "metadata": "x"}, (400, "metadata", "not a string")),
    ({"sender": "a", "message": "hi", "metadata": [1]}, (400, "metadata", "not an array")),
    ({"sender": "a", "message": "hi", "input_channel": 5}, (400, "input_channel", "string")),
    ({"sender": "a", "message": "hi", "input_channel": "x" * 65}, (400, "input_channel", "64")),
]


@pytest.mark.parametrize(("body", "expected"), BODIES)
def test_check_rest_body(body: object, expected: tuple[int, str, str] | None) -> None:
    problem = check_rest_body(body)
    if expected is OK:
        assert problem is None
        return
    assert problem is not None
    status, field, words = expected
    assert (problem.http_status, problem.field) == (status, field)
    assert words in problem.detail


def test_the_too_long_reply_names_the_limit_and_the_emergency_number() -> None:
    reply = too_long_reply("999")
    assert "2,000 characters" in reply
    assert "call 999" in reply
