"""The safety net's urgent screening questions come from the criteria, not a list in code."""

from __future__ import annotations

from dataclasses import replace

from kneecare.safety_net import Situation, urgent_screens, urgent_screens_of
from kneecare.triage.criteria import load_criteria


def test_the_urgent_screens_are_those_covering_same_day_or_emergency_flags() -> None:
    assert urgent_screens() == ("screen_emergency", "screen_same_day", "screen_ottawa")


def test_a_flag_moved_to_a_lesser_level_takes_its_screen_out() -> None:
    criteria = load_criteria()
    ottawa = criteria.red_flags["ottawa_positive"]
    changed = replace(criteria, red_flags={**criteria.red_flags,
                                           "ottawa_positive": replace(ottawa, level="gp_soon")})
    assert "screen_ottawa" not in urgent_screens_of(changed)
    assert "screen_emergency" in urgent_screens_of(changed)


def test_a_gp_soon_screen_answered_yes_is_not_urgent_but_same_day_is() -> None:
    assert not Situation("x", screens={"screen_gp_soon": "yes"}).possible_red_flag
    assert Situation("x", screens={"screen_same_day": "unsure"}).possible_red_flag
    asked = Situation("validate_knee_triage_form", active_loop="knee_triage_form",
                      requested_slot="screen_ottawa", latest_intent="inform")
    assert asked.possible_red_flag
