"""Outcome figures from known cases at fixed times, on SQLite and PostgreSQL (``store``).

Cases are written straight into the cases table so that each test says
exactly what is there: when, which level, which reasons, which channel.
"Now" is Thursday 3 December 2026, 12:00 UTC: ISO week 2026-W49, whose
Monday is 30 November; the 8 weeks start on Monday 12 October.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from kneecare.cases.outcome_stats import DAYS, WEEKS, outcome_stats, outcomes_csv
from kneecare.cases.records import LEVELS, to_db
from kneecare.cases.store import CaseStore
from kneecare.cases.summary import reason_words
from kneecare.cases.tables import cases

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
LONDON = ZoneInfo("Europe/London")  # UTC in winter
BERLIN = ZoneInfo("Europe/Berlin")  # UTC+1 in winter
_ids = count(1)


def add(store: CaseStore, at: datetime, level: str | None = "physio",
        reasons: tuple[str, ...] = ("persistent",), channel: str = "socketio",
        kind: str = "triage", contact: bool = False) -> None:
    """One case row, as the store would keep it."""
    with store.engine.begin() as connection:
        connection.execute(sa.insert(cases).values(
            created_at=to_db(at), updated_at=to_db(at), kind=kind, channel=channel,
            conversation_id=f"conv-{next(_ids)}", level=level, reasons=list(reasons),
            red_flags=[], summary="-", status="new",
            contact_name=store.cipher.encrypt("Jo Bloggs") if contact else None,
        ))


def by_level(**counts: int) -> tuple[int, ...]:
    return tuple(counts.get(level, 0) for level in LEVELS)


@pytest.mark.parametrize(
    ("zone", "moments", "expected"),
    [
        # (when, level) -> {day key: counts by level}
        (LONDON, [(NOW, "physio"), (NOW - timedelta(hours=2), "emergency")],
         {"2026-12-03": by_level(physio=1, emergency=1)}),
        (LONDON, [(datetime(2026, 12, 2, 23, 30, tzinfo=timezone.utc), "same_day")],
         {"2026-12-02": by_level(same_day=1)}),
        # 23:30 UTC is 00:30 the next day in Berlin
        (BERLIN, [(datetime(2026, 12, 2, 23, 30, tzinfo=timezone.utc), "same_day")],
         {"2026-12-03": by_level(same_day=1)}),
        # the first of the 14 days, and the day before it (only in the weeks)
        (LONDON, [(datetime(2026, 11, 20, 0, 0, tzinfo=timezone.utc), "gp_soon"),
                  (datetime(2026, 11, 19, 23, 59, tzinfo=timezone.utc), "gp_soon")],
         {"2026-11-20": by_level(gp_soon=1)}),
        (LONDON, [(NOW - timedelta(days=3), "self_care")] * 3,
         {"2026-11-30": by_level(self_care=3)}),
    ],
)
def test_outcomes_are_counted_per_clinic_day_by_level(
    store: CaseStore, zone: ZoneInfo, moments: list[tuple[datetime, str]],
    expected: dict[str, tuple[int, ...]],
) -> None:
    for at, level in moments:
        add(store, at, level)
    stats = outcome_stats(store.engine, zone, NOW)
    assert len(stats.days) == DAYS
    assert stats.days[0].key == "2026-11-20" and stats.days[-1].key == "2026-12-03"
    assert stats.days[-1].label == "Thu 3 Dec"
    shorts = [day.short for day in stats.days]
    assert shorts == ["20 Nov", *map(str, range(21, 31)), "1 Dec", "2", "3"]
    found = {day.key: day.counts for day in stats.days if day.total}
    assert found == expected


@pytest.mark.parametrize(
    ("moments", "expected"),
    [
        # (when, level) -> {ISO week: counts by level}
        ([(NOW, "physio"), (datetime(2026, 11, 30, 0, 1, tzinfo=timezone.utc), "emergency")],
         {"2026-W49": by_level(physio=1, emergency=1)}),
        # Sunday night is the week before
        ([(datetime(2026, 11, 29, 23, 59, tzinfo=timezone.utc), "physio")],
         {"2026-W48": by_level(physio=1)}),
        # the first day of the first week, and the day before it (left out)
        ([(datetime(2026, 10, 12, 8, 0, tzinfo=timezone.utc), "gp_soon"),
          (datetime(2026, 10, 11, 8, 0, tzinfo=timezone.utc), "gp_soon")],
         {"2026-W42": by_level(gp_soon=1)}),
    ],
)
def test_outcomes_are_counted_per_iso_week_by_level(
    store: CaseStore, moments: list[tuple[datetime, str]], expected: dict[str, tuple[int, ...]]
) -> None:
    for at, level in moments:
        add(store, at, level)
    stats = outcome_stats(store.engine, LONDON, NOW)
    assert [week.key for week in stats.weeks] == [f"2026-W{n}" for n in range(42, 50)]
    assert (stats.weeks[-1].label, stats.weeks[-1].short) == ("week of 30 Nov", "30 Nov")
    assert {week.key: week.counts for week in stats.weeks if week.total} == expected
    assert stats.since.isoformat() == "2026-10-12" and stats.total == sum(
        sum(counts) for counts in expected.values())


@pytest.mark.parametrize(
    "left_out",
    [
        {"kind": "callback", "contact": True},  # a call-back request: in the queue
        {"kind": "triage", "contact": True},  # a triage with contact details is not anonymous
        {"level": None},  # no triage level
        {"at": NOW + timedelta(days=1)},  # tomorrow
        {"at": NOW - timedelta(weeks=WEEKS, days=1)},  # before the window
    ],
)
def test_only_anonymous_triage_outcomes_in_the_window_count(
    store: CaseStore, left_out: dict[str, object]
) -> None:
    add(store, NOW - timedelta(hours=1))
    add(store, **{"at": NOW - timedelta(hours=1), **left_out})
    stats = outcome_stats(store.engine, LONDON, NOW)
    assert stats.total == 1 and stats.days[-1].counts == by_level(physio=1)


def test_the_ten_most_common_reasons_have_their_staff_labels(store: CaseStore) -> None:
    # reason i is given by 12 - i outcomes; "severe" comes with every one of them
    codes = ["infection_signs", "major_trauma", "deformity", "neurovascular", "dvt_signs",
             "cannot_bear_weight", "locked_knee", "persistent", "limits_activity",
             "alters_gait", "giving_way", "recurrent"]
    for index, code in enumerate(codes):
        for _ in range(len(codes) - index):
            add(store, NOW - timedelta(days=index), reasons=(code, "severe", code))
    stats = outcome_stats(store.engine, LONDON, NOW)
    assert stats.total == 78
    assert [(t.key, t.count) for t in stats.reasons] == [
        ("severe", 78), *[(code, 12 - i) for i, code in enumerate(codes[:9])]]
    assert [t.label for t in stats.reasons] == [reason_words(t.key) for t in stats.reasons]
    assert stats.reasons[1].label.startswith("knee hot, red or swollen AND fever")
    assert round(stats.reasons[1].percent, 1) == round(100 * 12 / 78, 1)


@pytest.mark.parametrize(
    ("channels", "expected"),
    [
        ([], [("website chat", 0), ("SMS", 0), ("WhatsApp", 0), ("Telegram", 0)]),
        (["socketio", "rest", "twilio", "whatsapp"],
         [("website chat", 2), ("SMS", 1), ("WhatsApp", 1), ("Telegram", 0)]),
        (["telegram", "telegram", "telegram", "carrier_pigeon"],
         [("website chat", 0), ("SMS", 0), ("WhatsApp", 0), ("Telegram", 3),
          ("another channel", 1)]),
    ],
)
def test_the_channel_mix_has_plain_labels_and_shares(
    store: CaseStore, channels: list[str], expected: list[tuple[str, int]]
) -> None:
    for channel in channels:
        add(store, NOW, channel=channel)
    mix = outcome_stats(store.engine, LONDON, NOW).channels
    assert [(t.label, t.count) for t in mix] == expected
    assert [t.percent for t in mix] == [
        100 * n / len(channels) if channels else 0.0 for _, n in expected]


def test_no_outcomes_gives_empty_periods(store: CaseStore) -> None:
    add(store, NOW, kind="callback", contact=True)
    stats = outcome_stats(store.engine, LONDON, NOW)
    assert stats.total == 0 and stats.reasons == ()
    assert all(period.total == 0 for period in (*stats.days, *stats.weeks))
    assert len(stats.weeks) == WEEKS


def test_the_csv_has_one_figure_a_row(store: CaseStore) -> None:
    add(store, NOW, "emergency", reasons=("infection_signs",), channel="twilio")
    add(store, NOW - timedelta(days=1), "physio", reasons=("persistent",))
    rows = list(csv.reader(io.StringIO(outcomes_csv(outcome_stats(store.engine, LONDON, NOW)))))
    assert rows[0] == ["period", "kind", "key", "label", "count"]
    assert len(rows) == 1 + (DAYS + WEEKS) * (len(LEVELS) + 1) + 2 + 4
    assert ["2026-12-03", "level", "emergency", "EMERGENCY", "1"] in rows
    assert ["2026-12-02", "level", "physio", "Physio", "1"] in rows
    assert ["2026-12-02", "total", "all", "All levels", "1"] in rows
    assert ["2026-W49", "total", "all", "All levels", "2"] in rows
    window = "2026-10-12/2026-12-03"
    assert [window, "reason", "infection_signs", reason_words("infection_signs"), "1"] in rows
    assert [window, "channel", "SMS", "SMS", "1"] in rows


@pytest.mark.parametrize("code", ["=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_a_spreadsheet_would_run_are_quoted(store: CaseStore, code: str) -> None:
    add(store, NOW, reasons=(code,))
    rows = list(csv.reader(io.StringIO(outcomes_csv(outcome_stats(store.engine, LONDON, NOW)))))
    (reason,) = [row for row in rows if row[1] == "reason"]
    assert reason[2] == reason[3] == "'" + code
