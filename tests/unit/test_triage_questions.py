"""What the triage form still asks, in order, and when it stops asking.

The safety screens come first, the Ottawa screen only after a recent injury,
then the physiotherapist questions; anything already known is skipped. An
emergency or same-day red flag ends the questions at once; after a GP-soon red
flag only what could still raise a more urgent flag is asked.
"""

from __future__ import annotations

from typing import Any

import pytest

from kneecare.triage import Thresholds, TriageAnswers, next_questions

EVERY_SLOT = [
    "screen_emergency",
    "screen_same_day",
    "injury",
    "screen_ottawa",
    "screen_gp_soon",
    "pain_duration_days",
    "limits_activity",
    "alters_gait",
    "pain_score",
    "age",
]
NO_TO_ALL = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no"}


def knee(*signs: str, denied: tuple[str, ...] = (), **facts: Any) -> TriageAnswers:
    return TriageAnswers(signs=frozenset(signs), denied=frozenset(denied), **facts)


def without(*slots: str) -> list[str]:
    return [slot for slot in EVERY_SLOT if slot not in slots]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (knee(), without("screen_ottawa")),
        (knee(injury=True), without("injury")),
        (knee(injury=True, pain_duration_days=7), without("injury", "pain_duration_days")),
        (
            knee(injury=True, pain_duration_days=8),
            without("injury", "screen_ottawa", "pain_duration_days"),
        ),
        (knee(injury=False), without("injury", "screen_ottawa")),
        (knee("injury"), without("injury")),
        (knee(screens={"screen_emergency": "no"}), without("screen_emergency", "screen_ottawa")),
        (
            knee(injury=True, screens={**NO_TO_ALL, "screen_ottawa": "no"}),
            ["pain_duration_days", "limits_activity", "alters_gait", "pain_score", "age"],
        ),
        (
            knee("limits_activity", "limp", screens=NO_TO_ALL, injury=False),
            ["pain_duration_days", "pain_score", "age"],
        ),
        (
            knee(denied=("limits_activity", "alters_gait", "injury"), screens=NO_TO_ALL),
            ["pain_duration_days", "pain_score", "age"],
        ),
        (
            knee(
                screens=NO_TO_ALL,
                injury=False,
                pain_duration_days=20,
                limits_activity=True,
                alters_gait=False,
                pain_score=5,
                age=40,
            ),
            [],
        ),
    ],
    ids=[
        "nothing known yet",
        "an injury adds the Ottawa screen",
        "7 days after an injury is still acute",
        "8 days after an injury is not",
        "no injury, no Ottawa screen",
        "an injury mentioned in free text",
        "an answered screen is skipped",
        "all screens answered no",
        "free text answered activity and gait",
        "denied signs answer their questions",
        "everything known",
    ],
)
def test_questions_in_order_skipping_what_is_known(
    answers: TriageAnswers, expected: list[str]
) -> None:
    assert next_questions(answers) == expected


@pytest.mark.parametrize(
    "answers",
    [
        knee("knee_hot", "fever"),
        knee("calf_pain"),
        knee("limp", age=10),
        knee(screens={"screen_emergency": "unsure"}),
        knee(screens={"screen_emergency": "no", "screen_same_day": "yes"}),
        knee(injury=True, screens={**NO_TO_ALL, "screen_ottawa": "unsure"}),
        knee(injury=True, age=60, pain_duration_days=2),
        knee("recent_surgery", "fever"),
    ],
)
def test_an_emergency_or_same_day_flag_stops_the_questions(answers: TriageAnswers) -> None:
    assert next_questions(answers) == []


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (knee("weight_loss"), ["screen_emergency", "screen_same_day", "injury"]),
        (
            knee("weight_loss", injury=True, pain_duration_days=3),
            ["screen_emergency", "screen_same_day", "screen_ottawa"],
        ),
        (knee("weight_loss", injury=False), ["screen_emergency", "screen_same_day"]),
        (
            knee("weight_loss", pain_duration_days=30),
            ["screen_emergency", "screen_same_day"],
        ),
        (
            knee("giving_way", injury=True, pain_duration_days=20),
            ["screen_emergency", "screen_same_day"],
        ),
        (
            knee("weight_loss", "limp", injury=False),
            ["screen_emergency", "screen_same_day", "age"],
        ),
        (
            knee("weight_loss", "limp", injury=False, age=40),
            ["screen_emergency", "screen_same_day"],
        ),
        (
            knee(injury=False, screens={"screen_emergency": "no", "screen_gp_soon": "yes"}),
            ["screen_same_day"],
        ),
        (knee("rapid_worsening", injury=False, screens=NO_TO_ALL), []),
    ],
    ids=[
        "injury still decides the Ottawa screen",
        "a fresh injury still gets the Ottawa screen",
        "no injury",
        "an injury would be too old for Ottawa",
        "recent injury already gave a GP-soon flag",
        "a limp asks for the age (a limping child)",
        "an adult with a limp",
        "GP-soon screen answered yes",
        "every screen answered",
    ],
)
def test_after_a_gp_soon_flag_only_more_urgent_questions_remain(
    answers: TriageAnswers, expected: list[str]
) -> None:
    assert next_questions(answers) == expected


def test_a_screen_is_known_once_one_of_its_flags_fired_from_signs() -> None:
    answers = knee("recurrent", "past_cancer")
    assert "screen_gp_soon" not in next_questions(answers)


def test_clinic_thresholds_decide_when_the_ottawa_screen_applies() -> None:
    answers = knee(injury=True, pain_duration_days=10)
    assert "screen_ottawa" not in next_questions(answers)
    longer = Thresholds.from_mapping({"ottawa_max_days_since_injury": 10})
    assert "screen_ottawa" in next_questions(answers, longer)
