"""Recording cases: a flagged triage outcome or a consented call-back request as a record.

Each function checks its input, writes the case's three summary lines,
encrypts contact details (with keyed hashes for looking them up at erasure)
and files the record with ``filing_store``: one open case per conversation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.engine import Engine

from kneecare import explain
from kneecare.cases import summary
from kneecare.cases.contact import ContactDetails, redact
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.filing_store import file_record, open_case
from kneecare.cases.records import (
    MAX_REASON_LENGTH,
    CaseAnswers,
    check_new_case,
    email_key,
    to_db,
    utc_now,
)
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome


def record_triage_case(
    engine: Engine,
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
        not_sure=tuple(sorted(answers.not_sure)),
    )
    reasons = explain.reasons(outcome, answers)
    text = "\n".join(
        [
            summary.triage_reasons_line(outcome.level, reasons),
            summary.answers_line(
                **kept.column_values(),
                red_flags=kept.red_flags,
                not_sure=answers.not_sure,
                age_withheld=answers.age_withheld,
            ),
            summary.told_line(outcome.level),
        ]
    )
    return file_record(
        engine,
        now=now,
        kind="triage",
        channel=channel,
        conversation_id=conversation_id,
        level=outcome.level,
        reasons=list(outcome.reasons),
        reasons_explained=[summary.staff_reason(reason) for reason in reasons],
        answers=kept,
        summary=text,
        client_key=client_key,
    )


def record_callback_request(
    engine: Engine,
    cipher: ContactCipher,
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
    triage_row = open_case(engine, conversation_id)
    if triage_row is not None and triage_row.level is not None:
        # the request joins the conversation's triage: name its outcome and reasons
        level, reasons = level or triage_row.level, tuple(reasons or triage_row.reasons or ())
    clean_reason = redact(" ".join(reason.split()))[:MAX_REASON_LENGTH]
    lines = [
        f"Call-back request ({summary.level_label(level)})"
        + (f": {'; '.join(summary.reason_words(r) for r in reasons[:2])}" if reasons else ""),
        f"Contact by {'phone' if contact.phone else 'e-mail'}"
        + (" (e-mail also given)" if contact.phone and contact.email else ""),
        summary.callback_line(clean_reason),
    ]
    moment = now or utc_now()
    return file_record(
        engine,
        now=moment,
        kind="callback",
        channel=channel,
        conversation_id=conversation_id,
        level=level,
        reasons=list(reasons),
        answers=CaseAnswers(),
        summary="\n".join(lines),
        contact_name=cipher.encrypt(contact.name),
        contact_phone=cipher.encrypt(contact.phone),
        contact_email=cipher.encrypt(contact.email),
        phone_lookup=cipher.lookup_hash(contact.phone),
        email_lookup=cipher.lookup_hash(email_key(contact.email)),
        callback_reason=clean_reason,
        consent_at=to_db(consent_at or moment),
        consent_purpose=consent_purpose.strip(),
        client_key=client_key,
    )
