"""Faults with real processes: the person always gets an answer and nothing is lost.

- the action server is down: a helpful message (clinic phone, NHS 111, 999),
  and the conversation carries on normally once it is back;
- the action server hangs: the message comes within the bound, and the
  conversation's next message is handled;
- the Rasa server restarts in the middle of the questions: the next answer is
  accepted, the next question follows, and every earlier event is still there;
- the case database is unavailable: the person is told and what to do, the
  cases wait encrypted in the outbox, and are stored once it is back.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import upgrade_database
from kneecare.cases.store import CaseStore
from kneecare.clinic import load_settings
from tests.e2e.chat import Conversation
from tests.e2e.triage_run import NEUTRAL_ANSWERS
from tests.faults.conftest import BOUND, Rig
from tests.sealed import opened_sealed_text

CLINIC = load_settings()


def _says_how_to_get_help(text: str) -> None:
    assert CLINIC.phone in text, text
    assert f"NHS {CLINIC.urgent_advice_number}" in text, text
    assert CLINIC.emergency_number in text, text


def _active_form(conversation: Conversation) -> str | None:
    return (conversation.tracker().get("active_loop") or {}).get("name")


def test_action_server_down_gives_help_and_the_conversation_goes_on_when_it_is_back(
    actions_up: Rig,
) -> None:
    rig = actions_up
    mid_questions = rig.conversation()
    assert mid_questions.responses(mid_questions.say("/start_triage"))[-1] == (
        "utter_ask_screen_emergency"
    )
    person = rig.conversation()
    rig.stop_actions()

    greeting = person.say("/greet")  # session start is replayed by the Rasa server
    assert person.responses(greeting) == ["utter_greet"]
    assert CLINIC.name in greeting[0]["text"]

    replies = person.say("/start_triage")
    assert person.responses(replies) == ["utter_triage_intro", "utter_service_unavailable"]
    _says_how_to_get_help(replies[-1]["text"])
    assert _active_form(person) is None, "no questions that cannot be assessed"

    urgent = mid_questions.say("/affirm")  # "yes" to the emergency signs
    assert mid_questions.responses(urgent) == ["utter_service_unavailable_urgent"]
    assert "A&E" in urgent[0]["text"] and CLINIC.emergency_number in urgent[0]["text"]

    rig.start_actions()
    again = person.say("/start_triage")
    assert person.responses(again) == ["utter_triage_intro", "utter_ask_screen_emergency"]
    assert person.responses(person.say("/deny")) == ["utter_ask_screen_same_day"]
    assert person.slot("screen_emergency") == "no"


def test_a_hung_action_server_is_cut_off_within_the_bound(actions_up: Rig) -> None:
    rig = actions_up
    person = rig.conversation()
    assert person.responses(person.say("/greet")) == ["utter_greet"]
    with rig.hung_actions() as hung:
        started = time.monotonic()
        replies = person.say("/start_triage")
        took = time.monotonic() - started
        assert hung.accepted, "the call reached the hung server"
        assert BOUND - 0.5 < took < BOUND + 5, f"answered after {took:.1f} s"
        assert person.responses(replies) == ["utter_triage_intro", "utter_service_unavailable"]
        _says_how_to_get_help(replies[-1]["text"])

        started = time.monotonic()
        following = person.say("/book_appointment")
        assert time.monotonic() - started < BOUND, "the conversation is not blocked"
        assert person.responses(following) == ["utter_how_to_book"]


def test_a_rasa_restart_mid_questions_resumes_where_it_was(actions_up: Rig) -> None:
    rig = actions_up
    person = rig.conversation()
    assert person.responses(person.say("/start_triage"))[-1] == "utter_ask_screen_emergency"
    assert person.responses(person.say("/deny")) == ["utter_ask_screen_same_day"]
    before = person.tracker()["events"]

    rig.restart_rasa()

    assert person.responses(person.say("/deny")) == ["utter_ask_injury"]
    after = person.tracker()["events"]
    assert after[: len(before)] == before, "every event from before the restart, in order"
    assert len(after) > len(before)
    assert person.slot("screen_emergency") == "no" and person.slot("screen_same_day") == "no"
    assert _active_form(person) == "knee_triage_form"


def _call_back(person: Conversation, name: str, phone: str) -> list[str]:
    assert person.responses(person.say("/request_callback")) == ["utter_ask_callback_consent"]
    assert person.responses(person.say("/affirm")) == ["utter_ask_contact_name"]
    assert person.responses(person.say(name)) == ["utter_ask_contact_route"]
    return person.responses(person.say(phone))


def _physio_triage(person: Conversation) -> list[str]:
    replies = person.say(
        "my knee has hurt when I walk for 5 weeks, it stops me walking far, 4 out of 10, I'm 50"
    )
    for _ in range(12):
        names = person.responses(replies)
        if any(name.startswith("utter_outcome_") for name in names):
            return names
        replies = person.say(NEUTRAL_ANSWERS[names[-1]])
    raise AssertionError(f"no outcome: {person.transcript}")


def test_an_unavailable_case_database_is_said_and_nothing_is_dropped(
    actions_up: Rig, tmp_path: Path
) -> None:
    rig = actions_up
    database = tmp_path / "cases.db"
    database.mkdir()  # SQLite cannot open a folder: the database is unavailable
    outbox = tmp_path / "outbox"
    rig.stop_actions()
    rig.start_actions(DATABASE_URL=f"sqlite:///{database}", CASE_OUTBOX_DIR=str(outbox))

    sam = rig.conversation()
    assert _call_back(sam, "Sam Patel", "07911 123456") == ["utter_callback_not_saved"]
    _says_how_to_get_help(sam.transcript[-1][1][0]["text"])
    assert sam.slot("contact_name") is None and sam.slot("contact_route") is None

    triaged = rig.conversation()
    assert _physio_triage(triaged)[-2:] == ["utter_case_not_saved", "utter_outcome_physio"]

    kept = sorted(outbox.glob("*.case"))
    assert len(kept) == 2
    key = os.environ["CASE_DATA_KEY"].encode()
    opened = "\n".join(opened_sealed_text(path.read_text(), key) for path in kept)
    for personal in ("Sam Patel", "+447911123456", sam.sender, triaged.sender):
        assert personal in opened  # sealed in the files, readable with the key only
    log = (rig.workdir / "log-actions" / "actions.log").read_text()
    assert log.count("kept in the outbox") == 2
    for personal in ("Sam", "Patel", "07911", "7911123456"):
        assert personal not in log

    database.rmdir()  # the database is back: the next case delivers what waited
    alex = rig.conversation()
    assert _call_back(alex, "Alex Green", "07912 345678") == ["utter_callback_confirmed"]
    assert list(outbox.glob("*.case")) == []
    store = _store(f"sqlite:///{database}")
    queue = store.list_queue()
    assert sorted(case.conversation_id for case in queue) == sorted(
        [sam.conversation_id, triaged.conversation_id, alex.conversation_id]
    )
    contacts = {case.conversation_id: case.contact for case in queue if case.contact}
    assert contacts[sam.conversation_id].name == "Sam Patel"
    assert contacts[sam.conversation_id].phone == "+447911123456"
    by_id = {case.conversation_id: case for case in queue}
    assert by_id[triaged.conversation_id].level == "physio"
    assert by_id[sam.conversation_id].created_at < by_id[alex.conversation_id].created_at
    rig.stop_actions()  # the next test starts one with the usual database


def test_the_outbox_is_delivered_on_a_timer_without_a_new_case(
    actions_up: Rig, tmp_path: Path
) -> None:
    rig = actions_up
    database = tmp_path / "cases.db"
    database.mkdir()  # unavailable
    outbox = tmp_path / "outbox"
    rig.stop_actions()
    rig.start_actions(DATABASE_URL=f"sqlite:///{database}", CASE_OUTBOX_DIR=str(outbox),
                      CASE_OUTBOX_RETRY_SECONDS="1")
    triaged = rig.conversation()
    assert _physio_triage(triaged)[-2:] == ["utter_case_not_saved", "utter_outcome_physio"]
    assert len(list(outbox.glob("*.case"))) == 1
    time.sleep(3)  # the timer tries (and fails) meanwhile
    assert len(list(outbox.glob("*.case"))) == 1

    database.rmdir()  # the database is back; nobody files anything new
    deadline = time.monotonic() + 40
    while list(outbox.glob("*.case")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert list(outbox.glob("*.case")) == []
    queue = _store(f"sqlite:///{database}").list_queue()
    assert [case.conversation_id for case in queue] == [triaged.conversation_id]
    log = (rig.workdir / "log-actions" / "actions.log").read_text()
    assert "next try in" in log  # it backed off while the database was down
    rig.stop_actions()


def _store(url: str) -> Any:
    upgrade_database(url)
    return CaseStore(url, ContactCipher(os.environ["CASE_DATA_KEY"].encode()))
