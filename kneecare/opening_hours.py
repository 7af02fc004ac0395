"""When reception next answers: the opening period a moment falls in, or the next one.

This is the one source of truth for two things that must never disagree: the
chat's promise to someone who asks for a call-back ("today, before 20:00",
"tomorrow from 08:00") and the staff queue's call-by time, the closing time of
that same opening period. Opening hours are wall-clock times in the clinic's
time zone, so a period on a daylight-saving day keeps its local hours.

>>> hours = {"monday": ("08:00", "20:00")}
>>> zone = ZoneInfo("Europe/London")
>>> at = dt.datetime(2026, 11, 23, 10, 0, tzinfo=zone)  # a Monday
>>> promise_words(next_opening(hours, zone, at)), call_by(hours, zone, at).strftime("%H:%M")
('today, before 20:00', '20:00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

DAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NO_OPENING_WORDS: Final = "as soon as the clinic reopens"

Hours = Mapping[str, tuple[str, str]]  # weekday -> ("08:00", "20:00"); a missing day is closed


@dataclass(frozen=True)
class Opening:
    """One opening period: its local start and end, and where a moment stands to it."""

    opens: dt.datetime  # aware, in the clinic's zone
    closes: dt.datetime
    days_ahead: int  # 0: the moment's own (local) day
    open_now: bool  # the moment falls inside this period


def clock_time(text: str) -> dt.time:
    """'08:00' -> 08:00; ValueError for anything but a 24-hour HH:MM."""
    if len(text) != 5 or text[2] != ":":
        raise ValueError(f"{text!r} is not a time like 08:00")
    return dt.time.fromisoformat(text)


def next_opening(hours: Hours, zone: ZoneInfo, moment: dt.datetime) -> Opening | None:
    """The period ``moment`` falls in, else the next one to start; None if never open.

    A period runs from its opening time up to, not including, its closing time.
    """
    local = moment.astimezone(zone)
    for ahead in range(8):
        day = local.date() + dt.timedelta(days=ahead)
        span = hours.get(DAYS[day.weekday()])
        if not span:
            continue
        opens = dt.datetime.combine(day, clock_time(span[0]), tzinfo=zone)
        closes = dt.datetime.combine(day, clock_time(span[1]), tzinfo=zone)
        if local < closes:
            return Opening(opens, closes, ahead, open_now=opens <= local)
    return None


def promise_words(opening: Opening | None) -> str:
    """What the chat tells someone about their call-back: 'today, before 20:00',
    'later today from 08:00', 'tomorrow from 09:00' or 'on Monday from 08:00'."""
    if opening is None:
        return NO_OPENING_WORDS
    if opening.open_now:
        return f"today, before {opening.closes:%H:%M}"
    if opening.days_ahead == 0:
        when = "later today"
    elif opening.days_ahead == 1:
        when = "tomorrow"
    else:
        when = f"on {DAYS[opening.opens.weekday()].title()}"
    return f"{when} from {opening.opens:%H:%M}"


def call_by(hours: Hours, zone: ZoneInfo, requested_at: dt.datetime) -> dt.datetime | None:
    """When reception must have called: the close of the period the promise named.

    Later requests never get an earlier call-by time, so sorting by when the
    call was asked for is sorting by call-by time. None if the clinic never opens.
    """
    opening = next_opening(hours, zone, requested_at)
    return None if opening is None else opening.closes
