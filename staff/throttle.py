"""The sign-in throttle: growing pauses after failed sign-ins from one computer.

Failed sign-ins are throttled per client address and username: after
``FREE_FAILURES`` failures (within ``THROTTLE_WINDOW``, since the last success)
the next try must wait ``FIRST_PAUSE``, then twice as long, up to
``MAX_PAUSE``; one address failing across many usernames is throttled the
same way after ``FREE_FAILURES_PER_ADDRESS``. So someone outside cannot lock
a colleague out: the colleague's own computer is not throttled. Known and
unknown usernames are treated alike, and the failures are read from the
audit log. A success or an unlock (``python -m staff.accounts unlock NAME``)
starts the count again.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare.cases.records import to_db
from kneecare.cases.tables import audit_log

FREE_FAILURES: Final = 4  # per address and username
FREE_FAILURES_PER_ADDRESS: Final = 20  # per address, whichever usernames
FIRST_PAUSE: Final = timedelta(minutes=1)
MAX_PAUSE: Final = timedelta(minutes=15)
THROTTLE_WINDOW: Final = timedelta(hours=1)
UNLOCK_ACTION: Final = "account_unlocked"


def locked_until(
    engine: Engine, username: str, now: datetime, remote_addr: str = ""
) -> datetime | None:
    """When ``remote_addr`` may next try ``username``, or None if it may now."""
    moment = to_db(now)
    with engine.connect() as connection:
        last_success = connection.execute(
            sa.select(sa.func.max(audit_log.c.at)).where(
                audit_log.c.username == username,
                audit_log.c.action.in_(("sign_in", UNLOCK_ACTION)),
            )
        ).scalar_one_or_none()
        since = moment - THROTTLE_WINDOW
        if last_success is not None and last_success > since:
            since = last_success
        failed_here = sa.and_(
            audit_log.c.action == "sign_in_failed",
            audit_log.c.remote_addr == remote_addr[:64],
            audit_log.c.at > since,
        )
        for_user = (
            connection.execute(
                sa.select(audit_log.c.at)
                .where(failed_here, audit_log.c.username == username)
                .order_by(audit_log.c.at)
            )
            .scalars()
            .all()
        )
        for_address = (
            connection.execute(
                sa.select(audit_log.c.at).where(failed_here).order_by(audit_log.c.at)
            )
            .scalars()
            .all()
        )
    ends = [
        end
        for end in (
            _pause_end(for_user, FREE_FAILURES),
            _pause_end(for_address, FREE_FAILURES_PER_ADDRESS),
        )
        if end is not None and moment < end
    ]
    return max(ends).replace(tzinfo=timezone.utc) if ends else None


def _pause_end(failures: list[datetime], free: int) -> datetime | None:
    """When the pause after these failures ends: none for the first ``free``, then growing."""
    beyond = len(failures) - free
    if beyond <= 0:
        return None
    pause: timedelta = min(MAX_PAUSE, FIRST_PAUSE * int(2 ** (beyond - 1)))
    return failures[-1] + pause
