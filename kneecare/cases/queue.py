"""The staff queue: cases in urgency order, and one case with its history.

The queue is sorted by urgency (emergency, same day, GP soon, physio,
self-care, then call-backs without a triage level), then by when the person
asked for a call (the consent to it; a case without one: when it was filed),
earliest first. A later request never gets an earlier call-by time (see
``kneecare.opening_hours.call_by``), so this is also call-by order.
Contact details are decrypted only here, when a case is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, Row

from kneecare.cases.contact import ContactDetails
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.records import (
    KINDS,
    LEVELS,
    STATUSES,
    Case,
    CaseAnswers,
    CaseError,
    StatusChange,
    from_db,
    to_db,
    utc_now,
)
from kneecare.cases.tables import case_status_changes, cases


def list_queue(
    engine: Engine,
    cipher: ContactCipher,
    status: str | Sequence[str] | None = None,
    level: str | Sequence[str] | None = None,
    kind: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[Case]:
    """Cases by urgency, then earliest request first; ``None`` filters nothing."""
    query = _filtered(sa.select(cases), status, level, kind)
    query = query.order_by(_urgency_order(), _requested_at(), cases.c.id)
    with engine.connect() as connection:
        return [_case(row, cipher) for row in connection.execute(query.limit(limit).offset(offset))]


def count_queue(
    engine: Engine,
    status: str | Sequence[str] | None = None,
    level: str | Sequence[str] | None = None,
    kind: str | None = None,
    newer_than: tuple[int, datetime] | None = None,
) -> int:
    """How many cases these filters find; with ``newer_than`` (a case id, a moment) only
    those filed after that case or asked for after that moment (a triage turned call-back)."""
    query = _filtered(sa.select(sa.func.count()).select_from(cases), status, level, kind)
    if newer_than is not None:
        case_id, moment = newer_than
        query = query.where(sa.or_(cases.c.id > case_id, _requested_at() > to_db(moment)))
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def newest_case_id(engine: Engine) -> int:
    """The highest case id so far (0: none yet)."""
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(cases.c.id))).scalar_one() or 0)


def _filtered(query: Any, status: str | Sequence[str] | None,
              level: str | Sequence[str] | None, kind: str | None) -> Any:
    """``query`` with the filters (the SQL of ``list_queue`` and ``count_queue`` alike)."""
    for column, value, allowed in (
        (cases.c.status, status, STATUSES),
        (cases.c.level, level, LEVELS),
        (cases.c.kind, kind, KINDS),
    ):
        wanted = _one_or_many(value, allowed, column.name)
        if wanted:
            query = query.where(column.in_(wanted))
    return query


def get_case(engine: Engine, cipher: ContactCipher, case_id: int) -> Case | None:
    """One case with its status history, or None."""
    with engine.connect() as connection:
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
                at=from_db(step.at) or utc_now(),
                staff_user=step.staff_user,
                from_status=step.from_status,
                to_status=step.to_status,
                note=step.note,
            )
            for step in history
        )
    return _case(row, cipher, steps)


def _case(row: Row, cipher: ContactCipher, history: tuple[StatusChange, ...] = ()) -> Case:
    contact = None
    if row.kind == "callback" and row.contact_name is not None:
        contact = ContactDetails(
            name=cipher.decrypt(row.contact_name) or "",
            phone=cipher.decrypt(row.contact_phone),
            email=cipher.decrypt(row.contact_email),
        )
    return Case(
        id=row.id,
        created_at=from_db(row.created_at) or utc_now(),
        updated_at=from_db(row.updated_at) or utc_now(),
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
            not_sure=tuple(row.not_sure or ()),
        ),
        reasons_explained=tuple(row.reasons_explained or ()),
        summary=row.summary,
        status=row.status,
        contact=contact,
        callback_reason=row.callback_reason,
        consent_at=from_db(row.consent_at),
        consent_purpose=row.consent_purpose,
        history=history,
    )


def _urgency_order() -> Any:
    """The levels' rank in ``LEVELS``; no level ranks last."""
    return sa.case(
        {level: rank for rank, level in enumerate(LEVELS)}, value=cases.c.level, else_=len(LEVELS)
    )


def _requested_at() -> Any:
    return sa.func.coalesce(cases.c.consent_at, cases.c.created_at)


def _one_or_many(value: str | Sequence[str] | None, allowed: Sequence[str], what: str) -> list[str]:
    if value is None:
        return []
    values = [value] if isinstance(value, str) else list(value)
    unknown = [item for item in values if item not in allowed]
    if unknown:
        raise CaseError(f"unknown {what}: {', '.join(unknown)} (use {', '.join(allowed)})")
    return values
