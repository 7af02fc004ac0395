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
import re
from dataclasses import dataclass, replace
from typing import Literal

from kneecare.findings import Evidence, Findings, SignStatus
from kneecare.language.parse import (
    answer_words,
    parse,
    parse_duration_answer,
    parse_number_answer,
    parse_yes_no,
)
from kneecare.triage.answers import TriageAnswers, add_evidence, claim_unclear_signs, merge
from kneecare.triage.assess import WHOSE_SIGNS, assess
from kneecare.triage.screen_items import (
    SEVERAL,
    item,
    item_named_by,
    screen_lists,
    screen_of_pick_slot,
)

YesNo = Literal["yes", "no", "unsure"]

SCREEN_QUESTIONS = ("screen_emergency", "screen_same_day", "screen_ottawa", "screen_gp_soon")
YES_NO_QUESTIONS = ("injury", "limits_activity", "alters_gait")
# Button payloads and short replies arrive as these intents.
INTENT_ANSWERS: dict[str, YesNo] = {"affirm": "yes", "deny": "no", "not_sure": "unsure"}
# What the person pressed, quoted back to them (a button sends "/affirm").
BUTTON_WORDS: dict[YesNo, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
STATUS_OF: dict[YesNo, SignStatus] = {"yes": "present", "no": "absent", "unsure": "unsure"}
# Replies to "how old?" that decline or do not know: the age rules are then
# left out and the outcome says so. Matched anywhere in the reply's words.
AGE_WITHHELD = (
    ("prefer", "not"),
    ("rather", "not"),
    ("not", "saying"),
    ("not", "telling"),
    ("skip",),
    ("pass",),
    ("private",),
)
AGE_BUTTON_WORDS = {"deny": "Prefer not to say", "not_sure": "Not sure"}
# Replies to "which one?" that name more than one item, or none
SEVERAL_WORDS = frozenset({"several", "both", "all", "more", "many", "few", "multiple", "various"})
SENTENCE_END = re.compile(r"(?<=[.!?;\n])\s*")
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
    not_sure = answers.not_sure - {question}
    if answer == "unsure":
        not_sure |= {question}
    if question == "injury":
        return replace(answers, injury=value, not_sure=not_sure)
    if question == "limits_activity":
        return replace(answers, limits_activity=value, not_sure=not_sure)
    return replace(answers, alters_gait=value, not_sure=not_sure)


def merge_holding_unclear(answers: TriageAnswers, findings: Findings) -> TriageAnswers:
    """Merge the findings, holding back signs whose owner is unclear.

    When it is unclear whose signs a message gives and they would change the
    level, they wait in ``unclear_signs`` until the person says (``WHOSE_SIGNS``).
    """
    merged = merge(answers, findings)
    if findings.subject.who != "unclear":
        return merged
    claimed = (findings.present | findings.unsure) - answers.signs - answers.unsure
    if not claimed:
        return merged
    without = merge(
        answers,
        replace(findings, present=findings.present - claimed, unsure=findings.unsure - claimed),
    )
    if assess(without).level == assess(merged).level:
        return merged
    return replace(without, unclear_signs=without.unclear_signs | claimed)


def is_answered(answers: TriageAnswers, question: str) -> bool:
    """Whether the answers already hold a value for this question."""
    if question == WHOSE_SIGNS:
        return not answers.unclear_signs
    if question in SCREEN_QUESTIONS:
        return question in answers.screens
    screen = screen_of_pick_slot(question)
    if screen is not None:
        return screen in answers.picks
    if question == "age" and answers.age_withheld:
        return True
    return getattr(answers, question, None) is not None


def _with_measure_words(answers: TriageAnswers, findings: Findings, text: str) -> TriageAnswers:
    """Keep the sentence that gave a duration, score or age as the person's words for it."""
    parsed_words = {item.sign for item in findings.evidence}
    for question in ("pain_duration_days", "pain_score", "age"):
        if getattr(findings, question) is not None and question not in parsed_words:
            answers = _with_words(answers, question, "present", _sentence_with_number(text))
    return answers


def _sentence_with_number(text: str) -> str:
    """The first sentence of ``text`` with a digit in it, else the whole text."""
    sentences = [part.strip() for part in SENTENCE_END.split(text) if part.strip()]
    return next((part for part in sentences if any(c.isdigit() for c in part)), text.strip())


def _their_words(text: str, intent: str | None, answer: YesNo) -> str:
    """The reply as typed, or the title of the button pressed."""
    return BUTTON_WORDS[answer] if text.startswith("/") or not text.strip() else text.strip()


def _with_words(
    answers: TriageAnswers, question: str, status: SignStatus, words: str
) -> TriageAnswers:
    return replace(
        answers, evidence=add_evidence(answers.evidence, (Evidence(question, status, words),))
    )


def _read_pick(
    answers: TriageAnswers,
    screen: str,
    text: str,
    intent: str | None,
    picked: str | None,
    findings: Findings,
) -> TriageAnswers:
    """Read the reply to "which one?": a button, a sign named in words, a number, or several."""
    listed = screen_lists()[screen].items
    if picked == SEVERAL:
        return replace(answers, picks={**answers.picks, screen: SEVERAL})
    chosen = item(picked) if picked else None
    if chosen is None or not chosen.id.startswith(f"{screen}:"):
        chosen = item_named_by(screen, findings.present | findings.unsure)
    if chosen is None and not text.startswith("/"):
        number = parse_number_answer(text, 1, len(listed))
        chosen = listed[number - 1] if number is not None else None
    if chosen is not None:
        answers = replace(answers, picks={**answers.picks, screen: chosen.id})
        words = chosen.button if text.startswith("/") or not text.strip() else text.strip()
        return _with_words(answers, chosen.id, "present", words)
    undecided = intent in ("not_sure", "deny") or parse_yes_no(text) in ("unsure", "no")
    if undecided or SEVERAL_WORDS.intersection(answer_words(text)):
        return replace(answers, picks={**answers.picks, screen: SEVERAL})
    return answers


def read_reply(
    answers: TriageAnswers,
    question: str | None,
    text: str,
    intent: str | None,
    today: datetime.date | None = None,
    picked: str | None = None,
) -> ReplyReading:
    """Fold a reply into the answers, reading it as an answer to ``question``.

    ``picked`` is the item id a "which one?" button sent ("screen_emergency:2").
    """
    findings: Findings = parse(text or "", today=today)
    updated = _with_measure_words(merge_holding_unclear(answers, findings), findings, text or "")
    screen = screen_of_pick_slot(question)
    if question == WHOSE_SIGNS:
        answer = _yes_no(text, intent)
        if answer is not None:
            updated = claim_unclear_signs(updated, theirs=answer != "no")
    elif screen is not None:
        updated = _read_pick(updated, screen, text or "", intent, picked, findings)
    elif question and (not is_answered(updated, question) or intent in INTENT_ANSWERS):
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
        if answer is None:
            return answers
        answered = _answer_yes_no(answers, question, answer)
        return _with_words(
            answered, question, STATUS_OF[answer], _their_words(text, intent, answer)
        )
    if question == "pain_duration_days":
        days = parse_duration_answer(text, today)
        if days is None:
            return answers
        return _with_words(replace(answers, pain_duration_days=days), question, "present", text)
    if question == "pain_score":
        score = parse_number_answer(text, 0, 10)
        if score is None:
            return answers
        return _with_words(replace(answers, pain_score=score), question, "present", text)
    if question == "age":
        age = parse_number_answer(text, 0, 120)
        if age is not None:
            answered = replace(answers, age=age, age_withheld=False)
            return _with_words(answered, question, "present", text)
        if _withholds_age(text, intent):
            words = AGE_BUTTON_WORDS.get(intent or "", text) if text.startswith("/") else text
            return _with_words(replace(answers, age_withheld=True), "age", "unsure", words)
        return answers
    return answers


def _withholds_age(text: str, intent: str | None) -> bool:
    """ "prefer not to say", "not sure", "dunno", or the buttons that say so."""
    words = answer_words(text)
    if any(
        words[start : start + len(phrase)] == phrase
        for phrase in AGE_WITHHELD
        for start in range(len(words))
    ):
        return True
    return intent in ("not_sure", "deny") or parse_yes_no(text) == "unsure"
