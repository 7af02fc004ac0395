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
CASES = yaml.safe_load((Path(__file__).parents[1] / "triage" / "cases.yml").read_text())["cases"]
REQUIRED_ACCURACY = 0.90


def test_the_case_set_is_big_enough_and_covers_every_level() -> None:
    assert len(CASES) >= 40
    assert {case["level"] for case in CASES} == {
        "emergency", "same_day", "gp_soon", "physio", "self_care"
    }


def test_triage_cases_reach_the_expected_level(assistant, base_url: str) -> None:
    results = []
    for case in CASES:
        conversation = Conversation(base_url=base_url, api_token=assistant.api_token)
        result = run_case(conversation, case["text"])
        results.append((case, result))
        # the slot that integrations read agrees with what the person was told
        assert result.level == result.slot_level, (case["text"], result)

    wrong = [(c["text"], c["level"], r.level) for c, r in results if r.level != c["level"]]
    missed_emergencies = [w for w in wrong if w[1] == "emergency"]
    accuracy = 1 - len(wrong) / len(results)
    print(f"\ntriage cases: {len(results) - len(wrong)}/{len(results)} exact ({accuracy:.1%})")
    for text, expected, got in wrong:
        print(f"  expected {expected:9} got {got}: {text}")
    assert not missed_emergencies, missed_emergencies
    assert accuracy >= REQUIRED_ACCURACY, wrong
