"""Case storage for reception staff: flagged triage outcomes and call-back requests.

Plain typed Python with no Rasa import. ``default_store()`` is the store the
settings describe (``DATABASE_URL``, ``TRACKER_DB_URL``, ``CASE_DATA_KEY``); it
is made on first use, after bringing the schema up to date, never at import
time (``kneecare.cases.configured``). The functions below are that store's
methods, for the Rasa actions and the command line; tests and the staff view
build a ``CaseStore`` of their own.

Recording never loses a case: when the database is unavailable, the case is
kept in the encrypted outbox (``kneecare.cases.outbox``) and
``CaseKeptInOutbox`` tells the caller it is not in the staff queue yet; the
next successful recording (or ``python -m kneecare.cases retry``) delivers
what waits there, oldest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from kneecare.cases.configured import (
    CaseKeptInOutbox,
    default_cipher,
    default_outbox,
    default_store,
    deliver_outbox,
    record_or_keep,
)
from kneecare.cases.contact import ContactDetails, InvalidContact, redact
from kneecare.cases.database import upgrade_database
from kneecare.cases.outbox import Outbox, PendingCase
from kneecare.cases.records import (
    KINDS,
    LEVELS,
    STATUSES,
    Case,
    CaseAnswers,
    CaseError,
    DeletionReport,
    StatusChange,
)
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome

__all__ = [
    "case_settings",
    "KINDS",
    "LEVELS",
    "STATUSES",
    "Case",
    "CaseAnswers",
    "CaseError",
    "CaseKeptInOutbox",
    "CaseStore",
    "ContactDetails",
    "DeletionReport",
    "InvalidContact",
    "StatusChange",
    "default_cipher",
    "default_outbox",
    "default_store",
    "deliver_outbox",
    "delete_older_than",
    "erase_conversation",
    "erase_person",
    "export_csv",
    "get_case",
    "list_queue",
    "record_callback_request",
    "record_triage_case",
    "redact",
    "set_status",
    "upgrade_database",
]


def record_triage_case(
    conversation_id: str,
    channel: str,
    outcome: Outcome,
    answers: TriageAnswers,
    client_key: str | None = None,
) -> int:
    """Store a flagged outcome; ``CaseKeptInOutbox`` if it has to wait for the database."""
    return record_or_keep(
        PendingCase.triage(conversation_id, channel, outcome, answers, _now(), client_key)
    )


def record_callback_request(
    conversation_id: str,
    channel: str,
    contact: ContactDetails,
    reason: str,
    level: str | None,
    *,
    consent_purpose: str,
    client_key: str | None = None,
) -> int:
    """Store a call-back request; ``CaseKeptInOutbox`` if it has to wait for the database."""
    return record_or_keep(
        PendingCase.callback(
            conversation_id, channel, contact, reason, level, consent_purpose, _now(), client_key
        )
    )


def list_queue(
    status: str | Sequence[str] | None = None, level: str | Sequence[str] | None = None
) -> list[Case]:
    return default_store().list_queue(status=status, level=level)


def get_case(case_id: int) -> Case | None:
    return default_store().get_case(case_id)


def set_status(case_id: int, status: str, staff_user: str, note: str = "") -> Case:
    return default_store().set_status(case_id, status, staff_user, note)


def export_csv(
    status: str | Sequence[str] | None = None, level: str | Sequence[str] | None = None
) -> str:
    return default_store().export_csv(status=status, level=level)


def delete_older_than(days: int) -> DeletionReport:
    return default_store().delete_older_than(days)


def erase_conversation(conversation_id: str) -> DeletionReport:
    return _with_outbox(
        default_store().erase_conversation(conversation_id),
        lambda outbox: outbox.discard_conversations({conversation_id}),
    )


def erase_person(phone_or_email: str) -> DeletionReport:
    return _with_outbox(
        default_store().erase_person(phone_or_email),
        lambda outbox: outbox.discard_contact(phone_or_email),
    )


def _with_outbox(report: DeletionReport, discard: Callable[[Outbox], int]) -> DeletionReport:
    """Erasure covers the cases still waiting in the outbox too."""
    return DeletionReport(
        cases=report.cases + discard(default_outbox()), conversations=report.conversations
    )


def _now() -> datetime:
    return datetime.now(timezone.utc)
