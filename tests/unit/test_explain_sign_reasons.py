"""A flag that any one of several signs raises is explained by the sign the person gave.

"It wakes me at night" must not be told back as "you have unexplained weight
loss, constant or night pain, a hard lump, or have had cancer before".
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from kneecare.explain import explain, sign_reasons
from kneecare.findings import Evidence, Findings
from kneecare.triage import TriageAnswers, assess, merge
from kneecare.triage.criteria import load_criteria

SETTLED = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no"}


def test_every_sign_reason_names_a_flag_and_one_of_its_signs() -> None:
    flags = load_criteria().red_flags
    for flag, texts in sign_reasons().items():
        assert flag in flags, flag
        signs = set().union(*flags[flag].needs)
        assert set(texts) <= signs, (flag, set(texts) - signs)


@pytest.mark.parametrize(
    ("sign", "words", "says", "never"),
    [
        ("night_or_constant_pain", "throbs all night whatever I take", "at night", "weight"),
        ("weight_loss", "dropped a stone without meaning to", "lost weight", "night"),
        ("several_swollen_joints", "my knuckles are puffy as well", "joints", "stiff"),
        ("foot_cold_pale_blue", "toes look purple", "foot is cold", "numbness"),
    ],
)
def test_the_reason_names_the_sign_given_and_not_the_others(
    sign: str, words: str, says: str, never: str
) -> None:
    findings = Findings(
        pain_duration_days=20,
        present=frozenset({sign}),
        evidence=(Evidence(sign, "present", words),),
    )
    answers = replace(merge(TriageAnswers(), findings), screens=SETTLED, injury=False, age=50)
    why = explain(assess(answers), answers)
    assert says in why and never not in why.lower()
    assert f'"{words}"' in why


def test_two_signs_of_one_flag_are_both_named() -> None:
    findings = Findings(
        present=frozenset({"weight_loss", "hard_lump"}),
        evidence=(
            Evidence("weight_loss", "present", "lost half a stone"),
            Evidence("hard_lump", "present", "a hard bump above the kneecap"),
        ),
    )
    answers = replace(merge(TriageAnswers(), findings), screens=SETTLED, injury=False, age=50)
    why = explain(assess(answers), answers)
    assert "lost weight" in why and "hard lump" in why and "night" not in why
