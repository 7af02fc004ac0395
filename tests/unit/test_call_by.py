"""The call-by time is the close of the opening period the chat's promise named.

clinic.yml's hours: Mon-Thu 08:00-20:00, Fri 08:00-18:00, Sat 09:00-13:00,
Sunday closed, London time. Moments are given in UTC; in summer London is
UTC+1 (clocks went forward on Sunday 29 March 2026, back on 25 October 2026).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kneecare.cases.call_queue import page_of
from kneecare.clinic import ClinicSettingsError, load_settings, parse_settings
from kneecare.opening_hours import DAYS
from kneecare.staff_words import moment_words

ROOT = Path(__file__).resolve().parents[2]
CLINIC = load_settings(str(ROOT / "clinic.yml"))
LONDON = ZoneInfo("Europe/London")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "asked, call_by, why",
    [
        ("2026-11-23 10:00", "2026-11-23 20:00", "Monday, open: before today's close"),
        ("2026-11-23 19:59", "2026-11-23 20:00", "a minute before closing"),
        ("2026-11-23 20:00", "2026-11-24 20:00", "at closing time: tomorrow's close"),
        ("2026-11-23 07:00", "2026-11-23 20:00", "before opening: today's close"),
        ("2026-11-27 17:30", "2026-11-27 18:00", "Friday closes at 18:00"),
        ("2026-11-27 19:30", "2026-11-28 13:00", "Friday after closing: Saturday's close"),
        ("2026-11-28 14:00", "2026-11-30 20:00", "Saturday after closing: Monday"),
        ("2026-11-29 12:00", "2026-11-30 20:00", "Sunday, closed all day: Monday"),
        ("2026-03-28 14:00", "2026-03-30 19:00", "over the spring clock change: 20:00 BST"),
        ("2026-07-01 18:30", "2026-07-01 19:00", "summer, open: 19:30 BST, close 20:00 BST"),
        ("2026-07-01 19:30", "2026-07-02 19:00", "summer, 20:30 BST: tomorrow"),
        ("2026-07-01 23:30", "2026-07-02 19:00", "00:30 BST is already Thursday in London"),
        ("2026-10-24 12:30", "2026-10-26 20:00", "over the autumn clock change: 20:00 GMT"),
    ],
)
def test_call_by_is_the_close_of_the_period_asked_in_or_the_next(
    asked: str, call_by: str, why: str
) -> None:
    assert CLINIC.call_by(utc(asked)) == utc(call_by), why


@pytest.mark.parametrize(
    "hours, asked, call_by",
    [
        ({"wednesday": ["09:00", "12:00"]}, "2026-11-26 10:00", "2026-12-02 12:00"),  # Thu
        ({"wednesday": ["09:00", "12:00"]}, "2026-11-25 12:30", "2026-12-02 12:00"),  # a week
        ({"monday": ["08:00", "20:00"], "friday": ["10:00", "11:00"]},
         "2026-11-24 09:00", "2026-11-27 11:00"),
        ({}, "2026-11-24 09:00", None),  # never open: no call-by time
    ],
)
def test_closed_days_are_skipped(hours: dict[str, list[str]], asked: str,
                                 call_by: str | None) -> None:
    clinic = parse_settings({"name": "A", "phone": "1", "booking_link": "x",
                             "opening_hours": hours})
    assert clinic.call_by(utc(asked)) == (utc(call_by) if call_by else None)
    if call_by is None:
        assert clinic.when_to_expect_a_call(utc(asked)) == "as soon as the clinic reopens"


@pytest.mark.parametrize("span", [["20:00", "08:00"], ["8am", "5pm"], ["24:00", "25:00"]])
def test_opening_hours_that_cannot_be_a_period_are_refused(span: list[str]) -> None:
    with pytest.raises(ClinicSettingsError, match="opening_hours.monday"):
        parse_settings({"name": "A", "phone": "1", "booking_link": "x",
                        "opening_hours": {"monday": span}})


PROMISE = re.compile(r"(today, before|later today from|tomorrow from|on (\w+) from) (\d\d:\d\d)")


@pytest.mark.parametrize("start", ["2026-03-23", "2026-10-19", "2026-11-23"])
def test_the_promise_and_the_call_by_time_always_agree(start: str) -> None:
    """Every 10 minutes for two weeks (across a clock change): the words name the day
    of the call-by time, and its closing (or the day's opening) time."""
    moment, previous = utc(start + " 00:05"), None
    while moment < utc(start + " 00:05") + timedelta(days=14):
        words, due = CLINIC.when_to_expect_a_call(moment), CLINIC.call_by(moment)
        assert due is not None and due > moment
        assert previous is None or due >= previous, "a later request got an earlier call-by"
        found = PROMISE.fullmatch(words)
        assert found, words
        asked_day, due_day = moment.astimezone(LONDON).date(), due.astimezone(LONDON).date()
        opens, closes = CLINIC.opening_hours[DAYS[due_day.weekday()]]
        when, weekday, clock = found.groups()
        if when == "today, before":
            assert (due_day, clock) == (asked_day, closes), (moment, words)
        else:
            assert clock == opens, (moment, words)
            ahead = (due_day - asked_day).days
            assert ahead == 0 if when.startswith("later") else ahead == 1 if weekday is None \
                else 2 <= ahead <= 7 and weekday == DAYS[due_day.weekday()].title()
        moment, previous = moment + timedelta(minutes=10), due


NOW = utc("2026-12-03 12:00")  # a Thursday


@pytest.mark.parametrize(
    "moment, words",
    [
        ("2026-12-03 20:00", "today 20:00"),
        ("2026-12-04 18:00", "tomorrow 18:00"),
        ("2026-12-02 20:00", "yesterday 20:00"),
        ("2026-11-30 20:00", "Mon 30 Nov, 20:00"),
        ("2027-01-04 20:00", "Mon 4 Jan 2027, 20:00"),
        ("2026-07-01 19:00", "Wed 1 Jul, 20:00"),  # summer: London time, not UTC
        ("2026-12-03 23:30", "today 23:30"),
    ],
)
def test_call_by_times_are_shown_in_london_time_near_today(moment: str, words: str) -> None:
    assert moment_words(utc(moment), NOW, LONDON) == words


@pytest.mark.parametrize(
    "asked, total, number, rows",
    [
        (None, 160, 1, "rows 1–50 of 160"),
        ("2", 160, 2, "rows 51–100 of 160"),
        ("4", 160, 4, "rows 151–160 of 160"),
        ("9", 160, 4, "rows 151–160 of 160"),  # past the end: the last page
        ("1", 0, 1, "no rows"),
        (" 3 ", 120, 3, "rows 101–120 of 120"),
    ],
)
def test_pages_have_50_rows(asked: str | None, total: int, number: int, rows: str) -> None:
    page = page_of(asked, total)
    assert (page.number, page.rows_words()) == (number, rows)
    assert page.has_previous == (number > 1) and page.has_next == (number < page.last_number)


@pytest.mark.parametrize("asked", ["0", "-1", "two", "1.5", "١", "9" * 10, "1e3"])
def test_a_bad_page_number_is_refused_with_a_reason(asked: str) -> None:
    with pytest.raises(ValueError, match="whole number from 1"):
        page_of(asked, 160)
