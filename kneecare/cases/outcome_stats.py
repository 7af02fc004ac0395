"""What the triage outcomes say about demand: counts by level per day and week, reasons, channels.

An outcome here is an anonymous triage outcome: a case of kind ``triage``
with no contact details (a person who asked for a call-back is a call-back
case, in the queue). ``outcome_stats`` reads the outcomes of the last
``WEEKS`` ISO weeks (this one included; that covers the last ``DAYS`` days)
with SQLAlchemy Core and counts them in Python, by the clinic's calendar
(``zone``): per day for the last ``DAYS`` days and per ISO week for the last
``WEEKS`` weeks, by level; the ``TOP_REASONS`` most common reasons and the
channel mix over the whole window. Labels are the staff pages' words
(``summary.level_label``, ``summary.reason_words``, ``staff_words.channel_label``).
``outcomes_csv`` writes the same figures as long-format CSV.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecare.cases.export import csv_cell
from kneecare.cases.records import LEVELS, from_db, to_db, utc_now
from kneecare.cases.summary import level_label, reason_words
from kneecare.cases.tables import cases
from kneecare.staff_words import CHANNEL_LABELS, channel_label

DAYS: Final = 14
WEEKS: Final = 8
TOP_REASONS: Final = 10
CSV_COLUMNS: Final = ("period", "kind", "key", "label", "count")


@dataclass(frozen=True)
class PeriodCounts:
    """One day or ISO week: how many outcomes of each level (in ``LEVELS`` order)."""

    key: str  # "2026-12-03" or "2026-W49"
    label: str  # "Thu 3 Dec" or "week of 30 Nov"
    short: str  # under a chart's bar: "3" (a day, with the month on the first and a 1st)
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    def by_level(self) -> list[tuple[str, str, int]]:
        """(level, its label, count) in ``LEVELS`` order."""
        pairs = zip(LEVELS, self.counts, strict=True)
        return [(level, level_label(level), n) for level, n in pairs]


@dataclass(frozen=True)
class Tally:
    """A reason or a channel, with how many outcomes had it and their share of all outcomes."""

    key: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class OutcomeStats:
    """The figures of the Outcomes page, over the window from ``since`` (a clinic date)."""

    since: date
    until: date  # today
    days: tuple[PeriodCounts, ...]
    weeks: tuple[PeriodCounts, ...]
    reasons: tuple[Tally, ...]
    channels: tuple[Tally, ...]
    total: int


def outcome_stats(engine: Engine, zone: ZoneInfo, now: datetime | None = None) -> OutcomeStats:
    """The figures for the window that ends today (in ``zone``) as of ``now``."""
    today = (now or utc_now()).astimezone(zone).date()
    first_day = today - timedelta(days=DAYS - 1)
    first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    since = min(first_day, first_monday)
    query = sa.select(cases.c.created_at, cases.c.level, cases.c.reasons, cases.c.channel).where(
        cases.c.kind == "triage",
        cases.c.contact_name.is_(None),
        cases.c.level.in_(LEVELS),
        cases.c.created_at >= _utc_start(since, zone),
        cases.c.created_at < _utc_start(today + timedelta(days=1), zone),
    )
    per_day: Counter[tuple[date, str]] = Counter()
    reasons: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    with engine.connect() as connection:
        for row in connection.execute(query):
            moment = from_db(row.created_at)
            assert moment is not None
            per_day[moment.astimezone(zone).date(), row.level] += 1
            reasons.update(set(row.reasons or ()))
            channels[channel_label(row.channel)] += 1
    total = sum(per_day.values())
    days = tuple(_day(first_day + timedelta(days=n), per_day, n == 0) for n in range(DAYS))
    weeks = tuple(_week(first_monday + timedelta(weeks=n), per_day) for n in range(WEEKS))
    top = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    return OutcomeStats(
        since=since,
        until=today,
        days=days,
        weeks=weeks,
        reasons=tuple(_tally(code, reason_words(code), n, total) for code, n in top),
        channels=_channel_mix(channels, total),
        total=total,
    )


def outcomes_csv(stats: OutcomeStats) -> str:
    """The figures as CSV, one count a row: period,kind,key,label,count.

    ``period`` is a day (2026-12-03), an ISO week (2026-W49) or, for reasons
    and channels, the whole window (2026-10-12/2026-12-03); ``kind`` is
    ``level``, ``total``, ``reason`` or ``channel``; ``key`` is the level or
    reason code (for a channel, its label) and ``label`` the staff's words.
    """
    window = f"{stats.since.isoformat()}/{stats.until.isoformat()}"
    rows: list[tuple[object, ...]] = []
    for period in (*stats.days, *stats.weeks):
        rows += [(period.key, "level", *counted) for counted in period.by_level()]
        rows.append((period.key, "total", "all", "All levels", period.total))
    rows += [(window, "reason", t.key, t.label, t.count) for t in stats.reasons]
    rows += [(window, "channel", t.key, t.label, t.count) for t in stats.channels]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _utc_start(day: date, zone: ZoneInfo) -> datetime:
    """The start of a clinic day, as stored (naive UTC)."""
    return to_db(datetime.combine(day, time(0), tzinfo=zone))


def _day(day: date, per_day: Counter[tuple[date, str]], first: bool) -> PeriodCounts:
    return PeriodCounts(
        key=day.isoformat(),
        label=f"{day:%a} {day.day} {day:%b}",
        short=f"{day.day} {day:%b}" if first or day.day == 1 else str(day.day),
        counts=tuple(per_day[day, level] for level in LEVELS),
    )


def _week(monday: date, per_day: Counter[tuple[date, str]]) -> PeriodCounts:
    year, week, _ = monday.isocalendar()
    week_days = [monday + timedelta(days=n) for n in range(7)]
    return PeriodCounts(
        key=f"{year}-W{week:02d}",
        label=f"week of {monday.day} {monday:%b}",
        short=f"{monday.day} {monday:%b}",
        counts=tuple(sum(per_day[day, level] for day in week_days) for level in LEVELS),
    )


def _tally(key: str, label: str, count: int, total: int) -> Tally:
    return Tally(key, label, count, 100 * count / total if total else 0.0)


def _channel_mix(counted: Counter[str], total: int) -> tuple[Tally, ...]:
    """The usual channels always (0 when unused), then any other, most used first."""
    usual = list(dict.fromkeys(CHANNEL_LABELS.values()))
    others = sorted((label for label in counted if label not in usual),
                    key=lambda label: (-counted[label], label))
    return tuple(_tally(label, label, counted[label], total) for label in [*usual, *others])
