"""Durations, pain scores, ages and sides read from free text, as tables.

``TODAY`` is fixed (Wednesday 18 June 2025) so that "since March" or "since
the weekend" have one right answer; calendar cases compute it from dates.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.language.parse import parse

TODAY = dt.date(2025, 6, 18)  # a Wednesday


def days_since(then: dt.date) -> float:
    """Days from ``then`` to TODAY."""
    return float((TODAY - then).days)


DURATION_CASES: list[tuple[str, float | None]] = [
    ("it's hurt for 3 weeks", 21),
    ("three weeks", 21),
    ("a couple of months", 60),
    ("couple of weeks", 14),
    ("since March", days_since(dt.date(2025, 3, 1))),
    ("since September", days_since(dt.date(2024, 9, 1))),  # a month ahead is last year's
    ("6 wks", 42),
    ("6wks", 42),
    ("a few days", 3),
    ("for ages", 90),
    ("since my fall last Tuesday", 1),
    ("2 yrs", 730),
    ("a fortnight", 14),
    ("since Christmas", days_since(dt.date(2024, 12, 25))),
    ("since Easter", days_since(dt.date(2025, 4, 20))),
    ("about a month", 30),
    ("10 days", 10),
    ("yesterday", 1),
    ("this morning", 0),
    ("since the weekend", days_since(dt.date(2025, 6, 14))),
    ("since friday", days_since(dt.date(2025, 6, 13))),
    ("2-3 weeks", 21),
    ("a week or two", 14),
    ("it started 3 days ago", 3),
    ("18 months", 540),
    ("on and off for years", 730),
    ("I had a knee replacement 5 years ago, it's hurt for 3 weeks", 21),
    # numbers that are not durations
    ("I'm 55", None),
    ("the pain is 7/10", None),
    ("I couldn't take 4 steps", None),
    ("I can only walk 10 minutes", None),
    ("knee replacement 5 years ago", None),
    # how long since something was last done is not how long it has hurt
    ("my first run in ages", None),
    ("havent been to the gym in ages", None),
    ("went skiing for the first time in years", None),
    ("first game in 2 years and now my knee is sore", None),
    ("i havent run in 2 years but it has hurt for 2 weeks", 14),
    ("sore after my run on sunday", days_since(dt.date(2025, 6, 15))),
    ("my first run in ages, that was 3 days ago", 3),
]

SCORE_CASES: list[tuple[str, int | None]] = [
    ("7/10", 7),
    ("seven out of ten", 7),
    ("about a 6", 6),
    ("10/10 agony", 10),
    ("it's 8 out of 10", 8),
    ("pain is 5", 5),
    ("I'd say it's a 7", 7),
    ("I'm 55", None),
    ("for 3 weeks", None),
    ("I couldn't take 4 steps", None),
    ("it's 62 out of 100", None),
]

AGE_CASES: list[tuple[str, int | None]] = [
    ("I'm 62", 62),
    ("i am 14", 14),
    ("im 45 and it hurts", 45),
    ("aged 70", 70),
    ("my 12 year old son hurt his knee", 12),
    ("my 12-year-old son", 12),
    ("62 years old", 62),
    ("in my 60s", 65),
    ("in my late fifties", 58),
    ("she's 9", 9),
    ("I'm 5 weeks post op", None),
    ("pain 7/10", None),
    ("for 3 years", None),
]

SIDE_CASES: list[tuple[str, str | None]] = [
    ("my left knee", "left"),
    ("right knee hurts", "right"),
    ("both knees", "both"),
    ("it's on the left", "left"),
    ("left and right", "both"),
    ("my left knee, and now the right knee too", "both"),
    ("I left work early", None),
    ("it swelled right after the fall", None),
]


@pytest.mark.parametrize(("text", "days"), DURATION_CASES)
def test_pain_duration(text: str, days: float | None) -> None:
    assert parse(text, TODAY).pain_duration_days == days


@pytest.mark.parametrize(("text", "score"), SCORE_CASES)
def test_pain_score(text: str, score: int | None) -> None:
    assert parse(text, TODAY).pain_score == score


@pytest.mark.parametrize(("text", "age"), AGE_CASES)
def test_age(text: str, age: int | None) -> None:
    assert parse(text, TODAY).age == age


@pytest.mark.parametrize(("text", "side"), SIDE_CASES)
def test_body_side(text: str, side: str | None) -> None:
    assert parse(text, TODAY).body_side == side


def test_one_message_gives_every_measure() -> None:
    findings = parse("I'm 62, my right knee has hurt for 6 weeks, about a 7/10", TODAY)
    assert (findings.age, findings.body_side, findings.pain_duration_days, findings.pain_score) == (
        62,
        "right",
        42,
        7,
    )
