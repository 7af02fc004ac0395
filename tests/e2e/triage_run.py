"""Runs one triage case through the real assistant and reads the outcome.

The case text is sent as the first message. Any question the text did not
answer gets a neutral answer that cannot raise the level on its own ("no" to
the safety questions, 5 days, 3/10, age 40), so the level the assistant gives
depends on what the case says.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.e2e.chat import Conversation

NEUTRAL_ANSWERS = {
    "utter_ask_screen_emergency": "no",
    "utter_ask_screen_same_day": "no",
    "utter_ask_screen_ottawa": "no",
    "utter_ask_screen_gp_soon": "no",
    "utter_ask_injury": "no",
    "utter_ask_pain_duration_days": "5 days",
    "utter_ask_limits_activity": "no",
    "utter_ask_alters_gait": "no",
    "utter_ask_pain_score": "3",
    "utter_ask_age": "40",
    # whose are the signs, when the text left it unclear: "not sure" keeps them
    # as the person's (the safe reading), so the level follows the text
    "utter_ask_whose_signs": "not sure",
}
OUTCOME_PREFIX = "utter_outcome_"
MAX_TURNS = 14


@dataclass(frozen=True)
class TriageResult:
    level: str | None
    questions: tuple[str, ...]
    slot_level: str | None


def run_case(conversation: Conversation, text: str) -> TriageResult:
    """Send ``text``, answer what is asked, return the outcome level."""
    asked: list[str] = []
    replies = conversation.say(text)
    for _ in range(MAX_TURNS):
        names = conversation.responses(replies)
        outcomes = [name for name in names if name.startswith(OUTCOME_PREFIX)]
        if outcomes:
            level = outcomes[0].removeprefix(OUTCOME_PREFIX)
            return TriageResult(level, tuple(asked), conversation.slot("triage_level"))
        questions = [name for name in names if name in NEUTRAL_ANSWERS]
        if not questions:
            break
        asked.append(questions[-1])
        replies = conversation.say(NEUTRAL_ANSWERS[questions[-1]])
    return TriageResult(None, tuple(asked), None)
