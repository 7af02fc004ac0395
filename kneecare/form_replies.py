"""How one reply during the triage questions updates what we know.

The triage form asks one question at a time, but people answer in their own
words and often say more than was asked ("about 3 weeks, and it's 7/10"). This
module reads a reply against the question that was asked, folds in everything
else the parser found, and says whether the asked question was answered, so
the form can move on, re-ask with an example, or let another rule handle the
message (an FAQ question in the middle of the form, say).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Literal

from kneecare.findings import Findings
from kneecare.language.parse import (
    parse,
    parse_duration_answer,
    parse_number_answer,
    parse_yes_no,
)
from kneecare.triage.answers import TriageAnswers, merge

YesNo = Literal["yes", "no", "unsure"]

SCREEN_QUESTIONS = ("screen_emergency", "screen_same_day", "screen_ottawa", "screen_gp_soon")
YES_NO_QUESTIONS = ("injury", "limits_activity", "alters_gait")
# Button payloads and short replies arrive as these intents.
INTENT_ANSWERS: dict[str, YesNo] = {"affirm": "yes", "deny": "no", "not_sure": "unsure"}
# Intents that are not answers: the form steps aside and another rule replies.
NOT_AN_ANSWER = frozenset(
    {
        "faq",
        "bot_challenge",
        "request_callback",
        "book_appointment",
        "out_of_scope",
        "stop",
        "start_over",
    }
)


@dataclass(frozen=True)
class ReplyReading:
    """The outcome of reading one reply."""

    answers: TriageAnswers
    answered_question: bool  # the question that was asked now has an answer
    learned_something: bool  # the reply changed anything at all
    # the reply was meant as an answer but could not be read: ask again
    unclear: bool


def _yes_no(text: str, intent: str | None) -> YesNo | None:
    """A yes/no/not-sure answer from the button intent or the words used."""
    if intent in INTENT_ANSWERS:
        return INTENT_ANSWERS[intent]
    return parse_yes_no(text)


def _answer_yes_no(answers: TriageAnswers, question: str, answer: YesNo) -> TriageAnswers:
    """Record a yes/no answer; "not sure" counts as yes (err on the side of safety)."""
    if question in SCREEN_QUESTIONS:
        return replace(answers, screens={**answers.screens, question: answer})
    value = answer != "no"
    if question == "injury":
        return replace(answers, injury=value)
    if question == "limits_activity":
        return replace(answers, limits_activity=value)
    return replace(answers, alters_gait=value)


def is_answered(answers: TriageAnswers, question: str) -> bool:
    """Whether the answers already hold a value for this question."""
    if question in SCREEN_QUESTIONS:
        return question in answers.screens
    return getattr(answers, question, None) is not None


def read_reply(
    answers: TriageAnswers,
    question: str | None,
    text: str,
    intent: str | None,
    today: datetime.date | None = None,
) -> ReplyReading:
    """Fold a reply into the answers, reading it as an answer to ``question``."""
    findings: Findings = parse(text or "", today=today)
    updated = merge(answers, findings)
    if question and (not is_answered(updated, question) or intent in INTENT_ANSWERS):
        updated = _read_direct_answer(updated, question, text or "", intent, today)
    answered = bool(question) and is_answered(updated, question or "")
    learned = updated != answers
    return ReplyReading(
        answers=updated,
        answered_question=answered,
        learned_something=learned,
        unclear=bool(question) and not answered and not learned and intent not in NOT_AN_ANSWER,
    )


def _read_direct_answer(
    answers: TriageAnswers,
    question: str,
    text: str,
    intent: str | None,
    today: datetime.date | None,
) -> TriageAnswers:
    """Read a bare reply ("yes", "6", "3 weeks") as the answer to the question asked."""
    if question in SCREEN_QUESTIONS or question in YES_NO_QUESTIONS:
        answer = _yes_no(text, intent)
        return _answer_yes_no(answers, question, answer) if answer else answers
    if question == "pain_duration_days":
        days = parse_duration_answer(text, today)
        return replace(answers, pain_duration_days=days) if days is not None else answers
    if question == "pain_score":
        score = parse_number_answer(text, 0, 10)
        return replace(answers, pain_score=score) if score is not None else answers
    if question == "age":
        age = parse_number_answer(text, 0, 120)
        return replace(answers, age=age) if age is not None else answers
    return answers
