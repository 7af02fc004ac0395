"""The field set (tests/field/, issue 14) scored in-process against one trained model.

Each message is parsed once by the model's NLU (``Agent.parse_message``: the
classifier, the fallback and the rule parser's routing, exactly as the server
runs them). What the assistant then does with a first message follows from the
intent alone, by the rules in data/rules/:

- ``faq``: the selected ``faq/<topic>`` is answered; ``clinic``: the clinic's
  answer for the selected ``clinic/<topic>`` (and a close second one, as
  ``kneecare.clinic_answers.topics_to_answer`` picks them: a message asking two
  things gets both answers); ``out_of_scope``: a redirect;
- ``report_red_flag``: the triage form reads the message and, when its signs
  raise an emergency or same-day red flag, gives that outcome at once (the
  level is the one ``kneecare.triage.assess`` gives the message's findings);
- ``confirm_sign``: one Yes / No / Not sure question, no outcome;
- ``clarify_faq``: "Did you mean ...?" with two FAQ topics.

Figures (each a share of its messages): FAQ topic on question-phrased FAQ
messages and on all FAQ messages (a "Did you mean ...?" whose two buttons hold
the right topic counts as right: one click answers it); clinic topic; out of scope (other body parts
included); report-vs-question routing; the count of same-day or emergency
outcomes reached from messages with no red flag; emergency signs recognised in
the first message; how often the assistant asks "Did you mean ...?".

``python -m bench.field [--split dev|test] [--model PATH]`` prints them.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kneecare.clinic_answers import topics_to_answer
from kneecare.language.parse import parse
from kneecare.triage.answers import TriageAnswers, merge
from kneecare.triage.assess import assess

ROOT = Path(__file__).resolve().parents[1]
URGENT_LEVELS = frozenset({"emergency", "same_day"})
# first replies that treat the message as a report of the person's knee
REPORT_INTENTS = frozenset({"report_knee_pain", "report_red_flag", "inform", "start_triage"})
# first replies that treat it as a question
QUESTION_INTENTS = frozenset({"faq", "clinic", "clarify_faq"})
# one Yes / No / Not sure question about a sign: right for either reading
EITHER_INTENTS = frozenset({"confirm_sign"})
CLARIFY_INTENT = "clarify_faq"

Parse = Callable[[str], dict[str, Any]]


@dataclass(frozen=True)
class FieldScore:
    """The field figures for one model on one split; ``None`` when no message applies."""

    messages: int
    faq_question_accuracy: float | None
    faq_accuracy: float | None
    clinic_accuracy: float | None
    out_of_scope_accuracy: float | None
    routing_accuracy: float | None
    urgent_without_red_flag: int
    emergency_first_message: float | None
    clarification_rate: float | None

    def as_rows(self) -> list[tuple[str, float | int | None]]:
        return [
            ("field FAQ topic, questions", self.faq_question_accuracy),
            ("field FAQ topic, all", self.faq_accuracy),
            ("field clinic topic", self.clinic_accuracy),
            ("field out of scope", self.out_of_scope_accuracy),
            ("field report vs question", self.routing_accuracy),
            ("field urgent outcomes without a red flag", self.urgent_without_red_flag),
            ("field emergency seen in first message", self.emergency_first_message),
            ("field asks 'Did you mean'", self.clarification_rate),
        ]


def available() -> bool:
    """Whether the field set's loader (tests/field/load.py) is in this checkout."""
    try:
        return importlib.util.find_spec("tests.field.load") is not None
    except ModuleNotFoundError:  # no tests/field package at all
        return False


def load_messages(split: str) -> list[Any]:
    """The field messages of one split (tests/field/load.py, from the field set's branch)."""
    from tests.field.load import load_field  # absent until the field set is merged

    return list(load_field(split))


def _selection(parsed: dict[str, Any], retrieval_intent: str) -> dict[str, Any]:
    """The selector of one retrieval intent; the stock baseline's single
    ResponseSelector (no ``retrieval_intent``) reports under "default"."""
    selectors = parsed.get("response_selector") or {}
    return selectors.get(retrieval_intent) or selectors.get("default") or {}


def selected_topic(parsed: dict[str, Any], retrieval_intent: str) -> str | None:
    selection = _selection(parsed, retrieval_intent)
    key = (selection.get("response") or {}).get("intent_response_key")
    return str(key) if key else None


def offered_topics(parsed: dict[str, Any]) -> list[str]:
    """The two FAQ topics "Did you mean ...?" offers as buttons."""
    selection = _selection(parsed, "faq")
    return [str(item.get("intent_response_key")) for item in selection.get("ranking") or []][:2]


def answered_clinic_topics(parsed: dict[str, Any]) -> list[str]:
    """The clinic topics action_answer_clinic_question answers (one, or two when close)."""
    selection = _selection(parsed, "clinic")
    ranking = [
        (str(item.get("intent_response_key", "")).partition("/")[2],
         float(item.get("confidence", 0)))
        for item in selection.get("ranking") or []
    ]
    return [f"clinic/{topic}" for topic in topics_to_answer(ranking, str(parsed.get("text") or ""))]


def urgent_level(text: str) -> str | None:
    """The level the triage form gives a first message routed to report_red_flag."""
    level = assess(merge(TriageAnswers(), parse(text))).level
    return level if level in URGENT_LEVELS else None


def _share(hits: Iterable[bool]) -> float | None:
    values = list(hits)
    return sum(values) / len(values) if values else None


def score(messages: list[Any], parse_message: Parse) -> FieldScore:
    """Every figure for ``messages`` (FieldMessage records) parsed by ``parse_message``."""
    faq_q: list[bool] = []
    faq_all: list[bool] = []
    clinic: list[bool] = []
    oos: list[bool] = []
    routing: list[bool] = []
    emergency: list[bool] = []
    clarified: list[bool] = []
    urgent_without_flag = 0
    for message in messages:
        parsed = parse_message(message.text)
        intent = (parsed.get("intent") or {}).get("name")
        urgent = urgent_level(message.text) if intent == "report_red_flag" else None
        clarified.append(intent == CLARIFY_INTENT)
        group = message.group
        if group == "faq":
            right = (intent == "faq" and selected_topic(parsed, "faq") == message.label) or (
                intent == CLARIFY_INTENT and message.label in offered_topics(parsed)
            )
            faq_all.append(right)
            if message.form == "question":
                faq_q.append(right)
        elif group == "clinic":
            clinic.append(intent == "clinic" and message.label in answered_clinic_topics(parsed))
        elif group == "out_of_scope":
            oos.append(intent == "out_of_scope")
        if group in ("faq", "clinic", "symptom_report", "red_flag"):
            reports = group in ("symptom_report", "red_flag")
            expected = REPORT_INTENTS if reports else QUESTION_INTENTS
            routing.append(intent in expected or intent in EITHER_INTENTS)
        if group != "red_flag" and urgent is not None:
            urgent_without_flag += 1
        if group == "red_flag" and message.level == "emergency":
            emergency.append(urgent == "emergency")
    return FieldScore(
        messages=len(messages),
        faq_question_accuracy=_share(faq_q),
        faq_accuracy=_share(faq_all),
        clinic_accuracy=_share(clinic),
        out_of_scope_accuracy=_share(oos),
        routing_accuracy=_share(routing),
        urgent_without_red_flag=urgent_without_flag,
        emergency_first_message=_share(emergency),
        clarification_rate=_share(clarified),
    )


def model_parser(model: Path) -> Parse:
    """``Agent.parse_message`` of a trained model, called synchronously."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    return lambda text: loop.run_until_complete(agent.parse_message(text))


def score_model(model: Path, split: str) -> FieldScore:
    return score(load_messages(split), model_parser(model))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "knee-assistant.tar.gz")
    args = parser.parse_args()
    result = score_model(args.model, args.split)
    print(f"field {args.split}: {result.messages} messages, model {args.model.name}")
    for name, value in result.as_rows():
        shown = "n/a" if value is None else value if isinstance(value, int) else f"{value:.1%}"
        print(f"  {name:42} {shown}")


if __name__ == "__main__":
    main()
