"""Outcome and 999 messages reach the website widget whole, marked as cards; refused origins
are logged safely."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml

from channels.socketio_persistent import loggable_origin
from channels.widget_cards import EMERGENCY_ADVICE, OUTCOME_PREFIX, CardSocketIOOutput, card_for

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


class RecordingServer:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str]] = []

    async def emit(self, event: str, data: Any, room: str) -> None:
        self.emitted.append((event, data, room))


def sent(message: dict[str, Any]) -> list[Any]:
    server = RecordingServer()
    output = CardSocketIOOutput(server, "bot_uttered")  # type: ignore[arg-type]
    asyncio.run(output.send_response("room-1", dict(message)))
    return [data for _, data, _ in server.emitted]


def test_every_outcome_and_emergency_response_in_the_domain_is_a_card() -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    outcomes = [name for name in responses if name.startswith(OUTCOME_PREFIX)]
    assert len(outcomes) == 5
    assert {card_for(name) for name in outcomes} == {
        "emergency",
        "same_day",
        "gp_soon",
        "physio",
        "self_care",
    }
    assert set(responses) >= EMERGENCY_ADVICE
    assert {card_for(name) for name in EMERGENCY_ADVICE} == {"emergency"}


def test_other_messages_are_not_cards() -> None:
    for name in ("utter_greet", "utter_outcome_", None, 3, "utter_faq/causes"):
        assert card_for(name) is None


def test_an_outcome_with_buttons_is_one_card_with_its_replies() -> None:
    text = "I'd suggest seeing a physiotherapist.\nWhy: it has lasted 3 weeks.\n\nBook online."
    [message] = sent(
        {
            "text": text,
            "utter_action": "utter_outcome_physio",
            "buttons": [{"title": "How do I book?", "payload": "/book_appointment"}],
        }
    )
    assert message == {
        "text": text,
        "card": "physio",
        "quick_replies": [
            {"content_type": "text", "title": "How do I book?", "payload": "/book_appointment"}
        ],
    }


def test_emergency_advice_is_an_emergency_card() -> None:
    [message] = sent(
        {
            "text": "Please call 999 now.\n\nThen one question.",
            "utter_action": "utter_emergency_advice_first",
        }
    )
    assert message == {"text": "Please call 999 now.\n\nThen one question.", "card": "emergency"}


def test_a_plain_message_is_sent_as_rasa_sends_it() -> None:
    assert sent({"text": "Hello.\n\nHow can I help?", "utter_action": "utter_greet"}) == [
        {"text": "Hello."},
        {"text": "How can I help?"},
    ]


def test_a_refused_origin_is_logged_as_sent_only_when_it_is_an_origin() -> None:
    assert loggable_origin("https://www.clinic.example") == "https://www.clinic.example"
    assert loggable_origin("http://localhost:8081") == "http://localhost:8081"
    assert loggable_origin("null") == "'null'"
    forged = "https://a.example\nINFO fake log line" + "x" * 200
    assert "\n" not in loggable_origin(forged) and len(loggable_origin(forged)) < 100
    assert loggable_origin(None) == "a client that sent no Origin header"
