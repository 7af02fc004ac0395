"""The triage test set (tests/triage/cases.yml) through the real servers.

Every emergency case must be triaged emergency, and at least 90% of all cases
must get exactly the expected level (the clinic's acceptance criteria).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.chat import Conversation
from tests.e2e.triage_run import run_case

pytestmark = pytest.mark.e2e
TRIAGE = Path(__file__).parents[1] / "triage"
CASES = yaml.safe_load((TRIAGE / "cases.yml").read_text())["cases"]
# written later by someone who saw neither the rules nor cases.yml, and never
# used to tune the parser: the honest estimate for unseen cases
UNSEEN = yaml.safe_load((TRIAGE / "cases_unseen.yml").read_text())["cases"]
# cases.yml was used while writing the parser's patterns, so it must stay at
# the clinic's 90%; the unseen set has a lower floor that still catches a
# regression. Every emergency must be caught in both.
REQUIRED_ACCURACY = {"cases.yml": 0.90, "cases_unseen.yml": 0.80}


def test_the_case_set_is_big_enough_and_covers_every_level() -> None:
    assert len(CASES) >= 40
    assert {case["level"] for case in CASES} == {
        "emergency",
        "same_day",
        "gp_soon",
        "physio",
        "self_care",
    }


@pytest.mark.parametrize("name, cases", [("cases.yml", CASES), ("cases_unseen.yml", UNSEEN)])
def test_triage_cases_reach_the_expected_level(
    assistant, base_url: str, name: str, cases: list[dict]
) -> None:
    results = []
    for case in cases:
        conversation = Conversation(base_url=base_url, api_token=assistant.api_token)
        result = run_case(conversation, case["text"])
        results.append((case, result))
        # the slot that integrations read agrees with what the person was told
        assert result.level == result.slot_level, (case["text"], result)

    wrong = [(c["text"], c["level"], r.level) for c, r in results if r.level != c["level"]]
    missed_emergencies = [w for w in wrong if w[1] == "emergency"]
    accuracy = 1 - len(wrong) / len(results)
    print(f"\n{name}: {len(results) - len(wrong)}/{len(results)} exact ({accuracy:.1%})")
    for text, expected, got in wrong:
        print(f"  expected {expected:9} got {got}: {text}")
    assert not missed_emergencies, missed_emergencies
    assert accuracy >= REQUIRED_ACCURACY[name], wrong
