"""Retention and erasure: deleting cases and, with a tracker store, their conversations.

Retention deletes cases created, and conversations last active, before a
cutoff (and expired staff sessions). Erasure deletes named conversations'
cases and transcripts; a person is found by the keyed hash of their phone
number or e-mail address, and their text-message conversations by the
pseudonyms their phone number has.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare import conversation_ids
from kneecare.cases import conversations
from kneecare.cases.contact import normalise_phone_or_email
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.records import CaseError, DeletionReport, email_key, to_db, utc_now
from kneecare.cases.tables import cases, staff_sessions


def delete_older_than(
    engine: Engine, tracker_url: str | None, days: int, *, now: datetime | None = None
) -> DeletionReport:
    """Delete cases created, and conversations last active, more than ``days`` ago."""
    if days < 1:
        raise CaseError("retention must be at least one day")
    cutoff = (now or utc_now()) - timedelta(days=days)
    with engine.begin() as connection:
        result = connection.execute(sa.delete(cases).where(cases.c.created_at < to_db(cutoff)))
        connection.execute(
            sa.delete(staff_sessions).where(staff_sessions.c.expires_at < to_db(utc_now()))
        )
    removed = 0
    if tracker_url is not None:
        idle = conversations.conversations_idle_since(tracker_url, cutoff)
        removed = conversations.delete_conversations(tracker_url, idle)
    return DeletionReport(cases=result.rowcount, conversations=removed)


def conversations_of_person(
    engine: Engine, cipher: ContactCipher, phone_or_email: str
) -> list[str]:
    """The conversations of every call-back with this phone or e-mail, and the SMS and
    WhatsApp conversations of that phone number."""
    phone, email = normalise_phone_or_email(phone_or_email)
    column = cases.c.phone_lookup if phone else cases.c.email_lookup
    digest = cipher.lookup_hash(phone or email_key(email))
    with engine.connect() as connection:
        found = (
            connection.execute(sa.select(cases.c.conversation_id).where(column == digest))
            .scalars()
            .all()
        )
    texted = conversation_ids.pseudonyms_of_phone(phone, cipher) if phone else []
    return [*found, *texted]


def erase_conversations(
    engine: Engine, tracker_url: str | None, conversation_ids: Iterable[str]
) -> DeletionReport:
    """Delete the cases and the transcripts of these conversations."""
    ids = sorted(set(conversation_ids))
    if not ids:
        return DeletionReport(cases=0, conversations=0)
    with engine.begin() as connection:
        result = connection.execute(sa.delete(cases).where(cases.c.conversation_id.in_(ids)))
    removed = 0
    if tracker_url is not None:
        removed = conversations.delete_conversations(tracker_url, ids)
    return DeletionReport(cases=result.rowcount, conversations=removed)
