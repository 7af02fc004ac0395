"""Symptom reports vs. questions (kneecare.language.routing)."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.language.parse import parse
from kneecare.language.routing import is_question, is_symptom_report

TODAY = dt.date(2025, 6, 18)

CASES = [
    # descriptions with findings: reports
    ("slight twinge in my right knee since tuesday, nothing major", True),
    ("my knee has been sore for 3 weeks and it stops me sleeping", True),
    ("knee pain 6/10 after walking the dog", True),
    ("my knee keeps giving way on the stairs", True),
    ("Been limping since the weekend. Right knee.", True),
    ("Did a long hike on Sunday and my knee has ached since, 4/10", True),
    ("did my first parkrun saturday, right knee sore after, no swelling", True),
    # questions, even with findings: the FAQ answers them
    ("what exercises help if my knee has hurt for 3 weeks?", False),
    ("how long should i rest a swollen knee", False),
    ("Is walking ok if my knee is 4/10", False),
    ("should I see a physio. it's been 2 weeks", False),
    # another body part, and never the knee: out of scope, not a knee report
    ("my shoulder has been sore for 3 weeks", False),
    ("neck pain 6/10 since friday", False),
    ("my knee and my hip have both ached for a month", True),
    # no personal findings: not a report
    ("knee pain from walking", False),
    ("footwear for bad knees", False),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_symptom_report_or_not(text: str, expected: bool) -> None:
    assert is_symptom_report(text, parse(text, TODAY)) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("why?", True),
        ("Which shoes. thanks", True),
        ("my knee hurts", False),
        ("help me with my knee", False),
        ("Can I run", True),
        ("Did a 10k yesterday. knee is stiff", False),
        ("did it swell up straight away", True),
        ("Did 20km on the bike. knee aches", False),
    ],
)
def test_is_question(text: str, expected: bool) -> None:
    assert is_question(text) is expected
