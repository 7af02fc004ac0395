"""Case storage for reception staff: flagged triage outcomes and call-back requests.

Plain typed Python with no Rasa import. ``default_store()`` is the store the
settings describe (``DATABASE_URL``, ``TRACKER_DB_URL``, ``CASE_DATA_KEY``); it
is made on first use, after bringing the schema up to date, never at import
time. The functions below are that store's methods, for the Rasa actions and
the command line; tests and the staff view build a ``CaseStore`` of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from kneecare.cases.contact import ContactDetails, InvalidContact, redact
from kneecare.cases.crypto import cipher_from_settings
from kneecare.cases.database import upgrade_database
from kneecare.cases.settings import case_settings
from kneecare.cases.store import (
    KINDS,
    LEVELS,
    STATUSES,
    Case,
    CaseAnswers,
    CaseError,
    CaseStore,
    DeletionReport,
    StatusChange,
)
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome

__all__ = [
    "KINDS",
    "LEVELS",
    "STATUSES",
    "Case",
    "CaseAnswers",
    "CaseError",
    "CaseStore",
    "ContactDetails",
    "DeletionReport",
    "InvalidContact",
    "StatusChange",
    "default_store",
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


@lru_cache(maxsize=1)
def default_store() -> CaseStore:
    """The store from the settings, its schema upgraded (once per process)."""
    settings = case_settings()
    upgrade_database(settings.database_url)
    return CaseStore(settings.database_url, cipher_from_settings(settings), settings.tracker_db_url)


def record_triage_case(
    conversation_id: str, channel: str, outcome: Outcome, answers: TriageAnswers
) -> int:
    return default_store().record_triage_case(conversation_id, channel, outcome, answers)


def record_callback_request(
    conversation_id: str,
    channel: str,
    contact: ContactDetails,
    reason: str,
    level: str | None,
    *,
    consent_purpose: str,
) -> int:
    return default_store().record_callback_request(
        conversation_id, channel, contact, reason, level, consent_purpose=consent_purpose
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
    return default_store().erase_conversation(conversation_id)


def erase_person(phone_or_email: str) -> DeletionReport:
    return default_store().erase_person(phone_or_email)
