"""Sign detection with negation, uncertainty and context, as one table.

Each case gives a message and the expected verdicts, written as ``+id``
(asserted), ``-id`` (denied), ``?id`` (unsure) and ``!id`` (must not be
asserted). Only the listed ids are checked, so a case states what it is about.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kneecare.findings import Findings
from kneecare.language.parse import parse

TODAY = dt.date(2025, 6, 18)  # a Wednesday

SIGN_CASES: list[tuple[str, str]] = [
    # negation, and where it stops
    ("no fever but it's really swollen", "-fever +knee_swollen"),
    ("it isn't swollen", "-knee_swollen !knee_swollen"),
    ("it isnt swollen", "-knee_swollen"),
    ("not hot", "-knee_hot"),
    ("I can walk on it fine", "-cannot_walk_at_all -cannot_bear_weight"),
    ("I can walk but it hurts", "-cannot_walk_at_all"),
    ("no numbness or tingling", "-numbness_below_knee !numbness_below_knee"),
    ("no numbness, tingling or weakness in my foot", "-numbness_below_knee"),
    ("never had cancer", "-past_cancer"),
    ("without a temperature", "-fever"),
    ("it doesn't give way", "-giving_way"),
    ("it doesnt give way", "-giving_way"),
    ("it's hurting a lot, hasn't given way though", "-giving_way"),
    ("I don't have a fever and it isn't red", "-fever -knee_red"),
    ("no fever, it's very swollen", "-fever +knee_swollen"),
    ("It's not swollen but it is hot", "-knee_swollen +knee_hot"),
    ("it's not swollen and it's really hot", "-knee_swollen +knee_hot"),
    ("The knee is not hot or red", "-knee_hot -knee_red"),
    ("not hot, not red, not swollen", "-knee_hot -knee_red -knee_swollen"),
    ("No fever. My knee is swollen", "-fever +knee_swollen"),
    ("I feel fine, no temperature", "-fever"),
    ("I'm not limping", "-limp"),
    ("no injury that I know of", "-injury"),
    ("it doesn't stop me doing anything", "-limits_activity"),
    ("I've never had an operation on my knee", "-recent_surgery"),
    # uncertainty
    ("not sure if it's swollen", "?knee_swollen !knee_swollen"),
    ("I'm not sure whether I have a temperature", "?fever"),
    ("maybe a bit swollen", "?knee_swollen"),
    ("I dont know if its hot", "?knee_hot"),
    ("not sure if it's hot but it is definitely swollen", "?knee_hot +knee_swollen"),
    # tricky phrasings and things that must not match
    ("the swelling has gone down", "!knee_swollen"),
    ("the swelling has gone", "-knee_swollen"),
    ("I used to have cancer", "+past_cancer"),
    ("I had breast cancer", "+past_cancer"),
    ("my mum had cancer", "!past_cancer"),
    ("My dad had a tumour", "!past_cancer"),
    ("family history of cancer", "!past_cancer"),
    ("I'm worried it could be cancer", "!past_cancer"),
    ("Is it cancer?", "!past_cancer"),
    ("I put a hot water bottle on it", "!knee_hot"),
    ("fell asleep on the sofa and woke up stiff", "!injury"),
    ("I'm trying to lose weight", "!weight_loss"),
    ("I had a hip replacement 2 months ago", "!recent_surgery"),
    ("I ran to catch the bus and felt it twinge", "!major_trauma"),
    # infection and inflammation
    (
        "My knee is hot, red and swollen and I've got a fever",
        "+knee_hot +knee_red +knee_swollen +fever",
    ),
    ("I feel really unwell and shivery", "+fever"),
    ("sweats and chills", "+fever"),
    ("it's agony", "+knee_very_painful"),
    ("my hands and wrists are swollen too", "+several_swollen_joints"),
    ("it's stiff for about an hour in the morning", "+long_morning_stiffness"),
    ("morning stiffness for about 10 minutes", "-long_morning_stiffness"),
    ("it's stiff in the mornings", "?long_morning_stiffness"),
    # trauma and injury
    ("I was hit by a car", "+major_trauma +injury"),
    ("fell off a ladder at work", "+major_trauma +injury"),
    ("motorbike accident last week", "+major_trauma"),
    ("I fell down a flight of stairs", "+major_trauma"),
    ("came off my motorbike", "+major_trauma"),
    ("I twisted it playing football", "+injury !major_trauma"),
    ("landed awkwardly from a jump", "+injury"),
    ("got tackled at rugby", "+injury"),
    ("I knocked it on the coffee table", "+injury"),
    ("since my fall last Tuesday", "+injury"),
    # emergencies
    ("my kneecap popped out", "+deformity"),
    ("I can see the bone", "+deformity"),
    ("can't straighten my leg since I fell", "+cannot_straighten_or_lift +injury"),
    ("it's locked and I can't unlock it", "+knee_locked"),
    ("my foot has gone cold and blue", "+foot_cold_pale_blue"),
    ("pins and needles in my foot", "+numbness_below_knee"),
    ("my calf is swollen and tender", "+calf_pain"),
    ("I'm short of breath", "+chest_symptoms"),
    ("I've been coughing up blood", "+chest_symptoms"),
    ("couldn't take four steps after it happened", "+cannot_take_four_steps"),
    ("I can't bend it", "+cannot_bend_right_angle"),
    ("really tender on the bony bump on the outside", "+bony_tenderness"),
    ("I cant put any weight on it", "+cannot_bear_weight +cannot_walk_at_all"),
    ("can't walk at all", "+cannot_walk_at_all"),
    ("it ballooned straight away", "+rapid_swelling +knee_swollen"),
    ("swelled up within an hour of twisting it", "+rapid_swelling +injury"),
    ("there's a hard lump above my knee", "+hard_lump"),
    ("I've lost a lot of weight without trying", "+weight_loss"),
    ("it hurts at night", "+night_or_constant_pain"),
    ("it wakes me up at night", "+night_or_constant_pain +limits_activity"),
    ("it's getting worse every day", "+rapid_worsening"),
    # physio criteria
    ("my son is limping", "+limp +alters_gait"),
    ("I've been favouring my right leg", "+alters_gait"),
    ("favoring my left leg", "+alters_gait"),
    ("hobbling around the house", "+limp +alters_gait"),
    ("it stops me doing the school run", "+limits_activity"),
    ("I can't manage stairs", "+limits_activity"),
    ("I can't sleep because of it", "+limits_activity +night_or_constant_pain"),
    ("had to give up running", "+limits_activity"),
    ("I can only walk 10 minutes", "+limits_activity !cannot_walk_at_all"),
    ("can't walk without crutches", "+limits_activity !cannot_walk_at_all"),
    ("it gets worse the more I walk", "+worsens_with_walking"),
    ("after about a mile it kills", "+worsens_with_walking"),
    ("my knee keeps giving way", "+giving_way"),
    ("it keeps coming back", "+recurrent"),
    ("it's not getting any better", "+not_improving"),
    # third person (a parent or carer writing)
    ("He can't put weight on his leg", "+cannot_bear_weight"),
    ("She fell off her bike and now her knee is swollen", "+injury +knee_swollen"),
    ("my daughter has been limping since Saturday", "+limp"),
    # recent surgery needs a date
    ("I had an arthroscopy last month", "+recent_surgery"),
    ("I had my knee replaced recently", "+recent_surgery"),
    ("knee replacement 5 years ago", "-recent_surgery !recent_surgery"),
    ("I had keyhole surgery 3 weeks ago and now it's swollen", "+recent_surgery +knee_swollen"),
]


def verdicts(expected: str) -> list[tuple[str, str]]:
    """Split "+a -b" into [("+", "a"), ("-", "b")]."""
    return [(item[0], item[1:]) for item in expected.split()]


def check(findings: Findings, marker: str, sign: str) -> bool:
    """Tell whether one expected verdict holds."""
    return {
        "+": sign in findings.present,
        "-": sign in findings.absent,
        "?": sign in findings.unsure,
        "!": sign not in findings.present,
    }[marker]


@pytest.mark.parametrize(("text", "expected"), SIGN_CASES)
def test_signs(text: str, expected: str) -> None:
    findings = parse(text, TODAY)
    failed = [m + s for m, s in verdicts(expected) if not check(findings, m, s)]
    assert not failed, f"{text!r}: {failed} not met by {findings}"


def test_a_sign_is_never_both_asserted_and_denied() -> None:
    findings = parse("no swelling yesterday but today it's swollen", TODAY)
    assert "knee_swollen" in findings.present
    assert "knee_swollen" not in findings.absent


def test_empty_text_finds_nothing() -> None:
    assert parse("   ", TODAY) == Findings()
