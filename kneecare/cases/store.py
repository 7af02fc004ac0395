"""The case store: record flagged triage outcomes and call-back requests, work the queue.

``CaseStore`` is bound to one case database (and optionally Rasa's tracker
store, for transcripts, retention and erasure). It is a small facade: the
work, and its rules, are in ``recording`` (with ``filing_store``), ``queue``,
``status``, ``export``, ``retention`` and ``audit``; the records (``Case``,
``CaseError``, the statuses, ...) are in ``records``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.engine import Engine

from kneecare.cases import audit, conversations, export, queue, recording, retention
from kneecare.cases.contact import ContactDetails
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine
from kneecare.cases.records import AuditEntry, Case, CaseError, DeletionReport
from kneecare.cases.status import change_status
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome

__all__ = ["CaseError", "CaseStore"]


class CaseStore:
    """Cases in one database; conversations in Rasa's tracker store (optional)."""

    def __init__(self, url: str, cipher: ContactCipher, tracker_url: str | None = None):
        self.url = url
        self.cipher = cipher
        self.tracker_url = tracker_url

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    def record_triage_case(
        self,
        conversation_id: str,
        channel: str,
        outcome: Outcome,
        answers: TriageAnswers,
        *,
        now: datetime | None = None,
        client_key: str | None = None,
    ) -> int:
        """Store a triage outcome for staff (the conversation's open case); its case id."""
        return recording.record_triage_case(
            self.engine, conversation_id, channel, outcome, answers, now=now, client_key=client_key
        )

    def record_callback_request(
        self,
        conversation_id: str,
        channel: str,
        contact: ContactDetails,
        reason: str,
        level: str | None,
        *,
        consent_purpose: str,
        consent_at: datetime | None = None,
        reasons: Sequence[str] = (),
        now: datetime | None = None,
        client_key: str | None = None,
    ) -> int:
        """Store a consented call-back request (joining the conversation's case); its id."""
        return recording.record_callback_request(
            self.engine,
            self.cipher,
            conversation_id,
            channel,
            contact,
            reason,
            level,
            consent_purpose=consent_purpose,
            consent_at=consent_at,
            reasons=reasons,
            now=now,
            client_key=client_key,
        )

    def list_queue(
        self,
        status: str | Sequence[str] | None = None,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        limit: int = 500,
        offset: int = 0,
    ) -> list[Case]:
        """Cases by urgency, then earliest request first; ``None`` filters nothing."""
        return queue.list_queue(self.engine, self.cipher, status, level, kind, limit, offset)

    def get_case(self, case_id: int) -> Case | None:
        """One case with its status history, or None."""
        return queue.get_case(self.engine, self.cipher, case_id)

    def transcript(self, case: Case) -> list[conversations.TranscriptLine]:
        """The conversation behind a case (empty without a tracker store)."""
        if self.tracker_url is None:
            return []
        return conversations.read_transcript(self.tracker_url, case.conversation_id)

    def set_status(
        self,
        case_id: int,
        status: str,
        staff_user: str,
        note: str = "",
        *,
        now: datetime | None = None,
    ) -> Case:
        """Move a case to ``status``, keeping who did it and why; returns the case."""
        change_status(self.engine, case_id, status, staff_user, note, now=now)
        case = self.get_case(case_id)
        assert case is not None
        return case

    def export_csv(
        self,
        status: str | Sequence[str] | None = None,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        *,
        include_contact: bool = False,
    ) -> str:
        """The queue (same filters and order) as CSV; contact details only if asked."""
        found = self.list_queue(status=status, level=level, kind=kind, limit=100_000)
        return export.cases_csv(found, include_contact=include_contact)

    def delete_older_than(self, days: int, *, now: datetime | None = None) -> DeletionReport:
        """Delete cases created, and conversations last active, more than ``days`` ago."""
        return retention.delete_older_than(self.engine, self.tracker_url, days, now=now)

    def erase_conversation(self, conversation_id: str) -> DeletionReport:
        """Delete the cases and the transcript of one conversation."""
        return retention.erase_conversations(self.engine, self.tracker_url, [conversation_id])

    def erase_person(self, phone_or_email: str) -> DeletionReport:
        """Delete every call-back with this phone or e-mail, with its conversations' cases,
        and the SMS and WhatsApp conversations of that phone number."""
        found = retention.conversations_of_person(self.engine, self.cipher, phone_or_email)
        return retention.erase_conversations(self.engine, self.tracker_url, found)

    def audit(
        self,
        username: str,
        action: str,
        *,
        case_id: int | None = None,
        detail: str = "",
        remote_addr: str = "",
        now: datetime | None = None,
    ) -> None:
        """Append one entry to the audit log (details are redacted)."""
        audit.append_entry(self.engine, username, action, case_id=case_id, detail=detail,
                           remote_addr=remote_addr, now=now)

    def audit_entries(self, limit: int = 200, action: str | None = None) -> list[AuditEntry]:
        """The newest audit entries first."""
        return audit.newest_entries(self.engine, limit, action)
