"""Through the real servers (tests/conftest.py ``channel_servers``): no conversation can be
reached from another channel, no phone number is stored or logged in plain text.

Issue 17's acceptance: an SMS conversation through the Twilio webhook with a
valid signature, then REST attempts with that number with and without a
prefix; a database check after an SMS conversation with a call-back; a
log-leak check over every log file, which hold each server's stdout and
stderr.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine
from kneecare.cases.store import CaseStore
from kneecare.conversation_ids import twilio_id
from tests.channels.drivers import RestDriver, TelegramDriver, TwilioDriver, run_triage
from tests.channels.servers import ChannelServers
from tests.e2e.chat import recognise

pytestmark = pytest.mark.e2e

CALLBACK_NAME = "Zebedee Quartermaine"
CALLBACK_PHONE = "07911 123456"
PHONE_FORMS = ("7911123456", "7911 123456", "07911123456")


def sms_call_back(sms: TwilioDriver) -> None:
    """A name given in passing, a physio triage by SMS, then a call-back request."""
    sms.say(f"Hi, I'm {CALLBACK_NAME}, my knee aches on long walks")
    run = run_triage(sms)
    assert run.outcome == "utter_outcome_physio", run
    assert recognise(sms.say("can someone call me back"))[-1] == "utter_ask_callback_consent"
    assert recognise(sms.say("yes"))[-1] == "utter_ask_contact_name"
    assert recognise(sms.say(CALLBACK_NAME))[-1] == "utter_ask_contact_route"
    assert "utter_callback_confirmed" in recognise(sms.say(CALLBACK_PHONE))


def digits_of(number: str) -> str:
    return number.lstrip("+").removeprefix("44")


def test_rest_cannot_reach_an_sms_conversation(channel_servers: ChannelServers) -> None:
    sms = TwilioDriver(channel_servers)
    run = run_triage(sms)
    assert run.outcome == "utter_outcome_physio"
    sms_slots = channel_servers.tracker(sms.conversation_id)["slots"]
    assert sms_slots["triage_level"] == "physio"

    attempts = [sms.sender, digits_of(sms.sender), "0" + digits_of(sms.sender),
                sms.conversation_id, f"sms:{sms.sender}", f"twilio:{sms.sender}",
                f"whatsapp:{sms.sender}", f"rest:{sms.conversation_id}"]
    for sender in attempts:
        rest = RestDriver(channel_servers, sender=sender)
        texts = rest.say("check my symptoms")
        # a fresh conversation: the first question, never the SMS person's outcome
        assert recognise(texts)[-1] == "utter_ask_screen_emergency", (sender, texts)
        assert rest.conversation_id != sms.conversation_id
        rest_slots = channel_servers.tracker(rest.conversation_id)["slots"]
        assert rest_slots["triage_level"] is None and rest_slots["pain_duration_days"] is None
    # and the SMS conversation is as it was
    assert channel_servers.tracker(sms.conversation_id)["slots"]["triage_level"] == "physio"


def test_no_phone_number_is_stored_in_plain_text(channel_servers: ChannelServers) -> None:
    sms = TwilioDriver(channel_servers)
    sms_call_back(sms)
    chat = TelegramDriver(channel_servers)
    chat.say("hello")

    tracker_db = channel_servers.assistant.tracker_db
    stored = database_text(f"sqlite:///{tracker_db}") + raw_files(tracker_db)
    cases_url = channel_servers.assistant.environment.get("DATABASE_URL") or _cases_url()
    stored += database_text(cases_url)
    if cases_url.startswith("sqlite:///"):
        stored += raw_files(Path(cases_url.removeprefix("sqlite:///")))
    for secret in (*PHONE_FORMS, digits_of(sms.sender), CALLBACK_NAME, "Zebedee"):
        assert secret not in stored, secret
    # a chat id is short: look for it as a number of its own, not inside another
    assert not re.search(rf"(?<![0-9]){chat.chat_id}(?![0-9])", stored)
    assert sms.conversation_id in stored  # the pseudonym is what is kept
    assert twilio_id(sms.sender, channel_servers.cipher) == sms.conversation_id


def test_nothing_personal_reaches_any_log(channel_servers: ChannelServers) -> None:
    rest = RestDriver(channel_servers)
    personal = [
        '/inform{"phone": "07911 123456", "email": "sam.leak@example.com"}',
        '/request_callback{"contact_name": "Zebedee Quartermaine"}',
        '/inform{"phone": 07911 123456, "email": sam.leak@example.com',  # bad JSON
        "/inform{" + '"x": "y", ' * 20 + '"email": "sam.leak@example.com"}',
        "hi I'm Zebedee Quartermaine and my email is sam.leak@example.com",
    ]
    for text in personal:
        rest.say(text)
    sms = TwilioDriver(channel_servers)
    sms.say("This is Zebedee Quartermaine, 07911 123456, my knee is hot and I have a fever")
    bad_json = b'{"sender": "leak", "message": "call 07911 123456"'
    assert post_raw(channel_servers, bad_json) == 400
    too_long = json.dumps({"sender": "leak", "message": "Hi, I'm Zebedee Quartermaine, ring"
                           " me on 07911 123456 " + "please " * 1000}).encode()
    assert post_raw(channel_servers, too_long) == 413
    sms.say("ring 07911 123456, " + "it really hurts " * 500)  # too long for a text

    logs = sorted(channel_servers.assistant.log_dir.glob("*.log"))
    assert {log.name for log in logs} >= {"rasa.log", "actions.log", "web.log"}
    for log in logs:
        text = log.read_text(errors="replace")
        for secret in (*PHONE_FORMS, "sam.leak", "Zebedee", "Quartermaine",
                       digits_of(sms.sender)):
            assert secret not in text, (log.name, secret)


def post_raw(servers: ChannelServers, body: bytes) -> int:
    request = urllib.request.Request(
        f"{servers.rasa_url}/webhooks/rest/webhook", data=body,
        headers={"Content-Type": "application/json",
                 "Authorization": f"Bearer {servers.rest_token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def database_text(url: str) -> str:
    """Every row of every table, as text."""
    import sqlalchemy as sa

    engine = get_engine(url)
    rows = []
    with engine.connect() as connection:
        for table in sa.inspect(connection).get_table_names():
            for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')):
                rows.append(json.dumps([str(value) for value in row]))
    return "\n".join(rows)


def raw_files(database: Path) -> str:
    """The SQLite file and its write-ahead log as bytes: nothing hides in free pages."""
    found = ""
    for path in database.parent.glob(database.name + "*"):
        found += path.read_bytes().decode("latin-1")
    return found


def _cases_url() -> str:
    return os.environ["DATABASE_URL"]


def test_sqlite_rows_are_what_was_checked(channel_servers: ChannelServers) -> None:
    """The tracker file really holds conversations (so the checks above read something)."""
    with sqlite3.connect(channel_servers.assistant.tracker_db) as connection:
        count = connection.execute("select count(distinct sender_id) from events").fetchone()[0]
    assert count > 0


def test_running_the_assessment_again_files_no_second_case(
        channel_servers: ChannelServers) -> None:
    rest = RestDriver(channel_servers)
    for _ in range(2):
        run = run_triage(rest, opening="check my symptoms")
        assert run.outcome == "utter_outcome_physio", run
    store = CaseStore(_cases_url(), ContactCipher(os.environ["CASE_DATA_KEY"].encode()))
    mine = [case for case in store.list_queue() if case.conversation_id == rest.conversation_id]
    assert len(mine) == 1
    case = store.get_case(mine[0].id)
    assert case is not None and case.history == ()  # the same outcome again changes nothing
