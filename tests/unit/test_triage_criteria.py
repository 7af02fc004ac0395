"""The triage table (criteria.yml) agrees with its predicates and with signs.yml.

Every rule id in the table has exactly one predicate and every predicate an id;
every sign a rule or a predicate names is a sign the parser can report; the
thresholds are the ones the criteria document gives and the clinic may
override them; and the triage package stays free of Rasa.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from kneecare.triage import Thresholds, TriageAnswers, load_criteria
from kneecare.triage.criteria import PhysioCriterion, RedFlag, Route
from kneecare.triage.predicates import ESCALATIONS, PHYSIO_RULES, RED_FLAG_RULES

ROOT = Path(__file__).resolve().parents[2]
TRIAGE = ROOT / "kneecare" / "triage"


def _sign_ids() -> frozenset[str]:
    """The ids in kneecare/signs.yml.

    Read as YAML when the file parses; otherwise from its `  id: description`
    lines, so that a quoting slip in a description (that file belongs to the
    parser) does not hide what this suite checks.
    """
    text = (ROOT / "kneecare" / "signs.yml").read_text()
    try:
        return frozenset(yaml.safe_load(text)["signs"])
    except yaml.YAMLError:
        return frozenset(re.findall(r"^  ([a-z_]+):", text, flags=re.MULTILINE))


SIGN_IDS = _sign_ids()
CRITERIA = load_criteria()


def test_levels_run_from_most_to_least_urgent() -> None:
    assert CRITERIA.level_ids == ("emergency", "same_day", "gp_soon", "physio", "self_care")
    assert [level.flag_for_staff for level in CRITERIA.levels] == [True, True, True, True, False]


def test_every_red_flag_has_a_predicate_and_every_predicate_a_red_flag() -> None:
    assert list(RED_FLAG_RULES) == list(CRITERIA.red_flags)


def test_every_physio_criterion_has_a_predicate_and_every_predicate_a_criterion() -> None:
    assert list(PHYSIO_RULES) == list(CRITERIA.physio_criteria)
    assert set(PHYSIO_RULES) == {
        "persistent",
        "limits_activity",
        "alters_gait",
        "severe",
        "giving_way",
        "recurrent",
        "worsens_with_walking",
    }


def test_escalations_match_the_flags_that_escalate() -> None:
    escalating = {f.id for f in CRITERIA.red_flags.values() if f.escalates_to}
    assert escalating == set(ESCALATIONS) == {"child_limp", "recent_surgery"}
    for flag_id in escalating:
        flag = CRITERIA.red_flags[flag_id]
        assert flag.escalates_to is not None
        assert CRITERIA.urgency(flag.escalates_to) < CRITERIA.urgency(flag.level)


@pytest.mark.parametrize("flag", CRITERIA.red_flags.values(), ids=lambda f: f.id)
def test_red_flag_rows_are_complete(flag: RedFlag) -> None:
    assert flag.level in CRITERIA.level_ids[:3]
    assert flag.source and flag.says and flag.why
    assert flag.needs and all(group <= SIGN_IDS for group in flag.needs)


def test_rules_and_routes_have_sources_and_reasons() -> None:
    rows: list[PhysioCriterion | Route] = [
        *CRITERIA.physio_criteria.values(),
        *CRITERIA.routing.values(),
    ]
    assert all(row.source and row.why for row in rows)
    assert CRITERIA.routing["under_16"].level == "gp_soon"
    assert CRITERIA.routing["no_concerns"].level == "self_care"


def test_predicates_name_only_signs_from_signs_yml() -> None:
    tree = ast.parse((TRIAGE / "predicates.py").read_text())
    named = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"maybe", "said"}
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert named and named <= SIGN_IDS


@pytest.mark.parametrize(
    ("screen_id", "covers"),
    [
        (
            "screen_emergency",
            {
                "infection_signs",
                "major_trauma",
                "deformity",
                "cannot_straighten_after_injury",
                "neurovascular",
                "dvt_with_chest",
            },
        ),
        (
            "screen_same_day",
            {
                "hot_swollen_no_fever",
                "dvt_signs",
                "cannot_bear_weight",
                "locked_knee",
                "rapid_swelling_after_injury",
            },
        ),
        ("screen_ottawa", {"ottawa_positive"}),
        (
            "screen_gp_soon",
            {
                "cancer_signs",
                "inflammatory_signs",
                "rapid_worsening",
                "injury_instability",
                "recent_surgery",
            },
        ),
    ],
)
def test_screens_cover_their_red_flags(screen_id: str, covers: set[str]) -> None:
    screen = CRITERIA.screens[screen_id]
    assert set(screen.covers) == covers
    assert screen.only_after_injury == (screen_id == "screen_ottawa")
    question = CRITERIA.thresholds.fill(screen.question)
    assert question.endswith("?") and "{" not in question


def test_only_child_limp_is_left_out_of_the_screens() -> None:
    screened = [flag for s in CRITERIA.screens.values() for flag in s.covers]
    assert len(screened) == len(set(screened))
    assert set(CRITERIA.red_flags) - set(screened) == {"child_limp"}


# A flag's `needs` must describe its predicate: with every needed sign the flag
# fires, and denying any one group (asserting the others) silences it. This is
# what lets a denied sign rule out a flag raised by a screening answer.
CHILD_AFTER_A_FRESH_INJURY = TriageAnswers(age=10, pain_duration_days=1)


@pytest.mark.parametrize("flag", CRITERIA.red_flags.values(), ids=lambda f: f.id)
def test_needs_describe_the_predicate(flag: RedFlag) -> None:
    rule = RED_FLAG_RULES[flag.id]
    t = CRITERIA.thresholds
    every_sign = frozenset().union(*flag.needs)
    assert rule(replace(CHILD_AFTER_A_FRESH_INJURY, signs=every_sign), t)
    for group in flag.needs:
        others = every_sign - group
        denied = replace(CHILD_AFTER_A_FRESH_INJURY, signs=others, denied=group)
        assert not rule(denied, t), group


def test_thresholds_are_the_criteria_numbers() -> None:
    assert CRITERIA.thresholds == Thresholds(
        persistent_days=14,
        severe_score=7,
        child_age=16,
        ottawa_age=55,
        recent_injury_days=42,
        recent_surgery_days=182,
        ottawa_max_days_since_injury=7,
        rapid_swelling_hours=2,
    )
    assert Thresholds.default() is CRITERIA.thresholds


def test_clinic_settings_override_thresholds() -> None:
    t = Thresholds.from_mapping({"persistent_days": "21", "severe_score": 8})
    assert (t.persistent_days, t.severe_score) == (21, 8)
    assert t.child_age == 16
    assert "21 days" in CRITERIA.why("persistent", t)


@pytest.mark.parametrize(
    "overrides",
    [
        {"persistant_days": 21},
        {"persistent_days": 0},
        {"persistent_days": -3},
        {"persistent_days": "two weeks"},
        {"severe_score": 7.5},
        {"child_age": True},
        {"ottawa_age": None},
    ],
)
def test_bad_threshold_settings_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Thresholds.from_mapping(overrides)


def test_texts_read_in_whole_numbers() -> None:
    t = CRITERIA.thresholds
    assert (t.recent_injury_weeks, t.recent_surgery_months) == (6, 6)
    assert CRITERIA.why("persistent") == "your knee has been painful for 14 days or more"
    assert "in the last 6 months" in CRITERIA.why("recent_surgery")
    assert "under 16" in CRITERIA.why("under_16")
    gp_question = t.fill(CRITERIA.screens["screen_gp_soon"].question)
    assert "last 6 weeks" in gp_question and "last 6 months" in gp_question


def test_triage_package_never_imports_rasa_and_documents_every_module() -> None:
    for path in TRIAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), path.name
        imported = [
            name
            for node in ast.walk(tree)
            for name in (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
        ]
        assert not [m for m in imported if m.split(".")[0] in {"rasa", "rasa_sdk"}], path.name
