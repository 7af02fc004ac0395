"""Who has texted STOP: their conversation's pseudonym and when, in the case database.

The pseudonym (``kneecare.conversation_ids``) is all that is kept: it is
enough to recognise the sender's next message, and it survives restarts and
is shared by every Rasa process. START removes the row.
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from kneecare.cases.tables import opt_outs


def record_opt_out(engine: Engine, conversation_id: str, now: datetime | None = None) -> None:
    moment = (now or datetime.now(timezone.utc)).replace(tzinfo=None)
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(opt_outs).values(conversation_id=conversation_id,
                                                          opted_out_at=moment))
    except IntegrityError:
        pass  # already opted out


def clear_opt_out(engine: Engine, conversation_id: str) -> bool:
    """True if the sender had opted out."""
    with engine.begin() as connection:
        removed = connection.execute(
            sa.delete(opt_outs).where(opt_outs.c.conversation_id == conversation_id)).rowcount
    return bool(removed)


def opted_out(engine: Engine, conversation_ids: list[str]) -> set[str]:
    """Which of these conversations have opted out."""
    if not conversation_ids:
        return set()
    with engine.connect() as connection:
        return set(connection.execute(sa.select(opt_outs.c.conversation_id).where(
            opt_outs.c.conversation_id.in_(conversation_ids))).scalars())
