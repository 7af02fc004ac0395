"""Retention and erasure: old cases and idle conversations, one conversation, one person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa

from kneecare import conversation_ids
from kneecare.cases import conversations
from kneecare.cases.contact import normalise_phone_or_email
from kneecare.cases.records import CaseError, DeletionReport, email_key, to_db, utc_now
from kneecare.cases.store_part import StorePart
from kneecare.cases.tables import cases, staff_sessions


class Retention(StorePart):
    """Deletes what the retention policy or an erasure request says must go."""

    def delete_older_than(self, days: int, *, now: datetime | None = None) -> DeletionReport:
        """Delete cases created, and conversations last active, more than ``days`` ago."""
        if days < 1:
            raise CaseError("retention must be at least one day")
        cutoff = (now or utc_now()) - timedelta(days=days)
        with self.engine.begin() as connection:
            result = connection.execute(sa.delete(cases).where(cases.c.created_at < to_db(cutoff)))
            connection.execute(
                sa.delete(staff_sessions).where(staff_sessions.c.expires_at < to_db(utc_now()))
            )
        removed = 0
        if self.tracker_url is not None:
            idle = conversations.conversations_idle_since(self.tracker_url, cutoff)
            removed = conversations.delete_conversations(self.tracker_url, idle)
        return DeletionReport(cases=result.rowcount, conversations=removed)

    def erase_conversation(self, conversation_id: str) -> DeletionReport:
        """Delete the cases and the transcript of one conversation."""
        return self._erase([conversation_id])

    def erase_person(self, phone_or_email: str) -> DeletionReport:
        """Delete every call-back with this phone or e-mail, with its conversations' cases,
        and the SMS and WhatsApp conversations of that phone number."""
        phone, email = normalise_phone_or_email(phone_or_email)
        column = cases.c.phone_lookup if phone else cases.c.email_lookup
        digest = self.cipher.lookup_hash(phone or email_key(email))
        with self.engine.connect() as connection:
            found = (
                connection.execute(sa.select(cases.c.conversation_id).where(column == digest))
                .scalars()
                .all()
            )
        texted = conversation_ids.pseudonyms_of_phone(phone, self.cipher) if phone else []
        return self._erase([*found, *texted])

    def _erase(self, conversation_ids: Iterable[str]) -> DeletionReport:
        ids = sorted(set(conversation_ids))
        if not ids:
            return DeletionReport(cases=0, conversations=0)
        with self.engine.begin() as connection:
            result = connection.execute(sa.delete(cases).where(cases.c.conversation_id.in_(ids)))
        removed = 0
        if self.tracker_url is not None:
            removed = conversations.delete_conversations(self.tracker_url, ids)
        return DeletionReport(cases=result.rowcount, conversations=removed)
