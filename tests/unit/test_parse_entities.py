"""Entities for Rasa: values, roles and offsets into the original text."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.language.entities import extract_entities

TODAY = dt.date(2025, 6, 18)
CASES = [
    ("My LEFT knee hurts", [("body_side", "left", "LEFT knee", None)]),
    ("7/10 for 6wks", [("pain_score", 7.0, "7/10", None), ("pain_duration", 42.0, "6wks", None)]),
    ("no fever but it’s swollen", [("sign", "fever", "fever", "absent"),
                                  ("sign", "knee_swollen", "swollen", "present")]),
    ("I'm 62", [("age", 62.0, "I'm 62", None)]),
    ("", []),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_entities_point_into_the_original_text(text: str, expected: list) -> None:
    entities = extract_entities(text, TODAY)
    got = {(e["entity"], e["value"], text[e["start"]:e["end"]], e.get("role")) for e in entities}
    assert set(expected) <= got
    assert len(entities) == len(expected)
