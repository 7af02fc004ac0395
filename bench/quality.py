"""How right the answers are: held-out NLU and unseen triage cases, scored as tests/e2e does.

NLU goes through ``/model/parse`` (intent accuracy over every sentence; for FAQ
sentences the selected ``faq/<topic>``, from the ``faq`` selector or, for the
stock config whose ResponseSelector has no ``retrieval_intent``, ``default``).
Triage runs each case of tests/triage/cases_unseen.yml with
``tests.e2e.triage_run.run_case``, which answers the remaining questions
neutrally; a few cases run at once to save time, each in its own conversation.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from tests.e2e.chat import Conversation, post_json
from tests.e2e.test_nlu_heldout import held_out_examples
from tests.e2e.triage_run import run_case

T = TypeVar("T")

UNSEEN_CASES = Path(__file__).resolve().parents[1] / "tests" / "triage" / "cases_unseen.yml"


@dataclass(frozen=True)
class NluScore:
    intent_accuracy: float
    faq_accuracy: float
    sentences: int
    faq_sentences: int
    parse_p50: float  # seconds per /model/parse: the NLU share of a message's latency


@dataclass(frozen=True)
class TriageScore:
    exact_accuracy: float
    emergency_recall: float
    cases: int
    emergencies: int
    unfinished: int  # no outcome reached


def every_nth(items: list[T], step: int) -> list[T]:
    return items[::step] if step > 1 else items


def score_nlu(base_url: str, token: str | None, step: int = 1) -> NluScore:
    examples = every_nth(held_out_examples(), step)
    intent_right = faq_right = faq_total = 0
    seconds = []
    for text, expected in examples:
        started = time.perf_counter()
        parsed = post_json(f"{base_url}/model/parse?token={token}", {"text": text})
        seconds.append(time.perf_counter() - started)
        intent = parsed["intent"]["name"]
        if expected.startswith("faq/"):
            faq_total += 1
            selectors = parsed.get("response_selector", {})
            # a ResponseSelector without retrieval_intent (the stock config) answers as "default"
            selector = selectors.get("faq") or selectors.get("default") or {}
            selected = selector.get("response", {})
            got = selected.get("intent_response_key") if intent == "faq" else intent
            faq_right += got == expected
            intent_right += intent == "faq"
        else:
            intent_right += intent == expected
    return NluScore(intent_right / len(examples), faq_right / max(faq_total, 1),
                    len(examples), faq_total, sorted(seconds)[len(seconds) // 2])


def score_triage(base_url: str, token: str | None, step: int = 1,
                 at_once: int = 4) -> TriageScore:
    cases = every_nth(yaml.safe_load(UNSEEN_CASES.read_text())["cases"], step)

    def level(case: dict[str, Any]) -> str | None:
        conversation = Conversation(base_url=base_url, api_token=token)
        return run_case(conversation, case["text"]).level

    with ThreadPoolExecutor(max_workers=at_once) as pool:
        levels = list(pool.map(level, cases))
    expected = [case["level"] for case in cases]
    emergencies = [got for want, got in zip(expected, levels, strict=True) if want == "emergency"]
    return TriageScore(
        exact_accuracy=sum(w == g for w, g in zip(expected, levels, strict=True)) / len(cases),
        emergency_recall=(sum(g == "emergency" for g in emergencies) / len(emergencies)
                          if emergencies else float("nan")),
        cases=len(cases),
        emergencies=len(emergencies),
        unfinished=sum(g is None for g in levels),
    )
