"""Working the queue: moving a case to another status, with who did it and why.

Every status change is a step in the case's history with the staff member's
name and note; the case itself keeps only its present status.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare.cases.records import MAX_NOTE_LENGTH, STATUSES, CaseError, to_db, utc_now
from kneecare.cases.tables import case_status_changes, cases


def change_status(
    engine: Engine,
    case_id: int,
    status: str,
    staff_user: str,
    note: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """Move a case to ``status``, keeping who did it and why; LookupError if there is none."""
    if status not in STATUSES:
        raise CaseError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    if not staff_user:
        raise CaseError("the staff member's name is needed")
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise CaseError(f"a note must be at most {MAX_NOTE_LENGTH} characters")
    moment = to_db(now or utc_now())
    with engine.begin() as connection:
        current = connection.execute(
            sa.select(cases.c.status).where(cases.c.id == case_id)
        ).scalar_one_or_none()
        if current is None:
            raise LookupError(f"no case {case_id}")
        connection.execute(
            sa.update(cases).where(cases.c.id == case_id).values(status=status, updated_at=moment)
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
