"""The triage case sets (tests/triage/*.yml) through the real servers, over REST.

Every set fails on any under-triage (an outcome less urgent than the criteria
require, or no outcome at all), which includes a missed emergency, and on an
exact-level share below its floor, except for the gaps listed in KNOWN_GAPS:
measured, printed with every case behind them, and allowed only to shrink.
For cases_people.yml the reply's "Why" must also hold none of the case's
false reasons (``must_not_say``) and quote only words the person typed.
The figures of each set are printed for the reader.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.chat import Conversation
from tests.e2e.triage_run import TriageResult, run_case
from tests.e2e.triage_scores import (
    LEVELS,
    false_reasons,
    figures,
    is_under_triage,
    unbacked_quotes,
)

pytestmark = pytest.mark.e2e
TRIAGE = Path(__file__).parents[1] / "triage"


def load(name: str) -> list[dict]:
    return yaml.safe_load((TRIAGE / name).read_text())["cases"]


CASES = load("cases.yml")
# cases.yml was used while writing the parser's patterns, so it must stay at
# the clinic's 90%; cases_unseen.yml was written by someone who saw neither
# the rules nor cases.yml (the honest estimate for unseen cases) and has a
# lower floor that still catches a regression; cases_people.yml (first
# messages as people write them) carries issue 15's acceptance: 92%.
REQUIRED_EXACT = {"cases.yml": 0.90, "cases_unseen.yml": 0.80, "cases_people.yml": 0.92}
# the sets whose replies must say only what the person said
CHECK_REASONS = {"cases_people.yml"}
# Known gaps: the target for every count is 0 (issue 15), and a set may not
# get worse than this. Lower a number (or delete the entry) when a change
# closes a gap; never raise one. Measured 2026-12-02 when cases_people.yml was
# added: cases_unseen.yml 10 under-triage; cases_people.yml 12 under-triage,
# 7 missed emergencies, 9 false reasons, exact 77.6%. Measured 2026-12-03
# after the parser's patterns for everyday phrasings (branch parser): one false
# reason left ("sciatica for a year and a half, tingling from my bum down to my
# heel" read as new numbness below the knee). Closed 2026-12-03: numbness put
# down to a nerve condition of months in the same sentence, with no word of a
# new onset, is long-standing (past), as the criteria count only new numbness.
KNOWN_GAPS: dict[str, dict[str, int]] = {}


def test_the_case_set_is_big_enough_and_covers_every_level() -> None:
    assert len(CASES) >= 40
    assert {case["level"] for case in CASES} == set(LEVELS)


def describe(case: dict, result: TriageResult) -> str:
    name = case.get("id") or case["text"][:60]
    return f"{name}: expected {case['level']}, got {result.level}; why: {result.why}"


@pytest.mark.parametrize("name", sorted(REQUIRED_EXACT))
def test_triage_cases_reach_the_expected_level(assistant, base_url: str, name: str) -> None:
    cases = load(name)
    results = []
    for case in cases:
        conversation = Conversation(base_url=base_url, api_token=assistant.api_token)
        results.append(run_case(conversation, case["text"], case.get("answers")))

    pairs = [(case["level"], result.level) for case, result in zip(cases, results, strict=True)]
    scores = figures(pairs)
    problems: dict[str, list[str]] = {
        "under-triage (less urgent than required, or no outcome)": [],
        "over-triage": [],
        "the slot integrations read disagrees with the reply": [],
        "a false reason in the reply": [],
        "a quote the person never typed": [],
    }
    for case, result in zip(cases, results, strict=True):
        if is_under_triage(case["level"], result.level):
            problems["under-triage (less urgent than required, or no outcome)"].append(
                describe(case, result)
            )
        elif result.level != case["level"]:
            problems["over-triage"].append(describe(case, result))
        if result.level is not None and result.slot_level != result.level:
            problems["the slot integrations read disagrees with the reply"].append(
                f"{describe(case, result)} (slot: {result.slot_level})"
            )
        if name in CHECK_REASONS:
            wrong = false_reasons(result.why, case.get("must_not_say", []))
            if wrong:
                problems["a false reason in the reply"].append(f"{describe(case, result)} {wrong}")
            unbacked = unbacked_quotes(result.why, result.said)
            if unbacked:
                problems["a quote the person never typed"].append(
                    f"{describe(case, result)} {unbacked}"
                )

    print("\n" + scores.line(name))
    for kind, lines in problems.items():
        for line in lines:
            print(f"  {kind}: {line}")

    gaps = KNOWN_GAPS.get(name, {})
    under = problems["under-triage (less urgent than required, or no outcome)"]
    assert len(under) <= gaps.get("under-triage", 0), "more under-triage than known"
    missed = scores.emergencies - scores.emergencies_caught
    assert missed <= gaps.get("missed emergencies", 0), "an emergency missed"
    assert not problems["the slot integrations read disagrees with the reply"]
    floor = min(REQUIRED_EXACT[name], gaps.get("exact", 1.0))
    assert scores.exact_share >= floor, scores.line(name)
    if name in CHECK_REASONS:
        wrong = problems["a false reason in the reply"]
        assert len(wrong) <= gaps.get("false reasons", 0), "more false reasons than known"
        assert not problems["a quote the person never typed"]
