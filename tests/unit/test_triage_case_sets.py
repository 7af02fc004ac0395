"""The triage case sets are well formed, and their scoring counts what it says.

No servers: this checks tests/triage/*.yml (levels, scripted answers, sources)
and the pure scoring in tests/e2e/triage_scores.py that the end-to-end test uses.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.e2e.triage_run import SCRIPTABLE_SLOTS, scripted_answers, why_text
from tests.e2e.triage_scores import (
    LEVELS,
    false_reasons,
    figures,
    is_under_triage,
    unbacked_quotes,
)

TRIAGE = Path(__file__).resolve().parents[1] / "triage"
SETS = ("cases.yml", "cases_unseen.yml", "cases_people.yml")
PEOPLE = yaml.safe_load((TRIAGE / "cases_people.yml").read_text())["cases"]


@pytest.mark.parametrize("name", SETS)
def test_every_case_has_text_a_known_level_and_answers_the_runner_can_give(name: str) -> None:
    for case in yaml.safe_load((TRIAGE / name).read_text())["cases"]:
        assert case["text"].strip() and case["level"] in LEVELS, case
        scripted_answers(case.get("answers"))  # raises on a question the runner cannot answer


def test_the_people_set_is_big_enough_at_every_level() -> None:
    levels = Counter(case["level"] for case in PEOPLE)
    assert len(PEOPLE) >= 70
    assert levels["emergency"] >= 12 and levels["same_day"] >= 12 and levels["gp_soon"] >= 8
    assert levels["physio"] >= 1 and levels["self_care"] >= 1


def test_each_people_case_names_its_post_and_no_post_is_used_more_than_three_times() -> None:
    assert len({case["id"] for case in PEOPLE}) == len(PEOPLE)
    assert all(case["source"].startswith(("http://", "https://")) for case in PEOPLE)
    assert max(Counter(case["source"] for case in PEOPLE).values()) <= 3


def test_each_people_case_lists_false_reasons_as_phrases() -> None:
    for case in PEOPLE:
        phrases = case["must_not_say"]
        assert phrases and all(isinstance(p, str) and p.strip() for p in phrases), case["id"]
        assert set(case.get("answers", {})) <= SCRIPTABLE_SLOTS, case["id"]


@pytest.mark.parametrize(
    "expected, got, under",
    [
        ("emergency", "same_day", True),
        ("same_day", "self_care", True),
        ("physio", None, True),
        ("gp_soon", "emergency", False),
        ("self_care", "self_care", False),
    ],
)
def test_under_triage_is_any_less_urgent_outcome(
    expected: str, got: str | None, under: bool
) -> None:
    assert is_under_triage(expected, got) is under


def test_figures_count_exact_over_under_and_emergency_recall() -> None:
    scores = figures(
        [("emergency", "emergency"), ("emergency", "same_day"), ("physio", "gp_soon"),
         ("self_care", "self_care"), ("same_day", None)]
    )
    assert (scores.exact, scores.over, scores.under) == (2, 1, 2)
    assert (scores.emergencies, scores.emergencies_caught) == (2, 1)


@pytest.mark.parametrize(
    "why, unbacked",
    [
        ("your knee swelled; you said: 'my knee blew up after the tackle'", []),
        ('you said "blew up ... the tackle"', []),
        ("you told me: \u201cmy foot is cold\u201d", ["my foot is cold"]),
        ("you said: 'my calf hurts'", ["my calf hurts"]),
        ("your knee isn't right and it's sore", []),  # apostrophes are not quotes
    ],
)
def test_a_quote_must_be_words_the_person_typed(why: str, unbacked: list[str]) -> None:
    said = ["My knee blew up after the tackle, it's sore", "no"]
    assert unbacked_quotes(why, said) == unbacked


def test_a_false_reason_is_found_whatever_its_case() -> None:
    why = "You have a fever or feel very unwell"
    assert false_reasons(why, ["you have a fever", "calf"]) == ["you have a fever"]


def test_the_why_line_is_read_from_the_outcome_reply() -> None:
    reply = "See a GP.\nWhy: your knee has been painful for 14 days or more.\nIt becomes urgent"
    assert why_text(["hello", reply]) == "your knee has been painful for 14 days or more"
