"""Thresholds as a clinic sets them and as replies state them (kneecare.triage.criteria).

Table-driven: how a number of days is said, which overrides are refused and
with what message, and the words the replies fill in.
"""

from __future__ import annotations

import re

import pytest

from kneecare.triage.criteria import Thresholds, count_in_words, period_in_words

PERIODS = [
    (1, "1 day"),
    (6, "6 days"),
    (7, "1 week"),
    (8, "8 days"),
    (10, "10 days"),
    (10.5, "10.5 days"),
    (14, "2 weeks"),
    (49, "7 weeks"),
    (55, "55 days"),
    (56, "2 months"),  # eight weeks and more are said in months
    (63, "2 months"),
    (64, "2 months"),
    (91, "3 months"),
    (182, "6 months"),
    (365, "12 months"),
]


@pytest.mark.parametrize(("days", "words"), PERIODS)
def test_a_period_is_said_as_people_say_it(days: float, words: str) -> None:
    assert period_in_words(days) == words


@pytest.mark.parametrize(("value", "unit", "words"), [
    (1, "hour", "1 hour"), (1.0, "week", "1 week"), (2, "hour", "2 hours"),
    (1.5, "hour", "1.5 hours"), (0.5, "day", "0.5 days"),
])
def test_counts_take_a_plural_except_for_one(value: float, unit: str, words: str) -> None:
    assert count_in_words(value, unit) == words


REFUSED = [
    ({"severe_score": 0}, "triage threshold severe_score must be a positive whole number, not 0"),
    ({"severe_score": "7.5"},
     "triage threshold severe_score must be a positive whole number, not '7.5'"),
    ({"persistent_days": -1}, "triage threshold persistent_days must be a positive number, not -1"),
    ({"persistent_days": "0"},
     "triage threshold persistent_days must be a positive number, not '0'"),
    ({"persistent_days": "two weeks"},
     "triage threshold persistent_days must be a number, not 'two weeks'"),
    ({"child_age": True}, "triage threshold child_age must be a number, not True"),
    ({"child_age": None}, "triage threshold child_age must be a number, not None"),
    ({"persistant_days": 14, "sever_score": 8},
     "unknown triage thresholds: persistant_days, sever_score"),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSED)
def test_a_bad_override_is_refused_naming_it(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Thresholds.from_mapping(overrides)


def test_overrides_keep_their_type_and_leave_the_rest() -> None:
    base = Thresholds.default()
    changed = Thresholds.from_mapping({"severe_score": "9", "persistent_days": "1.5"})
    assert changed.severe_score == 9 and isinstance(changed.severe_score, int)
    assert changed.persistent_days == 1.5 and isinstance(changed.persistent_days, float)
    assert changed.child_age == base.child_age
    assert Thresholds.from_mapping({"persistent_days": 1}).persistent_days == 1.0


def test_the_words_replies_fill_in_follow_the_thresholds() -> None:
    changed = Thresholds.from_mapping({
        "persistent_days": 21, "severe_score": 8, "child_age": 14,
        "recent_injury_days": 10, "recent_surgery_days": 182, "rapid_swelling_hours": 1,
    })
    assert changed.in_words() == {
        "persistent_period": "3 weeks",
        "severe_score": "8",
        "child_age": "14",
        "recent_injury_period": "10 days",
        "recent_surgery_period": "6 months",
        "rapid_swelling_period": "1 hour",
    }
