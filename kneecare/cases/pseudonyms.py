"""Conversations stored before ids carried their channel get the ids they would get now.

Until December 2026 an SMS conversation was stored under the phone number
itself, a Telegram one under the chat id, REST and widget ones under the id
the client gave. ``pseudonymise_stored_conversations`` renames them, in the
case database and in Rasa's tracker store, to the ids the channels give
today (``kneecare.conversation_ids``): keyed pseudonyms for SMS, WhatsApp and
Telegram, ``rest:`` and ``web:`` prefixes for the others. It is idempotent
(ids that already have a prefix are left alone), so ``default_store()`` runs
it at start-up after the schema migrations, and so can
``python -m kneecare.cases pseudonymise``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare import conversation_ids as ids
from kneecare.cases.conversations import events, tracker_has_events
from kneecare.cases.database import get_engine
from kneecare.cases.tables import cases


@dataclass(frozen=True)
class Renamed:
    cases: int
    conversations: int


def new_id(conversation_id: str, input_channel: str | None, keys: ids.KeyedDigest) -> str | None:
    """The id this conversation has today, or None if it has it already (or cannot be told)."""
    if ids.kind_of(conversation_id) is not None:
        return None
    if input_channel == "twilio":
        return ids.twilio_id(conversation_id, keys)
    if input_channel == "telegram":
        return ids.telegram_id(conversation_id, keys)
    if input_channel == "rest":
        return ids.rest_id(conversation_id)
    if input_channel == "socketio":
        return ids.widget_id(conversation_id)
    return None


def pseudonymise_stored_conversations(
    case_engine: Engine, tracker_url: str | None, keys: ids.KeyedDigest
) -> Renamed:
    """Rename every conversation stored under an old-style id, in both databases."""
    with case_engine.begin() as connection:
        found = connection.execute(sa.select(cases.c.conversation_id, cases.c.channel).distinct())
        renames = _renames(found, keys)
        renamed_cases = 0
        for old, new in renames.items():
            renamed_cases += connection.execute(
                sa.update(cases).where(cases.c.conversation_id == old).values(conversation_id=new)
            ).rowcount
    renamed_conversations = 0
    if tracker_url is not None and tracker_has_events(tracker_url):
        with get_engine(tracker_url).begin() as connection:
            renames = _renames(_tracker_channels(connection), keys)
            for old, new in renames.items():
                connection.execute(
                    sa.update(events).where(events.c.sender_id == old).values(sender_id=new))
                renamed_conversations += 1
    return Renamed(cases=renamed_cases, conversations=renamed_conversations)


def _renames(rows: Iterable[tuple[str, str | None]], keys: ids.KeyedDigest) -> dict[str, str]:
    renames: dict[str, str] = {}
    for conversation_id, channel in rows:
        new = new_id(conversation_id, channel, keys)
        if new is not None and new != conversation_id:
            renames[conversation_id] = new
    return renames


def _tracker_channels(connection: sa.engine.Connection) -> list[tuple[str, str | None]]:
    """(sender id, input channel of its first message) for every conversation with one."""
    first_messages = (
        sa.select(events.c.sender_id, sa.func.min(events.c.id).label("first"))
        .where(events.c.type_name == "user")
        .group_by(events.c.sender_id)
        .subquery()
    )
    query = sa.select(events.c.sender_id, events.c.data).join(
        first_messages, events.c.id == first_messages.c.first)
    found = []
    for sender_id, data in connection.execute(query):
        if ids.kind_of(sender_id) is not None:
            continue  # already today's id: no need to read its message
        try:
            channel = json.loads(data).get("input_channel")
        except (ValueError, AttributeError):
            channel = None
        found.append((sender_id, channel if isinstance(channel, str) else None))
    return found
