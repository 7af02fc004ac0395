"""Remembered conversations: used only while the database holds exactly what was saved."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from core_plugins.recent_conversations import Fingerprint, RecentConversations
from core_plugins.redacting_tracker_store import RedactingSQLTrackerStore


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (Fingerprint(3, 17), ("a", "b", "c")),  # unchanged
        (Fingerprint(4, 18), None),  # someone else appended
        (Fingerprint(3, 20), None),  # same count, other rows: rewritten
        (Fingerprint(2, 17), None),  # rows deleted (retention)
        (Fingerprint(0, None), None),  # erased
    ],
)
def test_remembered_events_only_for_the_same_fingerprint(
    stored: Fingerprint, expected: tuple[str, ...] | None
) -> None:
    recent = RecentConversations()
    recent.remember("p", Fingerprint(3, 17), ["a", "b", "c"])
    assert recent.events("p", stored) == expected
    if expected is None:
        assert len(recent) == 0, "a stale entry is dropped"


def test_entries_expire() -> None:
    clock = Clock()
    recent = RecentConversations(ttl_seconds=60, clock=clock)
    recent.remember("p", Fingerprint(1, 1), ["a"])
    clock.now = 59
    assert recent.events("p", Fingerprint(1, 1)) == ("a",)
    clock.now = 121  # 62 s after it was saved
    assert recent.events("p", Fingerprint(1, 1)) is None


def test_least_recently_used_goes_first_and_capacity_zero_keeps_nothing() -> None:
    recent = RecentConversations(capacity=2)
    for sender in ("a", "b"):
        recent.remember(sender, Fingerprint(1, 1), [sender])
    assert recent.events("a", Fingerprint(1, 1)) == ("a",)  # "a" is now the most recent
    recent.remember("c", Fingerprint(1, 1), ["c"])
    assert not recent.knows("b")
    assert recent.events("b", Fingerprint(1, 1)) is None
    assert recent.knows("a") and recent.events("a", Fingerprint(1, 1)) == ("a",)
    off = RecentConversations(capacity=0)
    off.remember("a", Fingerprint(1, 1), ["a"])
    assert len(off) == 0


def test_rows_already_stored_only_for_events_grown_from_the_last_read() -> None:
    recent = RecentConversations()
    a, b, c = object(), object(), object()
    recent.remember("p", Fingerprint(2, 9), [a, b])
    assert recent.rows_already_stored("p", [a, b, c]) is None, "no read since the save"
    assert recent.events("p", Fingerprint(2, 9)) == (a, b)
    assert recent.rows_already_stored("p", [a, object(), c]) is None, "other event objects"
    assert recent.events("p", Fingerprint(2, 9)) == (a, b)
    assert recent.rows_already_stored("p", [a]) is None, "fewer events than were read"
    assert recent.events("p", Fingerprint(2, 9)) == (a, b)
    assert recent.rows_already_stored("p", [a, b, c]) == 2
    assert recent.rows_already_stored("p", [a, b, c]) is None, "once per read"
    assert recent.events("p", Fingerprint(2, 9)) == (a, b)
    recent.forget("p")
    assert recent.rows_already_stored("p", [a, b, c]) is None
    assert recent.events("p", Fingerprint(3, 10)) is None  # a stale read checks nothing
    assert recent.rows_already_stored("p", [a, b, c]) is None


def _store(domain: Domain, db: Path) -> RedactingSQLTrackerStore:
    return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(db))


def _turn(text: str, reply: str) -> list:
    return [UserUttered(text, {"name": "faq", "confidence": 0.9}),
            ActionExecuted("utter_x"), BotUttered(reply), ActionExecuted("action_listen")]


def _new_tracker(domain: Domain, sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_session_start"), SessionStarted(),
        ActionExecuted("action_listen"), *_turn("why does my knee hurt", "Several reasons."),
    ], slots=domain.slots)


def _dump(tracker: DialogueStateTracker | None) -> list[dict]:
    assert tracker is not None
    return [event.as_dict() for event in tracker.events]


def _rows(db: Path, sender: str) -> int:
    return sqlite3.connect(db).execute(
        "select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def _assert_remembered_fingerprint_is_the_database_one(
    store: RedactingSQLTrackerStore, sender: str
) -> None:
    with store.session_scope() as session:
        actual = store._fingerprint(session, sender)
        # Rasa's own query for the current session's rows, through the ORM
        ids = [row.id for row in store._event_query(session, sender, False)]
    assert actual == Fingerprint(len(ids), max(ids, default=None))
    assert store._recent._entries[sender].fingerprint == actual


def _database_only(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every read that goes to the database."""
    reads: list[str] = []
    original = SQLTrackerStore.retrieve

    async def counted(self: SQLTrackerStore, sender_id: str) -> DialogueStateTracker | None:
        reads.append(sender_id)
        return await original(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", counted)
    return reads


async def test_next_message_uses_what_was_saved_and_equals_a_database_read(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    store = _store(domain, db)
    tracker = _new_tracker(domain, "p1")
    tracker.update(SlotSet("pain_score", 4))
    await store.save(tracker)
    _assert_remembered_fingerprint_is_the_database_one(store, "p1")
    first_saved = len(tracker.events)
    reads = _database_only(monkeypatch)
    remembered = await store.retrieve("p1")
    assert reads == [], "served from memory"
    from_database = await _store(domain, db).retrieve("p1")  # a fresh store remembers nothing
    assert reads == ["p1"]
    assert _dump(remembered) == _dump(from_database)
    assert remembered is not None and remembered.get_slot("pain_score") == 4
    assert remembered.current_state() == from_database.current_state()  # type: ignore[union-attr]

    # the next save appends only the new events, exactly once
    new_turn = _turn("thanks", "You're welcome.")
    for event in new_turn:
        remembered.update(event)
    await store.save(remembered)
    _assert_remembered_fingerprint_is_the_database_one(store, "p1")
    assert _rows(db, "p1") == first_saved + len(new_turn)
    assert _dump(await _store(domain, db).retrieve("p1")) == _dump(remembered)


async def test_a_write_by_another_process_is_read_from_the_database(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    mine, other = _store(domain, db), _store(domain, db)
    await mine.save(_new_tracker(domain, "p2"))
    theirs = await other.retrieve("p2")
    assert theirs is not None
    for event in _turn("what shoes", "Cushioned ones."):
        theirs.update(event)
    await other.save(theirs)
    reads = _database_only(monkeypatch)
    seen = await mine.retrieve("p2")
    assert reads == ["p2"]
    assert _dump(seen) == _dump(theirs)


async def test_erased_conversation_is_not_brought_back(
    domain: Domain, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    store = _store(domain, db)
    await store.save(_new_tracker(domain, "p3"))
    with sqlite3.connect(db) as connection:
        connection.execute("delete from events where sender_id = 'p3'")
    assert await store.retrieve("p3") is None


async def test_a_redacted_save_is_read_back_redacted(
    domain: Domain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    store = _store(domain, db)
    tracker = _new_tracker(domain, "p4")
    tracker.update(UserUttered("email me at priya.shah@example.com",
                               {"name": "request_callback", "confidence": 1.0}))
    await store.save(tracker)
    reads = _database_only(monkeypatch)
    restored = await store.retrieve("p4")
    assert reads == ["p4"], "the plain-text version in memory is not reused"
    assert "priya.shah@example.com" not in str(_dump(restored))


async def test_a_new_session_keeps_memory_and_database_alike(
    domain: Domain, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    store = _store(domain, db)
    tracker = _new_tracker(domain, "p5")
    await store.save(tracker)
    tracker = await store.retrieve("p5")
    assert tracker is not None
    for event in [ActionExecuted("action_session_start"), SessionStarted(),
                  ActionExecuted("action_listen"), *_turn("hello again", "Hi!")]:
        tracker.update(event)
    await store.save(tracker)
    _assert_remembered_fingerprint_is_the_database_one(store, "p5")
    remembered = await store.retrieve("p5")
    from_database = await _store(domain, db).retrieve("p5")
    assert _dump(remembered) == _dump(from_database)
    assert len(_dump(remembered)) < len(tracker.events), "only the latest session"


def _count_queries(store: RedactingSQLTrackerStore) -> list[str]:
    calls: list[str] = []
    count = store._fingerprint

    def counted(session: object, sender_id: str) -> Fingerprint:
        calls.append(sender_id)
        return count(session, sender_id)

    store._fingerprint = counted  # type: ignore[method-assign,assignment]
    return calls


async def test_a_message_served_from_memory_counts_the_rows_twice_not_three_times(
    domain: Domain, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    store = _store(domain, db)
    await store.save(_new_tracker(domain, "p6"))
    calls = _count_queries(store)
    tracker = await store.retrieve("p6")
    assert tracker is not None and calls == ["p6"]
    for event in _turn("and footwear?", "Cushioned, supportive shoes."):
        tracker.update(event)
    await store.save(tracker)
    assert calls == ["p6", "p6"], "the read's count stands for the rows before the insert"
    _assert_remembered_fingerprint_is_the_database_one(store, "p6")
    assert _dump(await _store(domain, db).retrieve("p6")) == _dump(tracker)


async def test_rows_another_process_adds_between_read_and_save_lose_nothing(
    domain: Domain, tmp_path: Path
) -> None:
    """Without the conversation lock (a misconfigured deployment) both writers' rows are kept."""
    db = tmp_path / "t.db"
    mine, other = _store(domain, db), _store(domain, db)
    await mine.save(_new_tracker(domain, "p7"))
    saved = _rows(db, "p7")
    tracker = await mine.retrieve("p7")
    theirs = await other.retrieve("p7")
    assert tracker is not None and theirs is not None
    for event in _turn("from the other process", "Reply B."):
        theirs.update(event)
    await other.save(theirs)
    for event in _turn("from this process", "Reply A."):
        tracker.update(event)
    await mine.save(tracker)
    assert _rows(db, "p7") == saved + 8, "every new event of both writers is stored"
    assert not mine._recent.knows("p7"), "the next read goes to the database"
