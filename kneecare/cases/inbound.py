"""Which provider messages were already handled, so a repeated request is not handled twice.

Twilio sends a webhook again when it timed out waiting, and a captured signed
request stays valid if replayed: both carry the same ``MessageSid``. The
first sighting of an id is recorded in the case database (shared by every
Rasa process); a later one is refused. Ids older than ``KEEP_FOR`` are
forgotten as new ones arrive.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from kneecare.cases.tables import inbound_messages

KEEP_FOR = timedelta(days=2)
MAX_ID_LENGTH = 64


def first_sighting(engine: Engine, provider: str, message_id: str,
                   now: datetime | None = None) -> bool:
    """True the first time ``(provider, message_id)`` is seen, False ever after (for KEEP_FOR)."""
    moment = (now or datetime.now(timezone.utc)).replace(tzinfo=None)
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(inbound_messages).values(
                provider=provider, message_id=message_id[:MAX_ID_LENGTH], seen_at=moment))
    except IntegrityError:
        return False
    with engine.begin() as connection:
        connection.execute(sa.delete(inbound_messages)
                           .where(inbound_messages.c.seen_at < moment - KEEP_FOR))
    return True
