"""Conversations stored before ids carried their channel are renamed, in both databases.

Runs on SQLite and PostgreSQL (``db_url``). An SMS conversation stored under
the phone number itself must afterwards be found under its pseudonym only,
with its case, and the phone number must be nowhere in either table.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine
from kneecare.cases.pseudonyms import pseudonymise_stored_conversations
from kneecare.cases.store import CaseStore
from kneecare.cases.tables import cases
from kneecare.conversation_ids import rest_id, telegram_id, twilio_id, widget_id
from kneecare.triage import TriageAnswers, assess
from tests.cases.tracker import add_conversation, senders

START = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
PHONE = "+447911123457"
ANSWERS = TriageAnswers(pain_duration_days=21, pain_score=8, limits_activity=True,
                        alters_gait=False, injury=False, age=54)
OLD_STYLE = {  # id as stored before, Rasa's input channel
    PHONE: "twilio",
    "whatsapp:" + PHONE: "twilio",
    "70001234": "telegram",
    "integration-7": "rest",
    "0f" * 16: "socketio",
}


def test_old_style_ids_get_todays_ids_everywhere(store: CaseStore, tracker_url: str,
                                                 cipher: ContactCipher) -> None:
    for conversation, channel in OLD_STYLE.items():
        add_conversation(tracker_url, conversation, [("user", "my knee"), ("bot", "I see")],
                         START, input_channel=channel)
        store.record_triage_case(conversation, channel, assess(ANSWERS), ANSWERS)
    already_new = twilio_id("+447700900556", cipher)
    add_conversation(tracker_url, already_new, [("user", "hi")], START, input_channel="twilio")

    renamed = pseudonymise_stored_conversations(store.engine, tracker_url, cipher)

    expected = {twilio_id(PHONE, cipher), twilio_id("whatsapp:" + PHONE, cipher),
                telegram_id("70001234", cipher), rest_id("integration-7"),
                widget_id("0f" * 16)}
    assert (renamed.cases, renamed.conversations) == (5, 5)
    assert senders(tracker_url) == expected | {already_new}
    with store.engine.connect() as connection:
        stored = set(connection.execute(sa.select(cases.c.conversation_id)).scalars())
    assert stored == expected
    for table_url in (store.url, tracker_url):
        with get_engine(table_url).connect() as connection:
            dump = " ".join(str(row) for table in ("cases", "events")
                            if sa.inspect(connection).has_table(table)
                            for row in connection.execute(sa.text(f"SELECT * FROM {table}")))
        assert "7911123457" not in dump and "70001234" not in dump
    # the staff transcript still follows the case
    (case,) = [c for c in store.list_queue() if c.conversation_id == twilio_id(PHONE, cipher)]
    assert [line.text for line in store.transcript(case)] == ["my knee", "I see"]
    # and running it again changes nothing
    again = pseudonymise_stored_conversations(store.engine, tracker_url, cipher)
    assert (again.cases, again.conversations) == (0, 0)


def test_erasing_a_person_by_phone_removes_their_text_conversations(
        store: CaseStore, tracker_url: str, cipher: ContactCipher) -> None:
    texted = twilio_id(PHONE, cipher)
    add_conversation(tracker_url, texted, [("user", "knee hurts")], START, input_channel="twilio")
    store.record_triage_case(texted, "twilio", assess(ANSWERS), ANSWERS)
    report = store.erase_person(PHONE)
    assert (report.cases, report.conversations) == (1, 1)
    assert texted not in senders(tracker_url)
