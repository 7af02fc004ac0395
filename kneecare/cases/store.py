"""The case store: record flagged triage outcomes and call-back requests, work the queue.

``CaseStore`` is bound to one case database (and optionally Rasa's tracker
store, for transcripts, retention and erasure). The queue is sorted by urgency
(emergency, same day, GP soon, physio, then self-care and call-backs without a
triage level), then by waiting time, oldest first. Every status change keeps
the staff member's name and note. Contact details are encrypted before they
reach the database and decrypted only when a case is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from kneecare import conversation_ids, explain
from kneecare.cases import conversations, filing, summary
from kneecare.cases.contact import ContactDetails, normalise_phone_or_email, redact
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine
from kneecare.cases.tables import audit_log, case_status_changes, cases, staff_sessions
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome

LEVELS: Final = ("emergency", "same_day", "gp_soon", "physio", "self_care")
KINDS: Final = ("triage", "callback")
STATUSES: Final = ("new", "contacted", "booked", "closed")
OPEN_STATUSES: Final = ("new", "contacted", "booked")
MAX_NOTE_LENGTH: Final = 2000
MAX_REASON_LENGTH: Final = 500
MAX_CHANNEL_LENGTH: Final = 32
MAX_CONVERSATION_ID_LENGTH: Final = 255
EXPORT_COLUMNS: Final = (
    "id",
    "created_at",
    "kind",
    "level",
    "status",
    "channel",
    "conversation_id",
    "reasons",
    "red_flags",
    "pain_duration_days",
    "pain_score",
    "limits_activity",
    "alters_gait",
    "injury",
    "age",
    "summary",
    "callback_reason",
    "consent_at",
)
CONTACT_COLUMNS: Final = ("contact_name", "contact_phone", "contact_email")


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

    @property
    def summary_lines(self) -> list[str]:
        return self.summary.splitlines()

    def waiting(self, now: datetime | None = None) -> timedelta:
        return (now or utc_now()) - self.created_at


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


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _to_db(moment: datetime) -> datetime:
    """Aware -> naive UTC, as stored."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _from_db(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.replace(tzinfo=timezone.utc)


def _urgency_order() -> Any:
    return sa.case(
        {level: rank for rank, level in enumerate(LEVELS)},
        value=cases.c.level,
        else_=LEVELS.index("self_care"),
    )


def _one_or_many(value: str | Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    unknown = [item for item in values if item not in allowed]
    if unknown:
        raise CaseError(f"unknown {what}: {', '.join(unknown)} (use {', '.join(allowed)})")
    return values


def _csv_cell(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class CaseStore:
    """Cases in one database; conversations in Rasa's tracker store (optional)."""

    def __init__(self, url: str, cipher: ContactCipher, tracker_url: str | None = None):
        self.url = url
        self.cipher = cipher
        self.tracker_url = tracker_url

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)

    # -- recording ------------------------------------------------------------

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
        """Store a triage outcome for staff; returns the case id.

        A conversation has one open case: a second outcome updates it (the
        same outcome again changes nothing). ``client_key`` (a keyed hash of
        the client's address) limits how many new cases one client files.
        """
        check_new_case(conversation_id, channel, outcome.level)
        kept = CaseAnswers(
            pain_duration_days=answers.pain_duration_days,
            pain_score=answers.pain_score,
            limits_activity=answers.limits_activity,
            alters_gait=answers.alters_gait,
            injury=answers.injury,
            age=answers.age,
            red_flags=tuple(outcome.red_flags),
        )
        text = "\n".join(
            [
                summary.triage_reasons_line(outcome.level, explain.reasons(outcome, answers)),
                summary.answers_line(
                    **_answer_values(kept),
                    red_flags=kept.red_flags,
                    not_sure=answers.not_sure,
                    age_withheld=answers.age_withheld,
                ),
                summary.told_line(outcome.level),
            ]
        )
        return self._insert(
            now=now,
            kind="triage",
            channel=channel,
            conversation_id=conversation_id,
            level=outcome.level,
            reasons=list(outcome.reasons),
            answers=kept,
            summary=text,
            client_key=client_key,
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
        """Store a consented call-back request; returns the case id.

        From a conversation that already has a case (its triage), the request
        joins that case, which becomes a call-back with the triage's answers.

        ``reason`` is the person's own words: phone numbers and e-mail
        addresses in it are redacted (they belong in ``contact``).
        """
        check_new_case(conversation_id, channel, level, consent_purpose=consent_purpose)
        if level is None:  # the request joins the conversation's triage: name its outcome
            triage_row = self._open_case(conversation_id)
            if triage_row is not None and triage_row.level is not None:
                level, reasons = triage_row.level, tuple(reasons or triage_row.reasons or ())
        clean_reason = redact(" ".join(reason.split()))[:MAX_REASON_LENGTH]
        lines = [
            f"Call-back request ({summary.level_label(level)})"
            + (f": {'; '.join(summary.reason_words(r) for r in reasons[:2])}" if reasons else ""),
            f"Contact by {'phone' if contact.phone else 'e-mail'}"
            + (" (e-mail also given)" if contact.phone and contact.email else ""),
            summary.callback_line(clean_reason),
        ]
        moment = now or utc_now()
        return self._insert(
            now=moment,
            kind="callback",
            channel=channel,
            conversation_id=conversation_id,
            level=level,
            reasons=list(reasons),
            answers=CaseAnswers(),
            summary="\n".join(lines),
            contact_name=self.cipher.encrypt(contact.name),
            contact_phone=self.cipher.encrypt(contact.phone),
            contact_email=self.cipher.encrypt(contact.email),
            phone_lookup=self.cipher.lookup_hash(contact.phone),
            email_lookup=self.cipher.lookup_hash(_email_key(contact.email)),
            callback_reason=clean_reason,
            consent_at=_to_db(consent_at or moment),
            consent_purpose=consent_purpose.strip(),
            client_key=client_key,
        )

    def _insert(
        self,
        *,
        now: datetime | None,
        conversation_id: str,
        channel: str,
        answers: CaseAnswers,
        client_key: str | None = None,
        **values: Any,
    ) -> int:
        """File the record: on the conversation's open case if it has one, else as a new case."""
        moment = _to_db(now or utc_now())
        row = {
            **_answer_values(answers),
            "red_flags": list(answers.red_flags),
            **values,
            "conversation_id": conversation_id,
            "channel": channel,
            "created_at": moment,
            "updated_at": moment,
            "status": "new",
            "client_key": client_key,
        }
        with self.engine.begin() as connection:
            existing = connection.execute(
                sa.select(cases)
                .where(cases.c.conversation_id == conversation_id,
                       cases.c.status.in_(OPEN_STATUSES))
                .order_by(cases.c.id.desc())
                .limit(1)
            ).mappings().first()
            if existing is not None:
                return self._update(connection, existing, row, moment)
            if client_key and _count(connection, sa.select(sa.func.count()).where(
                    cases.c.client_key == client_key,
                    cases.c.created_at > moment - timedelta(hours=1),
            )) >= filing.MAX_NEW_CASES_PER_CLIENT_PER_HOUR:
                raise filing.CaseRateLimited("too many new cases from one client address")
            result = connection.execute(sa.insert(cases).values(**row))
            return int(result.inserted_primary_key[0])

    def _open_case(self, conversation_id: str) -> Row | None:
        with self.engine.connect() as connection:
            return connection.execute(
                sa.select(cases)
                .where(cases.c.conversation_id == conversation_id,
                       cases.c.status.in_(OPEN_STATUSES))
                .order_by(cases.c.id.desc())
                .limit(1)
            ).first()

    @staticmethod
    def _update(connection: Any, existing: Any, row: dict[str, Any], moment: datetime) -> int:
        """Apply ``row`` to the existing case, with a history step; unchanged if nothing is new."""
        case_id = int(existing["id"])
        changes = filing.merged(existing, row)
        if not changes:
            return case_id
        recent_changes = _count(connection, sa.select(sa.func.count()).where(
            case_status_changes.c.case_id == case_id,
            case_status_changes.c.staff_user == filing.ASSISTANT,
            case_status_changes.c.at > moment - timedelta(hours=1),
        ))
        if recent_changes >= filing.MAX_CHANGES_PER_CONVERSATION_PER_HOUR:
            return case_id  # a scripted chat: the case keeps what it had
        connection.execute(
            sa.update(cases).where(cases.c.id == case_id).values(**changes, updated_at=moment))
        connection.execute(sa.insert(case_status_changes).values(
            case_id=case_id, at=moment, staff_user=filing.ASSISTANT,
            from_status=existing["status"], to_status=existing["status"],
            note=filing.change_note(existing, changes),
        ))
        return case_id

    # -- reading --------------------------------------------------------------

    def list_queue(
        self,
        status: str | Sequence[str] | None = None,
        level: str | Sequence[str] | None = None,
        kind: str | None = None,
        limit: int = 500,
    ) -> list[Case]:
        """Cases by urgency, then oldest first; ``None`` filters nothing."""
        statuses = _one_or_many(status, STATUSES, "status")
        levels = _one_or_many(level, LEVELS, "level")
        kinds = _one_or_many(kind, KINDS, "kind")
        query = sa.select(cases)
        if statuses:
            query = query.where(cases.c.status.in_(statuses))
        if levels:
            query = query.where(cases.c.level.in_(levels))
        if kinds:
            query = query.where(cases.c.kind.in_(kinds))
        query = query.order_by(_urgency_order(), cases.c.created_at, cases.c.id).limit(limit)
        with self.engine.connect() as connection:
            return [self._case(row) for row in connection.execute(query)]

    def get_case(self, case_id: int) -> Case | None:
        """One case with its status history, or None."""
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(cases).where(cases.c.id == case_id)).first()
            if row is None:
                return None
            history = connection.execute(
                sa.select(case_status_changes)
                .where(case_status_changes.c.case_id == case_id)
                .order_by(case_status_changes.c.at, case_status_changes.c.id)
            )
            steps = tuple(
                StatusChange(
                    at=_from_db(step.at) or utc_now(),
                    staff_user=step.staff_user,
                    from_status=step.from_status,
                    to_status=step.to_status,
                    note=step.note,
                )
                for step in history
            )
        return self._case(row, steps)

    def _case(self, row: Row, history: tuple[StatusChange, ...] = ()) -> Case:
        contact = None
        if row.kind == "callback" and row.contact_name is not None:
            contact = ContactDetails(
                name=self.cipher.decrypt(row.contact_name) or "",
                phone=self.cipher.decrypt(row.contact_phone),
                email=self.cipher.decrypt(row.contact_email),
            )
        return Case(
            id=row.id,
            created_at=_from_db(row.created_at) or utc_now(),
            updated_at=_from_db(row.updated_at) or utc_now(),
            kind=row.kind,
            channel=row.channel,
            conversation_id=row.conversation_id,
            level=row.level,
            reasons=tuple(row.reasons or ()),
            answers=CaseAnswers(
                pain_duration_days=row.pain_duration_days,
                pain_score=row.pain_score,
                limits_activity=row.limits_activity,
                alters_gait=row.alters_gait,
                injury=row.injury,
                age=row.age,
                red_flags=tuple(row.red_flags or ()),
            ),
            summary=row.summary,
            status=row.status,
            contact=contact,
            callback_reason=row.callback_reason,
            consent_at=_from_db(row.consent_at),
            consent_purpose=row.consent_purpose,
            history=history,
        )

    def transcript(self, case: Case) -> list[conversations.TranscriptLine]:
        """The conversation behind a case (empty without a tracker store)."""
        if self.tracker_url is None:
            return []
        return conversations.read_transcript(self.tracker_url, case.conversation_id)

    # -- working the queue ----------------------------------------------------

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
        if status not in STATUSES:
            raise CaseError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        if not staff_user:
            raise CaseError("the staff member's name is needed")
        note = note.strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise CaseError(f"a note must be at most {MAX_NOTE_LENGTH} characters")
        moment = _to_db(now or utc_now())
        with self.engine.begin() as connection:
            current = connection.execute(
                sa.select(cases.c.status).where(cases.c.id == case_id)
            ).scalar_one_or_none()
            if current is None:
                raise LookupError(f"no case {case_id}")
            connection.execute(
                sa.update(cases)
                .where(cases.c.id == case_id)
                .values(status=status, updated_at=moment)
            )
            connection.execute(
                sa.insert(case_status_changes).values(
                    case_id=case_id,
                    at=moment,
                    staff_user=staff_user,
                    from_status=current,
                    to_status=status,
                    note=note,
                )
            )
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
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([*EXPORT_COLUMNS, *(CONTACT_COLUMNS if include_contact else ())])
        for case in self.list_queue(status=status, level=level, kind=kind, limit=100_000):
            answers = case.answers
            row: list[object] = [
                case.id,
                case.created_at.isoformat(timespec="seconds"),
                case.kind,
                case.level,
                case.status,
                case.channel,
                case.conversation_id,
                ";".join(case.reasons),
                ";".join(answers.red_flags),
                answers.pain_duration_days,
                answers.pain_score,
                answers.limits_activity,
                answers.alters_gait,
                answers.injury,
                answers.age,
                " | ".join(case.summary_lines),
                case.callback_reason,
                case.consent_at.isoformat(timespec="seconds") if case.consent_at else None,
            ]
            if include_contact:
                contact = case.contact
                row += [contact.name, contact.phone, contact.email] if contact else [None] * 3
            writer.writerow([_csv_cell(value) for value in row])
        return out.getvalue()

    # -- retention and erasure ------------------------------------------------

    def delete_older_than(self, days: int, *, now: datetime | None = None) -> DeletionReport:
        """Delete cases created, and conversations last active, more than ``days`` ago."""
        if days < 1:
            raise CaseError("retention must be at least one day")
        cutoff = (now or utc_now()) - timedelta(days=days)
        with self.engine.begin() as connection:
            result = connection.execute(sa.delete(cases).where(cases.c.created_at < _to_db(cutoff)))
            connection.execute(
                sa.delete(staff_sessions).where(staff_sessions.c.expires_at < _to_db(utc_now()))
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
        digest = self.cipher.lookup_hash(phone or _email_key(email))
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

    # -- audit ----------------------------------------------------------------

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
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(audit_log).values(
                    at=_to_db(now or utc_now()),
                    username=username[:64],
                    action=action[:32],
                    case_id=case_id,
                    detail=redact(detail)[:1000],
                    remote_addr=remote_addr[:64],
                )
            )

    def audit_entries(self, limit: int = 200, action: str | None = None) -> list[AuditEntry]:
        """The newest audit entries first."""
        query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        if action is not None:
            query = query.where(audit_log.c.action == action)
        with self.engine.connect() as connection:
            return [
                AuditEntry(
                    at=_from_db(row.at) or utc_now(),
                    username=row.username,
                    action=row.action,
                    case_id=row.case_id,
                    detail=row.detail,
                    remote_addr=row.remote_addr,
                )
                for row in connection.execute(query.limit(limit))
            ]


def _count(connection: Any, query: Any) -> int:
    return int(connection.execute(query).scalar_one())


def _email_key(email: str | None) -> str | None:
    """E-mail addresses are looked up without regard to case."""
    return None if email is None else email.lower()


def _answer_values(answers: CaseAnswers) -> dict[str, Any]:
    return {
        "pain_duration_days": answers.pain_duration_days,
        "pain_score": answers.pain_score,
        "limits_activity": answers.limits_activity,
        "alters_gait": answers.alters_gait,
        "injury": answers.injury,
        "age": answers.age,
    }
