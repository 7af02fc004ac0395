"""Replies to the assistant's own questions: yes/no, a number, a duration."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.language.parse import parse_duration_answer, parse_number_answer, parse_yes_no

TODAY = dt.date(2025, 6, 18)  # a Wednesday

YES_NO_CASES: list[tuple[str, str | None]] = [
    ("yes", "yes"),
    ("Yeah", "yes"),
    ("yep def", "yes"),
    ("yes, it's really swollen", "yes"),
    ("a bit", "yes"),
    ("sometimes", "yes"),
    ("I think so", "yes"),
    ("um yes", "yes"),
    ("it does", "yes"),
    ("nope", "no"),
    ("no", "no"),
    ("No.", "no"),
    ("not really", "no"),
    ("nah not at all", "no"),
    ("I don't think so", "no"),
    ("I dont think so", "no"),
    ("it doesn't", "no"),
    ("never", "no"),
    ("dunno", "unsure"),
    ("maybe", "unsure"),
    ("not sure", "unsure"),
    ("I'm not sure", "unsure"),
    ("no idea", "unsure"),
    ("I don't know", "unsure"),
    ("yes and no", "unsure"),
    ("it hurts when I walk", None),
    ("3 weeks", None),
    ("", None),
]

NUMBER_CASES: list[tuple[str, int, int, int | None]] = [
    ("6", 0, 10, 6),
    ("about 7", 0, 10, 7),
    ("seven", 0, 10, 7),
    ("7/10", 0, 10, 7),
    ("8 out of 10", 0, 10, 8),
    ("6 or 7", 0, 10, 7),
    ("62", 0, 120, 62),
    ("sixty two", 0, 120, 62),
    ("I'm 62", 0, 120, 62),
    ("62", 0, 10, None),
    ("3 weeks", 0, 10, None),
    ("no idea", 0, 10, None),
    ("6.5", 0, 10, 7),
    ("between 5 and 6", 0, 10, 6),
]

DURATION_ANSWER_CASES: list[tuple[str, float | None]] = [
    ("3 weeks", 21),
    ("since friday", 5),
    ("ages", 90),
    ("about a month", 30),
    ("a couple of days", 2),
    ("months", 60),
    ("3", None),
    ("dunno", None),
]


@pytest.mark.parametrize(("text", "answer"), YES_NO_CASES)
def test_parse_yes_no(text: str, answer: str | None) -> None:
    assert parse_yes_no(text) == answer


@pytest.mark.parametrize(("text", "low", "high", "number"), NUMBER_CASES)
def test_parse_number_answer(text: str, low: int, high: int, number: int | None) -> None:
    assert parse_number_answer(text, low, high) == number


@pytest.mark.parametrize(("text", "days"), DURATION_ANSWER_CASES)
def test_parse_duration_answer(text: str, days: float | None) -> None:
    assert parse_duration_answer(text, TODAY) == days
