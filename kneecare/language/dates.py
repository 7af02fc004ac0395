"""Turn calendar references into a number of days before ``today``.

"since March", "since Christmas", "since last Tuesday" and "since the weekend"
all name a day in the past; these helpers count the days from it to today. A
month or holiday still ahead this year is taken to mean last year's.
"""

from __future__ import annotations

import datetime as dt


def most_recent(today: dt.date, month: int, day: int) -> dt.date:
    """Return the latest date on or before ``today`` with this month and day."""
    candidate = safe_date(today.year, month, day)
    if candidate > today:
        candidate = safe_date(today.year - 1, month, day)
    return candidate


def safe_date(year: int, month: int, day: int) -> dt.date:
    """Return the date, moving 29 February to the 28th in common years."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, 28)


def days_since(today: dt.date, then: dt.date) -> float:
    """Return the whole days from ``then`` to ``today`` (never negative)."""
    return float(max((today - then).days, 0))


def days_since_month(today: dt.date, month: int, last_year: bool = False) -> float:
    """Days since the 1st of the month: "since March" (last year's if still ahead)."""
    start = most_recent(today, month, 1)
    if last_year and start.year == today.year:
        start = safe_date(today.year - 1, month, 1)
    return days_since(today, start)


def days_since_weekday(today: dt.date, weekday: int) -> float:
    """Days since the last such weekday before today: "since Tuesday" (1 to 7)."""
    return float((today.weekday() - weekday - 1) % 7 + 1)


def days_since_weekend(today: dt.date) -> float:
    """Days since the Saturday of the latest weekend before today."""
    return days_since_weekday(today, 5)


def easter_sunday(year: int) -> dt.date:
    """Return Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def days_since_easter(today: dt.date) -> float:
    """Days since the latest Easter Sunday on or before today."""
    easter = easter_sunday(today.year)
    if easter > today:
        easter = easter_sunday(today.year - 1)
    return days_since(today, easter)


def days_since_year(today: dt.date, year: int) -> float | None:
    """Days since 1 January of ``year``; ``None`` for a year in the future."""
    if year > today.year:
        return None
    return days_since(today, dt.date(year, 1, 1))
