"""Replays the triage case sets in-process, without servers: a quick check while editing the parser.

Each case goes through what the form and the assessment action do with the
person's words (``read_reply`` for the first message and for every scripted
answer, the next question from ``follow_up_questions`` / ``next_questions``,
then the signs of every message read back, ``assess`` and ``explain``), with
the same scripted answers as ``triage_run``. Rasa's NLU and routing are left
out, so the figures can differ a little from the end-to-end test, which stays
the judge: ``python -m tests.e2e.triage_replay [-v] [cases_people.yml ...]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from kneecare.explain import explain
from kneecare.form_replies import read_reply
from kneecare.language.entities import extract_entities
from kneecare.triage import TriageAnswers
from kneecare.triage.assess import (
    assess,
    follow_up_questions,
    next_questions,
    with_unclear_signs,
)
from kneecare.triage.reported_signs import with_reported_signs
from tests.e2e.triage_run import MAX_TURNS, TriageResult, scripted_answers
from tests.e2e.triage_scores import false_reasons, figures, is_under_triage

TRIAGE = Path(__file__).parents[1] / "triage"
SETS = ("cases.yml", "cases_unseen.yml", "cases_people.yml")
# the intents the NLU gives the runner's short answers (button-like replies)
ANSWER_INTENTS = {"no": "deny", "not sure": "not_sure", "yes": "affirm"}


def replay_case(text: str, answers: dict[str, str] | None = None) -> TriageResult:
    """The outcome of one case, answering what is asked as ``run_case`` does."""
    script = scripted_answers(answers)
    said = [text]
    known = read_reply(TriageAnswers(), None, text, None).answers
    asked: list[str] = []
    for _ in range(MAX_TURNS):
        remaining = follow_up_questions(known) + next_questions(known)
        if not remaining:
            break
        question = remaining[0]
        reply = script.get(f"utter_ask_{question}", "not sure")  # "which one?" and the like
        asked.append(question)
        said.append(reply)
        known = read_reply(known, question, reply, ANSWER_INTENTS.get(reply.lower())).answers
    else:
        return TriageResult(None, tuple(asked), None, None, tuple(said))
    final = with_reported_signs(
        with_unclear_signs(known), [(message, extract_entities(message)) for message in said]
    )
    outcome = assess(final)
    return TriageResult(
        outcome.level, tuple(asked), outcome.level, explain(outcome, final), tuple(said)
    )


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(SETS), help="case files of tests/triage")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every miss and why")
    options = parser.parse_args(arguments)
    verbose = options.verbose
    for name in options.sets:
        cases = yaml.safe_load((TRIAGE / name).read_text())["cases"]
        pairs, wrong_reasons = [], 0
        for case in cases:
            result = replay_case(case["text"], case.get("answers"))
            pairs.append((case["level"], result.level))
            wrong = false_reasons(result.why, case.get("must_not_say", []))
            wrong_reasons += bool(wrong)
            under = is_under_triage(case["level"], result.level)
            if under or wrong or (verbose and result.level != case["level"]):
                label = "UNDER" if under else "over" if result.level != case["level"] else "ok"
                print(
                    f"  [{label}] {case.get('id') or case['text'][:60]}: expected"
                    f" {case['level']}, got {result.level}; false reasons {wrong}"
                )
                if verbose:
                    print(f"     why: {result.why}")
        print(figures(pairs).line(name) + f", false reasons {wrong_reasons}")


if __name__ == "__main__":
    main(sys.argv[1:])
