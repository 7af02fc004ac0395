"""Reading and deleting conversations in Rasa's SQL tracker store.

Rasa's ``SQLTrackerStore`` keeps every event in one table, ``events``
(``sender_id``, ``type_name``, ``timestamp`` as a Unix float, ``data`` as JSON
text). The staff view reads the user and bot messages of one conversation;
retention and erasure delete whole conversations. A tracker store that has no
``events`` table yet (no conversation so far) reads as empty.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from kneecare.cases.database import get_engine

events = sa.table(
    "events",
    sa.column("id", sa.Integer),
    sa.column("sender_id", sa.String),
    sa.column("type_name", sa.String),
    sa.column("timestamp", sa.Float),
    sa.column("data", sa.Text),
)


@dataclass(frozen=True)
class TranscriptLine:
    """One message of a conversation."""

    at: datetime  # UTC
    speaker: str  # "user" | "bot"
    text: str


def tracker_has_events(url: str) -> bool:
    return bool(sa.inspect(get_engine(url)).has_table("events"))


def read_transcript(url: str, conversation_id: str) -> list[TranscriptLine]:
    """The user and bot messages of a conversation, oldest first."""
    if not tracker_has_events(url):
        return []
    query = (
        sa.select(events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == conversation_id, events.c.type_name.in_(("user", "bot")))
        .order_by(events.c.timestamp, events.c.id)
    )
    lines: list[TranscriptLine] = []
    with get_engine(url).connect() as connection:
        for type_name, timestamp, data in connection.execute(query):
            try:
                text = json.loads(data or "{}").get("text")
            except (ValueError, AttributeError):
                text = None
            if text:
                at = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
                lines.append(TranscriptLine(at=at, speaker=type_name, text=str(text)))
    return lines


def conversations_idle_since(url: str, cutoff: datetime) -> list[str]:
    """Conversations whose newest event is older than ``cutoff``."""
    if not tracker_has_events(url):
        return []
    query = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff.timestamp())
    )
    with get_engine(url).connect() as connection:
        return [row[0] for row in connection.execute(query)]


def delete_conversations(url: str, conversation_ids: Iterable[str]) -> int:
    """Delete every event of these conversations; the number that had any."""
    ids = sorted(set(conversation_ids))
    if not ids or not tracker_has_events(url):
        return 0
    deleted = 0
    with get_engine(url).begin() as connection:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            present = connection.execute(
                sa.select(sa.func.count(sa.distinct(events.c.sender_id))).where(
                    events.c.sender_id.in_(chunk)
                )
            ).scalar_one()
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(chunk)))
            deleted += int(present)
    return deleted
