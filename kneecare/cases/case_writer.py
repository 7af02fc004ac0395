"""Filing cases: triage outcomes and call-back requests, one open case per conversation.

A second record from the same conversation updates its open case (the same
outcome again changes nothing), with a history step; new cases are
rate-limited per client (``kneecare/cases/filing.py`` has the rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row

from kneecare import explain
from kneecare.cases import filing, summary
from kneecare.cases.contact import ContactDetails, redact
from kneecare.cases.records import (
    MAX_REASON_LENGTH,
    OPEN_STATUSES,
    CaseAnswers,
    check_new_case,
    count,
    email_key,
    to_db,
    utc_now,
)
from kneecare.cases.store_part import StorePart
from kneecare.cases.tables import case_status_changes, cases
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome


class CaseWriter(StorePart):
    """Records outcomes and call-back requests."""

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
            email_lookup=self.cipher.lookup_hash(email_key(contact.email)),
            callback_reason=clean_reason,
            consent_at=to_db(consent_at or moment),
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
        moment = to_db(now or utc_now())
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
            if client_key and count(connection, sa.select(sa.func.count()).where(
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
        recent_changes = count(connection, sa.select(sa.func.count()).where(
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


def _answer_values(answers: CaseAnswers) -> dict[str, Any]:
    return {
        "pain_duration_days": answers.pain_duration_days,
        "pain_score": answers.pain_score,
        "limits_activity": answers.limits_activity,
        "alters_gait": answers.alters_gait,
        "injury": answers.injury,
        "age": answers.age,
    }
