"""The case store's records: cases, their history and answers, audit entries, the limits.

Plain frozen dataclasses as staff see them, the vocabulary of levels, kinds
and statuses, ``check_new_case`` (the input the store refuses) and the
conversion of moments to and from the database, which keeps naive UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Final

from kneecare.cases.contact import ContactDetails

LEVELS: Final = ("emergency", "same_day", "gp_soon", "physio", "self_care")
KINDS: Final = ("triage", "callback")
STATUSES: Final = ("new", "contacted", "booked", "closed")
OPEN_STATUSES: Final = ("new", "contacted", "booked")
MAX_NOTE_LENGTH: Final = 2000
MAX_REASON_LENGTH: Final = 500
MAX_CHANNEL_LENGTH: Final = 32
MAX_CONVERSATION_ID_LENGTH: Final = 255


class CaseError(ValueError):
    """Bad input to the store (unknown status, note too long, ...); says what is wrong."""


@dataclass(frozen=True)
class CaseAnswers:
    """The structured triage answers kept with a case (None: not asked or not known)."""

    pain_duration_days: float | None = None
    pain_score: int | None = None
    limits_activity: bool | None = None
    alters_gait: bool | None = None
    injury: bool | None = None
    age: int | None = None
    red_flags: tuple[str, ...] = ()
    # the yes/no questions (injury, limits_activity, alters_gait) answered "not sure"
    not_sure: tuple[str, ...] = ()

    def answer_words(self, question: str) -> str:
        """A yes/no answer for staff: 'yes', 'no', 'not sure' or 'not given'."""
        if question in self.not_sure:
            return "not sure"
        value = getattr(self, question)
        return "not given" if value is None else "yes" if value else "no"

    def column_values(self) -> dict[str, Any]:
        """The answers' database columns but the red flags and the not-sure list."""
        return {
            "pain_duration_days": self.pain_duration_days,
            "pain_score": self.pain_score,
            "limits_activity": self.limits_activity,
            "alters_gait": self.alters_gait,
            "injury": self.injury,
            "age": self.age,
        }


@dataclass(frozen=True)
class StatusChange:
    """One step of a case's history."""

    at: datetime
    staff_user: str
    from_status: str
    to_status: str
    note: str


@dataclass(frozen=True)
class Case:
    """A flagged triage outcome or a call-back request, as staff see it."""

    id: int
    created_at: datetime  # UTC
    updated_at: datetime
    kind: str  # triage | callback
    channel: str
    conversation_id: str
    level: str | None
    reasons: tuple[str, ...]
    answers: CaseAnswers
    summary: str  # three lines
    status: str
    contact: ContactDetails | None = None
    callback_reason: str | None = None
    consent_at: datetime | None = None
    consent_purpose: str | None = None
    history: tuple[StatusChange, ...] = field(default=())  # filled by get_case only
    # each reason in staff words with the person's words ("reasons" holds the rule ids)
    reasons_explained: tuple[str, ...] = ()

    @property
    def summary_lines(self) -> list[str]:
        return self.summary.splitlines()

    def waiting(self, now: datetime | None = None) -> timedelta:
        return (now or utc_now()) - self.created_at

    @property
    def requested_at(self) -> datetime:
        """When the person asked for a call (consented to it); else when the case was filed."""
        return self.consent_at or self.created_at


@dataclass(frozen=True)
class DeletionReport:
    """What retention or erasure removed."""

    cases: int
    conversations: int


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    username: str
    action: str
    case_id: int | None
    detail: str
    remote_addr: str


def check_new_case(
    conversation_id: str, channel: str, level: str | None, *, consent_purpose: str | None = None
) -> None:
    """Raise ``CaseError`` for a case the store would refuse, before any database work."""
    if not conversation_id or len(conversation_id) > MAX_CONVERSATION_ID_LENGTH:
        raise CaseError("a conversation id of 1 to 255 characters is needed")
    if not channel or len(channel) > MAX_CHANNEL_LENGTH:
        raise CaseError(f"a channel name of 1 to {MAX_CHANNEL_LENGTH} characters is needed")
    if level is not None and level not in LEVELS:
        raise CaseError(f"unknown triage level {level!r}")
    if consent_purpose is not None and not consent_purpose.strip():
        raise CaseError("a call-back needs the purpose the person consented to")


def email_key(email: str | None) -> str | None:
    """E-mail addresses are looked up without regard to case."""
    return None if email is None else email.lower()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_db(moment: datetime) -> datetime:
    """Aware -> naive UTC, as stored."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def from_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=timezone.utc)
