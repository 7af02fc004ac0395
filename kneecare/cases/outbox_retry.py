"""When the action server next tries to deliver the outbox, after a failed or a quiet try.

Cases wait in the outbox while the case database is down. The action server
tries again on a timer, not only when the next case arrives: every
``CHECK_SECONDS`` while nothing waits, and after a failure with growing
pauses (``FIRST_RETRY_SECONDS``, doubling, at most ``MAX_RETRY_SECONDS``), so
a long outage does not hammer the database and a short one heals quickly.
``CASE_OUTBOX_RETRY_SECONDS`` sets the first pause (the check interval is
twice it); the tests shorten it.
"""

from __future__ import annotations

from typing import Final

CHECK_SECONDS: Final = 30.0
FIRST_RETRY_SECONDS: Final = 15.0
MAX_RETRY_SECONDS: Final = 600.0


def next_delay(failures_in_a_row: int, first: float = FIRST_RETRY_SECONDS) -> float:
    """Seconds until the next try, given how many tries in a row have failed."""
    if failures_in_a_row <= 0:
        return CHECK_SECONDS * first / FIRST_RETRY_SECONDS
    return min(MAX_RETRY_SECONDS, first * float(2 ** (failures_in_a_row - 1)))
