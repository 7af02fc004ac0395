"""The case store: record flagged triage outcomes and call-back requests, work the queue.

``CaseStore`` is bound to one case database (and optionally Rasa's tracker
store, for transcripts, retention and erasure). It is a small facade over its
parts, one responsibility each:

- ``case_writer``: filing outcomes and call-backs, one open case per conversation;
- ``case_reader``: the queue by urgency, one case with its history, status changes;
- ``case_export``: the queue as CSV;
- ``retention``: deleting old data, erasing a conversation or a person;
- ``audit_trail``: the staff audit log.

Contact details are encrypted before they reach the database and decrypted
only when a case is read. The records and constants are in ``records``.
"""

from __future__ import annotations

from kneecare.cases.audit_trail import AuditTrail
from kneecare.cases.case_export import CaseExport
from kneecare.cases.case_writer import CaseWriter
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.records import (
    CONTACT_COLUMNS,
    EXPORT_COLUMNS,
    KINDS,
    LEVELS,
    MAX_CHANNEL_LENGTH,
    MAX_CONVERSATION_ID_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    OPEN_STATUSES,
    STATUSES,
    AuditEntry,
    Case,
    CaseAnswers,
    CaseError,
    DeletionReport,
    StatusChange,
    check_new_case,
    utc_now,
)
from kneecare.cases.retention import Retention
from kneecare.cases.store_part import StorePart


class CaseStore(StorePart):
    """Cases in one database; conversations in Rasa's tracker store (optional)."""

    def __init__(self, url: str, cipher: ContactCipher, tracker_url: str | None = None):
        super().__init__(url, cipher, tracker_url)
        parts = (url, cipher, tracker_url)
        writer, reader = CaseWriter(*parts), CaseExport(*parts)
        retention, audit = Retention(*parts), AuditTrail(*parts)
        self.record_triage_case = writer.record_triage_case
        self.record_callback_request = writer.record_callback_request
        self.list_queue = reader.list_queue
        self.get_case = reader.get_case
        self.transcript = reader.transcript
        self.set_status = reader.set_status
        self.export_csv = reader.export_csv
        self.delete_older_than = retention.delete_older_than
        self.erase_conversation = retention.erase_conversation
        self.erase_person = retention.erase_person
        self.audit = audit.audit
        self.audit_entries = audit.audit_entries


__all__ = [
    "CONTACT_COLUMNS", "EXPORT_COLUMNS", "KINDS", "LEVELS", "MAX_CHANNEL_LENGTH",
    "MAX_CONVERSATION_ID_LENGTH", "MAX_NOTE_LENGTH", "MAX_REASON_LENGTH", "OPEN_STATUSES",
    "STATUSES", "AuditEntry", "Case", "CaseAnswers", "CaseError", "CaseStore",
    "DeletionReport", "StatusChange", "check_new_case", "utc_now",
]
