"""The audit log: who signed in, viewed a case, changed a status or exported, and when.

Entries are appended, never changed; their details are redacted and every
field is cut to its column's length.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare.cases.contact import redact
from kneecare.cases.records import AuditEntry, from_db, to_db, utc_now
from kneecare.cases.tables import audit_log


def append_entry(
    engine: Engine,
    username: str,
    action: str,
    *,
    case_id: int | None = None,
    detail: str = "",
    remote_addr: str = "",
    now: datetime | None = None,
) -> None:
    """Append one entry to the audit log (details are redacted)."""
    with engine.begin() as connection:
        connection.execute(
            sa.insert(audit_log).values(
                at=to_db(now or utc_now()),
                username=username[:64],
                action=action[:32],
                case_id=case_id,
                detail=redact(detail)[:1000],
                remote_addr=remote_addr[:64],
            )
        )


def newest_entries(engine: Engine, limit: int = 200, action: str | None = None) -> list[AuditEntry]:
    """The newest audit entries first."""
    query = sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if action is not None:
        query = query.where(audit_log.c.action == action)
    with engine.connect() as connection:
        return [
            AuditEntry(
                at=from_db(row.at) or utc_now(),
                username=row.username,
                action=row.action,
                case_id=row.case_id,
                detail=row.detail,
                remote_addr=row.remote_addr,
            )
            for row in connection.execute(query.limit(limit))
        ]
