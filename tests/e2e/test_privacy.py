"""A conversation with a phone number and an e-mail leaves neither in logs or the tracker store.

Runs through the real servers: the person gives both during a call-back
request (and once more in free text); afterwards every log line the servers
wrote and every stored tracker event is searched for them.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.chat import Conversation

pytestmark = pytest.mark.e2e
PHONE = "07911 123456"
PHONE_E164 = "+447911123456"
EMAIL = "priya.shah.knee@example.com"
NAME = "Priya Shahzadi"


def test_contact_details_are_not_logged_or_stored_in_plain_text(assistant, base_url: str) -> None:
    chat = Conversation(base_url=base_url, api_token=assistant.api_token)
    chat.say(f"hi, my email is {EMAIL} and my number is {PHONE}")
    assert chat.responses(chat.say("/request_callback"))[-1] == "utter_ask_callback_consent"
    assert chat.responses(chat.say("/affirm"))[-1] == "utter_ask_contact_name"
    assert chat.responses(chat.say(NAME))[-1] == "utter_ask_contact_route"
    assert "utter_callback_confirmed" in chat.responses(chat.say(f"call me on {PHONE}"))

    logs = "\n".join(path.read_text(errors="replace") for path in assistant.log_dir.glob("*.log"))
    events = "\n".join(
        row[0]
        for row in sqlite3.connect(assistant.tracker_db).execute(
            "select data from events where sender_id = ?", (chat.conversation_id,)
        )
    )
    assert events, "the conversation was stored"
    for detail in (PHONE, PHONE_E164, EMAIL, NAME):
        assert detail not in logs, f"{detail!r} found in a log"
        assert detail not in events, f"{detail!r} found in the tracker store"
