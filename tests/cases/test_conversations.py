"""Transcripts are read from Rasa's tracker store, including one saved by Rasa itself."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from kneecare.cases.conversations import delete_conversations, read_transcript
from kneecare.cases.database import get_engine
from tests.cases.tracker import add_conversation

START = datetime(2025, 3, 10, 9, 30, tzinfo=timezone.utc)


def test_the_transcript_has_the_user_and_bot_messages_in_order(tracker_url: str) -> None:
    add_conversation(tracker_url, "conv-1", [("user", "my knee hurts"), ("bot", "Sorry to hear")],
                     START)
    add_conversation(tracker_url, "conv-2", [("user", "other person")], START)
    lines = read_transcript(tracker_url, "conv-1")
    assert [(line.speaker, line.text) for line in lines] == [
        ("user", "my knee hurts"), ("bot", "Sorry to hear"),
    ]
    assert lines[0].at == START


def test_a_tracker_store_without_conversations_reads_as_empty(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert read_transcript(url, "anyone") == []
    assert delete_conversations(url, ["anyone"]) == 0
    get_engine(url).dispose()


async def test_a_conversation_saved_by_rasa_can_be_read(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    path = tmp_path / "rasa-tracker.db"
    tracker_store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    tracker = DialogueStateTracker.from_events("rasa-conv", [
        ActionExecuted("action_listen"),
        UserUttered("my knee hurts when I walk"),
        BotUttered("How long has it hurt?"),
    ])
    await tracker_store.save(tracker)
    url = f"sqlite:///{path}"
    lines = read_transcript(url, "rasa-conv")
    assert [(line.speaker, line.text) for line in lines] == [
        ("user", "my knee hurts when I walk"), ("bot", "How long has it hurt?"),
    ]
    assert delete_conversations(url, ["rasa-conv"]) == 1
    assert read_transcript(url, "rasa-conv") == []
    get_engine(url).dispose()
