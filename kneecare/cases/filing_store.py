"""Filing a record in the database: onto the conversation's open case, or as a new case.

``filing`` decides what a record changes in the case already filed; this
module applies that inside one transaction, with the limits on changes per
conversation and on new cases per client address.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from kneecare.cases import filing
from kneecare.cases.records import OPEN_STATUSES, CaseAnswers, to_db, utc_now
from kneecare.cases.tables import case_status_changes, cases


def file_record(
    engine: Engine,
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
        **answers.column_values(),
        "red_flags": list(answers.red_flags),
        "not_sure": list(answers.not_sure),
        **values,
        "conversation_id": conversation_id,
        "channel": channel,
        "created_at": moment,
        "updated_at": moment,
        "status": "new",
        "client_key": client_key,
    }
    with engine.begin() as connection:
        existing = connection.execute(_open_case_query(conversation_id)).mappings().first()
        if existing is not None:
            return _update(connection, existing, row, moment)
        if (
            client_key
            and _count(
                connection,
                sa.select(sa.func.count()).where(
                    cases.c.client_key == client_key,
                    cases.c.created_at > moment - timedelta(hours=1),
                ),
            )
            >= filing.MAX_NEW_CASES_PER_CLIENT_PER_HOUR
        ):
            raise filing.CaseRateLimited("too many new cases from one client address")
        result = connection.execute(sa.insert(cases).values(**row))
        return int(result.inserted_primary_key[0])


def open_case(engine: Engine, conversation_id: str) -> Row | None:
    """The conversation's newest open case, or None."""
    with engine.connect() as connection:
        return connection.execute(_open_case_query(conversation_id)).first()


def _open_case_query(conversation_id: str) -> Any:
    return (
        sa.select(cases)
        .where(cases.c.conversation_id == conversation_id, cases.c.status.in_(OPEN_STATUSES))
        .order_by(cases.c.id.desc())
        .limit(1)
    )


def _update(connection: Connection, existing: Any, row: dict[str, Any], moment: datetime) -> int:
    """Apply ``row`` to the existing case, with a history step; unchanged if nothing is new."""
    case_id = int(existing["id"])
    changes = filing.merged(existing, row)
    if not changes:
        return case_id
    recent_changes = _count(
        connection,
        sa.select(sa.func.count()).where(
            case_status_changes.c.case_id == case_id,
            case_status_changes.c.staff_user == filing.ASSISTANT,
            case_status_changes.c.at > moment - timedelta(hours=1),
        ),
    )
    if recent_changes >= filing.MAX_CHANGES_PER_CONVERSATION_PER_HOUR:
        return case_id  # a scripted chat: the case keeps what it had
    connection.execute(
        sa.update(cases).where(cases.c.id == case_id).values(**changes, updated_at=moment)
    )
    connection.execute(
        sa.insert(case_status_changes).values(
            case_id=case_id,
            at=moment,
            staff_user=filing.ASSISTANT,
            from_status=existing["status"],
            to_status=existing["status"],
            note=filing.change_note(existing, changes),
        )
    )
    return case_id


def _count(connection: Connection, query: Any) -> int:
    return int(connection.execute(query).scalar_one())
