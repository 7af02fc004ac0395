"""The triage outcome for answers built in code, one criteria rule at a time.

Each red flag fires on a positive example and stays silent on a denied or
absent one; the most urgent level wins; "unsure" counts as yes for red flags
and screening questions; each physiotherapist criterion gives ``physio`` on its
own; under-16s go to a GP; and the thresholds hold at their boundaries.
"""

from __future__ import annotations

from typing import Any

import pytest

from kneecare.triage import Thresholds, TriageAnswers, assess, load_criteria, red_flags

CRITERIA = load_criteria()


def knee(
    *signs: str, denied: tuple[str, ...] = (), unsure: tuple[str, ...] = (), **facts: Any
) -> TriageAnswers:
    """Answers asserting ``signs``, e.g. knee("calf_pain", denied=("chest_symptoms",))."""
    return TriageAnswers(
        signs=frozenset(signs), denied=frozenset(denied), unsure=frozenset(unsure), **facts
    )


NOTHING = knee()

# (red flag, answers that should raise it, level of the outcome)
RED_FLAG_POSITIVES = [
    ("infection_signs", knee("knee_hot", "fever"), "emergency"),
    ("infection_signs", knee("knee_red", "fever"), "emergency"),
    ("infection_signs", knee("knee_swollen", unsure=("fever",)), "emergency"),
    ("hot_swollen_no_fever", knee("knee_hot", "knee_swollen", denied=("fever",)), "same_day"),
    ("hot_swollen_no_fever", knee("knee_hot", "knee_swollen", "knee_very_painful"), "same_day"),
    ("major_trauma", knee("major_trauma"), "emergency"),
    ("deformity", knee("deformity"), "emergency"),
    ("cannot_straighten_after_injury", knee("cannot_straighten_or_lift", injury=True), "emergency"),
    ("cannot_straighten_after_injury", knee("cannot_straighten_or_lift", "injury"), "emergency"),
    (
        "cannot_straighten_after_injury",
        knee("cannot_straighten_or_lift", "major_trauma"),
        "emergency",
    ),
    ("neurovascular", knee("foot_cold_pale_blue"), "emergency"),
    ("neurovascular", knee("numbness_below_knee"), "emergency"),
    ("dvt_with_chest", knee("calf_pain", "chest_symptoms"), "emergency"),
    ("dvt_with_chest", knee("calf_pain", unsure=("chest_symptoms",)), "emergency"),
    ("dvt_signs", knee("calf_pain", denied=("chest_symptoms",)), "same_day"),
    ("ottawa_positive", knee(injury=True, age=55, pain_duration_days=1), "same_day"),
    ("ottawa_positive", knee("injury", "cannot_take_four_steps"), "same_day"),
    ("ottawa_positive", knee("cannot_bend_right_angle", injury=True), "same_day"),
    ("ottawa_positive", knee("bony_tenderness", injury=True, pain_duration_days=7), "same_day"),
    ("cannot_bear_weight", knee("cannot_bear_weight"), "same_day"),
    ("cannot_bear_weight", knee("cannot_walk_at_all", age=40), "same_day"),
    ("locked_knee", knee("knee_locked"), "same_day"),
    ("rapid_swelling_after_injury", knee("rapid_swelling"), "same_day"),
    ("child_limp", knee("limp", age=9), "same_day"),
    ("child_limp", knee(age=13, alters_gait=True), "same_day"),
    ("child_limp", knee("cannot_walk_at_all", age=12), "emergency"),
    ("cancer_signs", knee("weight_loss"), "gp_soon"),
    ("cancer_signs", knee("night_or_constant_pain"), "gp_soon"),
    ("cancer_signs", knee("hard_lump"), "gp_soon"),
    ("cancer_signs", knee("past_cancer"), "gp_soon"),
    ("inflammatory_signs", knee("long_morning_stiffness"), "gp_soon"),
    ("inflammatory_signs", knee("several_swollen_joints"), "gp_soon"),
    ("rapid_worsening", knee("rapid_worsening"), "gp_soon"),
    ("injury_instability", knee("giving_way", injury=True, pain_duration_days=21), "gp_soon"),
    ("injury_instability", knee("giving_way", "injury"), "gp_soon"),
    ("recent_surgery", knee("recent_surgery", "knee_swollen"), "gp_soon"),
    ("recent_surgery", knee("recent_surgery", "fever"), "emergency"),
]


@pytest.mark.parametrize(("flag", "answers", "level"), RED_FLAG_POSITIVES)
def test_red_flag_fires(flag: str, answers: TriageAnswers, level: str) -> None:
    outcome = assess(answers)
    assert flag in red_flags(answers) == outcome.red_flags
    assert (outcome.level, outcome.flag_for_staff) == (level, True)
    assert flag in outcome.reasons
    assert outcome.why[outcome.reasons.index(flag)] == CRITERIA.why(flag)


RED_FLAG_NEGATIVES = [
    ("infection_signs", knee("knee_hot", "knee_swollen", denied=("fever",))),
    ("infection_signs", knee("fever", denied=("knee_hot", "knee_red", "knee_swollen"))),
    ("hot_swollen_no_fever", knee("knee_hot", "knee_swollen", "fever")),
    ("hot_swollen_no_fever", knee("knee_swollen", denied=("knee_hot",))),
    ("hot_swollen_no_fever", knee("knee_hot")),
    ("major_trauma", knee(denied=("major_trauma",))),
    ("deformity", knee(denied=("deformity",))),
    ("cannot_straighten_after_injury", knee("cannot_straighten_or_lift", injury=False)),
    ("cannot_straighten_after_injury", knee("injury", denied=("cannot_straighten_or_lift",))),
    ("neurovascular", knee(denied=("foot_cold_pale_blue", "numbness_below_knee"))),
    ("dvt_with_chest", knee("calf_pain", denied=("chest_symptoms",))),
    ("dvt_with_chest", knee("chest_symptoms")),
    ("dvt_signs", knee("calf_pain", "chest_symptoms")),
    ("dvt_signs", knee(denied=("calf_pain",))),
    ("ottawa_positive", knee(injury=False, age=70)),
    ("ottawa_positive", knee("cannot_bend_right_angle")),
    ("ottawa_positive", knee(injury=True, age=30, pain_duration_days=2)),
    ("ottawa_positive", knee("bony_tenderness", injury=True, pain_duration_days=8)),
    ("cannot_bear_weight", knee(denied=("cannot_bear_weight",))),
    ("locked_knee", knee(denied=("knee_locked",))),
    ("rapid_swelling_after_injury", knee("injury", "knee_swollen")),
    ("child_limp", knee("limp", age=16)),
    ("child_limp", knee("limp")),
    ("child_limp", knee(age=9, denied=("limp",))),
    ("cancer_signs", knee(denied=("weight_loss", "night_or_constant_pain", "hard_lump"))),
    ("inflammatory_signs", knee(denied=("long_morning_stiffness",))),
    ("rapid_worsening", knee(denied=("rapid_worsening",))),
    ("injury_instability", knee("giving_way", injury=True, pain_duration_days=60)),
    ("injury_instability", knee("giving_way", injury=False)),
    ("injury_instability", knee(injury=True, denied=("giving_way",))),
    ("recent_surgery", knee(denied=("recent_surgery",))),
]


@pytest.mark.parametrize(("flag", "answers"), RED_FLAG_NEGATIVES)
def test_red_flag_stays_silent(flag: str, answers: TriageAnswers) -> None:
    assert flag not in red_flags(answers)


def test_every_red_flag_has_a_positive_and_a_negative_example() -> None:
    assert {flag for flag, _, _ in RED_FLAG_POSITIVES} == set(CRITERIA.red_flags)
    assert {flag for flag, _ in RED_FLAG_NEGATIVES} == set(CRITERIA.red_flags)


def test_the_infection_reason_reads_plainly() -> None:
    assert assess(knee("knee_hot", "fever")).why == (
        "your knee is hot, red or swollen and you have a fever or feel very unwell",
    )


# (answers, level, reasons, every red flag most urgent first)
PRECEDENCE = [
    (
        knee("knee_hot", "fever", "calf_pain", "weight_loss"),
        "emergency",
        ("infection_signs",),
        ("infection_signs", "dvt_signs", "cancer_signs"),
    ),
    (
        knee("knee_locked", "rapid_worsening", "recurrent", pain_score=9),
        "same_day",
        ("locked_knee",),
        ("locked_knee", "rapid_worsening"),
    ),
    (
        knee("hard_lump", "long_morning_stiffness", "limits_activity", pain_duration_days=30),
        "gp_soon",
        ("cancer_signs", "inflammatory_signs"),
        ("cancer_signs", "inflammatory_signs"),
    ),
    (
        knee("deformity", "major_trauma"),
        "emergency",
        ("major_trauma", "deformity"),
        ("major_trauma", "deformity"),
    ),
    (
        knee("recent_surgery", "knee_swollen", "fever"),
        "emergency",
        ("infection_signs", "recent_surgery"),
        ("infection_signs", "recent_surgery"),
    ),
    (
        knee("limp", "cannot_walk_at_all", age=8),
        "emergency",
        ("child_limp",),
        ("child_limp", "cannot_bear_weight"),
    ),
    (
        knee("past_cancer", "limp", age=12),
        "same_day",
        ("child_limp",),
        ("child_limp", "cancer_signs"),
    ),
    (knee("weight_loss", age=12), "gp_soon", ("cancer_signs",), ("cancer_signs",)),
]


@pytest.mark.parametrize(("answers", "level", "reasons", "flags"), PRECEDENCE)
def test_the_most_urgent_level_wins(
    answers: TriageAnswers, level: str, reasons: tuple[str, ...], flags: tuple[str, ...]
) -> None:
    outcome = assess(answers)
    assert (outcome.level, outcome.reasons, outcome.red_flags) == (level, reasons, flags)
    assert outcome.why == tuple(CRITERIA.why(reason) for reason in reasons)


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (knee(unsure=("calf_pain",)), "same_day"),
        (knee("knee_hot", unsure=("fever",)), "emergency"),
        (knee("cannot_straighten_or_lift", unsure=("injury",)), "emergency"),
        (knee(unsure=("recent_surgery", "fever")), "emergency"),
        (knee("giving_way", unsure=("injury",), pain_duration_days=20), "gp_soon"),
        (knee(unsure=("recurrent", "limits_activity", "worsens_with_walking")), "self_care"),
    ],
)
def test_unsure_signs_count_as_present_for_red_flags_only(
    answers: TriageAnswers, level: str
) -> None:
    assert assess(answers).level == level


# (screen answers, denied signs, level, red flags raised)
SCREENS = [
    (
        {"screen_emergency": "yes"},
        (),
        "emergency",
        CRITERIA.screens["screen_emergency"].covers,
    ),
    (
        {"screen_emergency": "unsure"},
        ("fever", "calf_pain"),
        "emergency",
        ("major_trauma", "deformity", "cannot_straighten_after_injury", "neurovascular"),
    ),
    (
        {"screen_emergency": "yes"},
        (
            "fever",
            "major_trauma",
            "deformity",
            "cannot_straighten_or_lift",
            "foot_cold_pale_blue",
            "numbness_below_knee",
            "calf_pain",
        ),
        "self_care",
        (),
    ),
    ({"screen_emergency": "no"}, (), "self_care", ()),
    (
        {"screen_same_day": "unsure"},
        ("knee_hot",),
        "same_day",
        ("dvt_signs", "cannot_bear_weight", "locked_knee", "rapid_swelling_after_injury"),
    ),
    ({"screen_ottawa": "yes"}, (), "same_day", ("ottawa_positive",)),
    ({"screen_ottawa": "yes"}, ("injury",), "self_care", ()),
    (
        {"screen_gp_soon": "yes"},
        ("giving_way",),
        "gp_soon",
        ("cancer_signs", "inflammatory_signs", "rapid_worsening", "recent_surgery"),
    ),
    (
        {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "unsure"},
        (),
        "gp_soon",
        CRITERIA.screens["screen_gp_soon"].covers,
    ),
]


@pytest.mark.parametrize(("screens", "denied", "level", "flags"), SCREENS)
def test_screen_yes_or_unsure_raises_the_flags_not_ruled_out(
    screens: dict[str, str], denied: tuple[str, ...], level: str, flags: tuple[str, ...]
) -> None:
    outcome = assess(knee(denied=denied, screens=screens))
    assert outcome.level == level
    assert outcome.red_flags == outcome.from_screens == flags


def test_a_screen_answered_no_leaves_flags_found_in_the_signs() -> None:
    outcome = assess(knee("calf_pain", screens={"screen_same_day": "no"}))
    assert (outcome.level, outcome.red_flags, outcome.from_screens) == (
        "same_day",
        ("dvt_signs",),
        (),
    )


def test_from_screens_leaves_out_flags_found_in_the_signs() -> None:
    outcome = assess(knee("rapid_swelling", screens={"screen_same_day": "yes"}))
    assert "rapid_swelling_after_injury" not in outcome.from_screens
    assert "dvt_signs" in outcome.from_screens


def test_an_injury_answered_no_rules_out_the_ottawa_screen() -> None:
    assert assess(knee(injury=False, screens={"screen_ottawa": "yes"})).red_flags == ()


PHYSIO = [
    ("persistent", knee(pain_duration_days=14)),
    ("persistent", knee("not_improving", "injury", pain_duration_days=15)),
    ("limits_activity", knee(limits_activity=True)),
    ("limits_activity", knee("limits_activity")),
    ("alters_gait", knee(alters_gait=True)),
    ("alters_gait", knee("limp")),
    ("alters_gait", knee("alters_gait")),
    ("severe", knee(pain_score=7)),
    ("giving_way", knee("giving_way", injury=False)),
    ("recurrent", knee("recurrent")),
    ("worsens_with_walking", knee("worsens_with_walking")),
]


@pytest.mark.parametrize(("criterion", "answers"), PHYSIO)
def test_each_physio_criterion_alone_books_a_physio(criterion: str, answers: TriageAnswers) -> None:
    outcome = assess(answers)
    assert (outcome.level, outcome.reasons, outcome.red_flags) == ("physio", (criterion,), ())
    assert outcome.flag_for_staff
    assert outcome.why == (CRITERIA.why(criterion),)


def test_giving_way_after_an_old_injury_is_a_physio_criterion() -> None:
    outcome = assess(knee("giving_way", injury=True, pain_duration_days=43))
    assert (outcome.level, outcome.reasons) == ("physio", ("persistent", "giving_way"))


def test_physio_reasons_follow_the_criteria_order() -> None:
    answers = knee("worsens_with_walking", "limits_activity", pain_duration_days=60)
    assert assess(answers).reasons == ("persistent", "limits_activity", "worsens_with_walking")


@pytest.mark.parametrize(
    "answers",
    [
        NOTHING,
        knee(pain_duration_days=3, pain_score=3, limits_activity=False, alters_gait=False),
        knee(denied=("knee_hot", "fever", "limp"), age=72, injury=False),
        knee("knee_swollen", denied=("knee_hot", "knee_red", "fever")),
    ],
)
def test_self_care_when_nothing_fires(answers: TriageAnswers) -> None:
    outcome = assess(answers)
    assert (outcome.level, outcome.reasons, outcome.flag_for_staff) == (
        "self_care",
        ("no_concerns",),
        False,
    )
    assert outcome.why == (CRITERIA.why("no_concerns"),)


@pytest.mark.parametrize(
    ("answers", "level", "reasons"),
    [
        (knee(age=15), "gp_soon", ("under_16",)),
        (knee(age=11, pain_duration_days=30), "gp_soon", ("persistent", "under_16")),
        (knee("recurrent", age=14, pain_score=8), "gp_soon", ("severe", "recurrent", "under_16")),
        (knee(age=15, screens={"screen_gp_soon": "no"}), "gp_soon", ("under_16",)),
        (knee("rapid_worsening", age=10), "gp_soon", ("rapid_worsening",)),
        (knee("calf_pain", age=10), "same_day", ("dvt_signs",)),
    ],
)
def test_under_16s_see_a_gp_unless_a_red_flag_asks_for_more(
    answers: TriageAnswers, level: str, reasons: tuple[str, ...]
) -> None:
    outcome = assess(answers)
    assert (outcome.level, outcome.reasons, outcome.flag_for_staff) == (level, reasons, True)


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (knee(pain_duration_days=13), "self_care"),
        (knee(pain_duration_days=13.9), "self_care"),
        (knee(pain_duration_days=14), "physio"),
        (knee(pain_score=6), "self_care"),
        (knee(pain_score=7), "physio"),
        (knee(age=15), "gp_soon"),
        (knee(age=16), "self_care"),
        (knee("limp", age=15), "same_day"),
        (knee("limp", age=16), "physio"),
        (knee(injury=True, age=54, pain_duration_days=2), "self_care"),
        (knee(injury=True, age=55, pain_duration_days=2), "same_day"),
        (knee("cannot_bend_right_angle", injury=True, pain_duration_days=7), "same_day"),
        (knee("cannot_bend_right_angle", injury=True, pain_duration_days=8), "self_care"),
        (knee("giving_way", injury=True, pain_duration_days=42), "gp_soon"),
        (knee("giving_way", injury=True, pain_duration_days=43), "physio"),
    ],
)
def test_thresholds_at_their_boundaries(answers: TriageAnswers, level: str) -> None:
    assert assess(answers).level == level


def test_clinic_thresholds_change_the_outcome() -> None:
    stricter = Thresholds.from_mapping({"persistent_days": 21, "ottawa_age": 65})
    three_weeks_less_a_day = knee(pain_duration_days=20)
    assert assess(three_weeks_less_a_day).level == "physio"
    assert assess(three_weeks_less_a_day, stricter).level == "self_care"
    sixty_after_a_fall = knee(injury=True, age=60, pain_duration_days=1)
    assert red_flags(sixty_after_a_fall) == ("ottawa_positive",)
    assert red_flags(sixty_after_a_fall, stricter) == ()
