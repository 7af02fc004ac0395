"""Runs one triage case through the real assistant and reads the outcome.

The case text is sent as the first message. Any question the text did not
answer gets the case's own answer when it scripts one (``answers``, by slot
name), and otherwise a neutral answer that cannot raise the level on its own
("no" to the safety questions, 5 days, 3/10, age 40), so the level the
assistant gives depends on what the case says. The screening lists always get
"no": a case checks that the person's words, not a yes to a list, decide the
level.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
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
# the questions a case may answer in its own words (the screens stay "no")
SCRIPTABLE_SLOTS = frozenset(
    {"injury", "pain_duration_days", "limits_activity", "alters_gait", "pain_score", "age"}
)
OUTCOME_PREFIX = "utter_outcome_"
MAX_TURNS = 14
WHY_LINE = re.compile(r"^Why: (.*)$", re.MULTILINE)


@dataclass(frozen=True)
class TriageResult:
    level: str | None
    questions: tuple[str, ...]
    slot_level: str | None
    # the outcome's "Why: ..." text, and everything the person typed
    why: str | None = None
    said: tuple[str, ...] = ()


def scripted_answers(answers: Mapping[str, str] | None) -> dict[str, str]:
    """The neutral answers, overridden by a case's own answers (by slot name)."""
    unknown = set(answers or {}) - SCRIPTABLE_SLOTS
    if unknown:
        raise ValueError(f"a case can only answer {sorted(SCRIPTABLE_SLOTS)}, not {unknown}")
    own = {f"utter_ask_{slot}": answer for slot, answer in (answers or {}).items()}
    return {**NEUTRAL_ANSWERS, **own}


def why_text(reply_texts: list[str]) -> str | None:
    """The text after "Why:" in the outcome reply, without the closing full stop."""
    for text in reply_texts:
        found = WHY_LINE.search(text)
        if found:
            return found.group(1).strip().removesuffix(".")
    return None


def run_case(
    conversation: Conversation, text: str, answers: Mapping[str, str] | None = None
) -> TriageResult:
    """Send ``text``, answer what is asked, return the outcome level."""
    script = scripted_answers(answers)
    asked: list[str] = []
    said = [text]
    replies = conversation.say(text)
    for _ in range(MAX_TURNS):
        names = conversation.responses(replies)
        outcomes = [name for name in names if name.startswith(OUTCOME_PREFIX)]
        if outcomes:
            level = outcomes[0].removeprefix(OUTCOME_PREFIX)
            why = why_text([reply.get("text", "") for reply in replies])
            return TriageResult(
                level, tuple(asked), conversation.slot("triage_level"), why, tuple(said)
            )
        questions = [name for name in names if name in script]
        if not questions:
            break
        asked.append(questions[-1])
        said.append(script[questions[-1]])
        replies = conversation.say(script[questions[-1]])
    return TriageResult(None, tuple(asked), None, None, tuple(said))
