"""Constructions with a few words in between ("landed the jump really badly").

Each row: text, signs that must be asserted, signs that must not be asserted.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.language.parse import parse

TODAY = dt.date(2025, 6, 18)
CASES = [
    ("I landed the jump really badly on saturday", {"injury"}, set()),
    ("landed my dismount badly and now it hurts", {"injury"}, set()),
    ("landed at gatwick on monday and my knee aches", set(), {"injury"}),
    ("my knee's puffy and so are a few of my fingers", {"several_swollen_joints"}, set()),
    ("knee is swollen and so is my right wrist", {"several_swollen_joints"}, set()),
    ("it wakes me in the night. Ibuprofen settles it though", set(), {"night_or_constant_pain"}),
    ("it wakes me at night. nothing helps, not even codeine", {"night_or_constant_pain"}, set()),
    ("by the end of a long walk it's much sorer", {"worsens_with_walking"}, set()),
    ("by the end of the dog walk it's the worst it gets", {"worsens_with_walking"}, set()),
    ("by the end of the day it's a bit stiff", set(), {"worsens_with_walking"}),
]


@pytest.mark.parametrize("text, asserted, not_asserted", CASES)
def test_construction(text: str, asserted: set[str], not_asserted: set[str]) -> None:
    present = parse(text, TODAY).present
    assert asserted <= present, present
    assert not (not_asserted & present), present


WEIGHT_CASES = [
    ("would losing a few stone take the pressure off my knees", False),
    ("will losing weight help my knee pain", False),
    ("does losing weight actually make a difference", False),
    ("i've lost a stone without trying and my knee aches at night", True),
    ("I have lost a lot of weight recently and don't know why", True),
    ("been losing weight for no reason", True),
    ("my dad has lost loads of weight and his knee is painful", True),
]


@pytest.mark.parametrize("text, flagged", WEIGHT_CASES)
def test_weight_loss_is_a_statement_not_a_question_about_dieting(text: str, flagged: bool) -> None:
    assert ("weight_loss" in parse(text, TODAY).present) is flagged


@pytest.mark.parametrize(
    "text",
    [
        "how many miles a day is safe",
        "i walk about 10,000 steps a day",
        "two hours a day on my feet",
        "what can i do tonight to ease it",
    ],
)
def test_rates_and_tonight_are_not_pain_durations(text: str) -> None:
    assert parse(text, TODAY).pain_duration_days is None
