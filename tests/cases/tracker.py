"""A stand-in for Rasa's SQL tracker store: the same ``events`` table, filled in code.

The columns mirror ``rasa.core.tracker_store.SQLTrackerStore.SQLEvent``;
``test_conversations.py`` checks them against a tracker saved by Rasa itself.
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa

from kneecare.cases.database import get_engine

tracker_metadata = sa.MetaData()
events_table = sa.Table(
    "events",
    tracker_metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)


def create_events_table(url: str) -> None:
    tracker_metadata.create_all(get_engine(url))


def add_conversation(url: str, sender_id: str, messages: list[tuple[str, str]],
                     start: datetime, input_channel: str | None = None) -> None:
    """Store ('user' | 'bot', text) messages one second apart, with an action between."""
    rows = []
    at = start.timestamp()
    for speaker, text in messages:
        rows.append({"sender_id": sender_id, "type_name": speaker, "timestamp": at,
                     "data": json.dumps({"event": speaker, "timestamp": at, "text": text,
                                         "input_channel": input_channel})})
        rows.append({"sender_id": sender_id, "type_name": "action", "timestamp": at + 0.5,
                     "action_name": "action_listen",
                     "data": json.dumps({"event": "action", "name": "action_listen"})})
        at += 1
    with get_engine(url).begin() as connection:
        connection.execute(sa.insert(events_table), rows)


def senders(url: str) -> set[str]:
    with get_engine(url).connect() as connection:
        return set(connection.execute(sa.select(events_table.c.sender_id).distinct()).scalars())
