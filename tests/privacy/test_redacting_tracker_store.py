"""The tracker store writes no names, phone numbers or e-mails in plain text."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from core_plugins.redacting_tracker_store import RedactingSQLTrackerStore
from kneecare.privacy import redact_event

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = ["Priya Shah", "07911 123456", "priya.shah@example.com", "+447911123456"]


@pytest.mark.parametrize(
    "event, asked, expected_text",
    [
        ({"event": "user", "text": "Priya Shah"}, "contact_name", "[name]"),
        ({"event": "user", "text": "ring 07911 123456"}, "contact_route", "[contact details]"),
        ({"event": "user", "text": "mail priya.shah@example.com pls"}, None, "mail [email] pls"),
        ({"event": "user", "text": "my knee hurts"}, None, "my knee hurts"),
    ],
)
def test_redact_event(event: dict, asked: str | None, expected_text: str) -> None:
    assert redact_event(event, asked)["text"] == expected_text
    assert event["text"] not in ("[name]", "[contact details]"), "the original is not changed"


@pytest.mark.parametrize("asked", [None, "contact_route"])
def test_redact_event_cleans_the_parse_data_and_changes_nothing_it_was_given(
    asked: str | None,
) -> None:
    event = {
        "event": "user", "text": "ring 07911 123456", "timestamp": 1.0,
        "parse_data": {
            "text": "ring 07911 123456", "intent": {"name": "inform", "confidence": 0.9},
            "entities": [{"entity": "phone", "value": "07911 123456"},
                         {"entity": "age", "value": 52}, "not an entity"],
            "intent_ranking": [{"name": "inform", "confidence": 0.9}],
        },
    }
    before = copy.deepcopy(event)
    clean = redact_event(event, asked)
    assert event == before, "the original is not changed"
    parse_data = clean["parse_data"]
    texts = [clean["text"], parse_data["text"], parse_data["entities"][0]["value"]]
    assert not any("07911" in text or "123456" in text for text in texts), texts
    assert clean["parse_data"]["entities"][1:] == before["parse_data"]["entities"][1:]
    assert clean["parse_data"]["intent_ranking"] == before["parse_data"]["intent_ranking"]
    assert clean["timestamp"] == 1.0


async def test_stored_rows_hold_no_contact_details(tmp_path: Path) -> None:
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = DialogueStateTracker.from_events("person-1", [
        ActionExecuted("action_listen"),
        UserUttered("can someone call me, my email is priya.shah@example.com",
                    {"name": "request_callback", "confidence": 1.0}),
        SlotSet("requested_slot", "contact_name"),
        BotUttered("What name should we ask for?"),
        ActionExecuted("action_listen"),
        UserUttered("Priya Shah", {"name": "inform", "confidence": 1.0}),
    ], slots=domain.slots)
    await store.save(tracker)
    # a second save appends only the new events, still redacted
    tracker.update(SlotSet("requested_slot", "contact_route"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("07911 123456", {"name": "inform", "confidence": 1.0}))
    await store.save(tracker)

    rows = sqlite3.connect(tmp_path / "t.db").execute("select data from events").fetchall()
    stored = "\n".join(row[0] for row in rows)
    assert len(rows) == 9
    for detail in PERSONAL:
        assert detail not in stored
    assert "[name]" in stored and "[email]" in stored and "[contact details]" in stored
    restored = await store.retrieve("person-1")
    assert restored is not None and len(restored.events) == 9


async def test_an_unstorable_conversation_fails_alone_and_the_store_keeps_working(
        tmp_path: Path) -> None:
    """Rasa's store exits the whole server on any ValueError in a session; ours raises."""
    from core_plugins.redacting_tracker_store import TrackerStoreError

    domain = Domain.load(str(ROOT / "domain.yml"))
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    unencodable = DialogueStateTracker.from_events("lone-surrogate-\ud800", [
        ActionExecuted("action_listen")], slots=domain.slots)
    with pytest.raises(TrackerStoreError):
        await store.save(unencodable)  # SystemExit from Rasa's own session_scope
    fine = DialogueStateTracker.from_events("person-2", [ActionExecuted("action_listen")],
                                            slots=domain.slots)
    await store.save(fine)
    restored = await store.retrieve("person-2")
    assert restored is not None and len(restored.events) == 1


@pytest.mark.parametrize("restart_between", [False, True])
async def test_a_name_reply_saved_apart_from_its_question_is_still_redacted(
        tmp_path: Path, restart_between: bool) -> None:
    """The question is saved with one message, the reply with the next: the store must
    know from what is already stored that the reply answers the name question."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    db = str(tmp_path / "t.db")
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
    tracker = DialogueStateTracker.from_events("person-2", [
        ActionExecuted("action_listen"),
        UserUttered("yes please call me", {"name": "affirm", "confidence": 1.0}),
        SlotSet("requested_slot", "contact_name"),
        BotUttered("What name should we ask for?"),
        ActionExecuted("action_listen"),
    ], slots=domain.slots)
    await store.save(tracker)
    if restart_between:
        store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=db)
        restored = await store.retrieve("person-2")
        assert restored is not None
        tracker = restored
    tracker.update(UserUttered("Anneliese Okafor", {"name": "inform", "confidence": 1.0}))
    await store.save(tracker)

    stored = "\n".join(row[0] for row in sqlite3.connect(db).execute("select data from events"))
    assert "Anneliese" not in stored and "Okafor" not in stored
    assert "[name]" in stored
