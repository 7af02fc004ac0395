"""Folding each message's findings into the triage answers, corrections included.

``merge`` lets the newer message win: a number replaces the old one, a sign
moves between asserted, denied and unsure as the person corrects themselves,
and the form's yes/no answers follow the signs of the same name. Screening
answers accept only "yes", "no" and "unsure".
"""

from __future__ import annotations

import pytest

from kneecare.findings import Findings
from kneecare.triage import TriageAnswers, assess, merge


def said(*signs: str) -> Findings:
    return Findings(present=frozenset(signs))


def test_newer_numbers_correct_older_ones() -> None:
    first = merge(TriageAnswers(), Findings(pain_duration_days=3, pain_score=4, age=40))
    corrected = merge(first, Findings(pain_duration_days=21, pain_score=8))
    assert (corrected.pain_duration_days, corrected.pain_score, corrected.age) == (21, 8, 40)


def test_a_message_that_says_nothing_changes_nothing() -> None:
    answers = TriageAnswers(
        pain_duration_days=5,
        injury=True,
        signs=frozenset({"knee_hot"}),
        screens={"screen_emergency": "no"},
    )
    assert merge(answers, Findings(body_side="left")) == answers


@pytest.mark.parametrize(
    ("before", "findings", "signs", "denied", "unsure"),
    [
        (
            TriageAnswers(denied=frozenset({"fever"})),
            Findings(present=frozenset({"fever"})),
            {"fever"},
            set(),
            set(),
        ),
        (
            TriageAnswers(signs=frozenset({"fever", "knee_hot"})),
            Findings(absent=frozenset({"fever"})),
            {"knee_hot"},
            {"fever"},
            set(),
        ),
        (
            TriageAnswers(signs=frozenset({"calf_pain"}), denied=frozenset({"fever"})),
            Findings(unsure=frozenset({"calf_pain", "fever"})),
            set(),
            set(),
            {"calf_pain", "fever"},
        ),
        (
            TriageAnswers(unsure=frozenset({"calf_pain"})),
            Findings(absent=frozenset({"calf_pain"})),
            set(),
            {"calf_pain"},
            set(),
        ),
        (
            TriageAnswers(),
            Findings(present=frozenset({"knee_swollen"}), absent=frozenset({"knee_swollen"})),
            {"knee_swollen"},
            set(),
            set(),
        ),
        (
            TriageAnswers(),
            Findings(unsure=frozenset({"fever"}), absent=frozenset({"fever"})),
            set(),
            set(),
            {"fever"},
        ),
    ],
    ids=[
        "asserted after denied",
        "denied after asserted",
        "unsure after asserted or denied",
        "denied after unsure",
        "asserted and denied at once reads as asserted",
        "unsure and denied at once reads as unsure",
    ],
)
def test_a_sign_moves_with_the_latest_message(
    before: TriageAnswers,
    findings: Findings,
    signs: set[str],
    denied: set[str],
    unsure: set[str],
) -> None:
    after = merge(before, findings)
    assert (set(after.signs), set(after.denied), set(after.unsure)) == (signs, denied, unsure)


@pytest.mark.parametrize("field", ["limits_activity", "alters_gait", "injury"])
def test_form_answers_follow_the_sign_of_the_same_name(field: str) -> None:
    asserted = merge(TriageAnswers(), said(field))
    assert getattr(asserted, field) is True
    denied = merge(asserted, Findings(absent=frozenset({field})))
    assert getattr(denied, field) is False
    doubted = merge(denied, Findings(unsure=frozenset({field})))
    assert getattr(doubted, field) is None
    assert getattr(merge(doubted, Findings()), field) is None


def test_a_limp_does_not_answer_the_gait_question_for_the_person() -> None:
    assert merge(TriageAnswers(), said("limp")).alters_gait is None


def test_a_correction_changes_the_outcome() -> None:
    answers = merge(TriageAnswers(), said("knee_hot", "knee_swollen"))
    answers = merge(answers, Findings(absent=frozenset({"fever"})))
    assert assess(answers).level == "same_day"
    answers = merge(answers, said("fever"))
    assert assess(answers).reasons == ("infection_signs",)


def test_screen_answers_are_kept_and_read_only() -> None:
    answers = TriageAnswers(screens={"screen_emergency": "no", "screen_same_day": "unsure"})
    merged = merge(answers, said("recurrent"))
    assert dict(merged.screens) == {"screen_emergency": "no", "screen_same_day": "unsure"}
    with pytest.raises(TypeError):
        merged.screens["screen_gp_soon"] = "yes"  # type: ignore[index]


@pytest.mark.parametrize(
    "screens",
    [{"screen_emergency": "maybe"}, {"screen_emergency": "Yes"}, {"screen_urgent": "yes"}],
)
def test_only_known_screens_and_answers_are_accepted(screens: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        TriageAnswers(screens=screens)
