"""kneecare.language.message_route: questions are not reports, and the classifier
alone never starts the urgent path (issue 14 items 3, 4 and 6). New wordings,
none taken from the issue."""

from __future__ import annotations

import pytest

from kneecare.language.message_route import (
    CONFIRM_SIGN_INTENT,
    RED_FLAG_INTENT,
    confirmation_question,
    route_message,
)
from kneecare.language.parse import parse

URGENT_OR_CONFIRM = {RED_FLAG_INTENT, CONFIRM_SIGN_INTENT}
# a classifier that is sure of report_red_flag, and a second guess
CLASSIFIER_SAYS_RED_FLAG = [("report_red_flag", 0.8), ("faq", 0.15), ("out_of_scope", 0.05)]
CLASSIFIER_SAYS_FAQ = [("faq", 0.9), ("report_knee_pain", 0.05)]


def _route(text: str, ranking: list[tuple[str, float]] = CLASSIFIER_SAYS_FAQ) -> str | None:
    return route_message(text, parse(text), ranking).intent


@pytest.mark.parametrize(
    "text",
    [
        "how do I make the puffiness round my kneecap settle down faster?",
        "any tips for shrinking a swollen knee after a long hike",
        "what does it mean when a knee keeps catching on the stairs?",
        "what should you do when a knee locks up and won't unlock?",
    ],
)
def test_a_question_about_a_sign_never_starts_the_urgent_path(text: str) -> None:
    assert _route(text) != RED_FLAG_INTENT


@pytest.mark.parametrize(
    "text, expected",
    [
        # same-day sign in a personal question: one confirmation first
        ("my knee blew up like a balloon within an hour of twisting it at hockey, is ice best?",
         CONFIRM_SIGN_INTENT),
        # hedged report of a same-day sign: confirmation first
        ("I think my knee might be stuck, it won't go straight since this morning",
         CONFIRM_SIGN_INTENT),
        # emergency about the writer's own knee inside a question: at once
        ("do I need A&E? my knee is red and burning hot and I'm shivering with a temperature",
         RED_FLAG_INTENT),
        # a plain report of a same-day sign: the red-flag path, as before
        ("twisted my knee at badminton and it swelled up straight away, huge within the hour",
         RED_FLAG_INTENT),
    ],
)
def test_signs_in_questions_and_hedges(text: str, expected: str) -> None:
    assert _route(text) == expected


@pytest.mark.parametrize(
    "text, expected_instead",
    [
        ("how much should I set aside each month for physio sessions?", "faq"),
        ("is a 10k plan over eight weeks too ambitious for a beginner?", "faq"),
        ("which running shoes have the most cushioning?", "faq"),
    ],
)
def test_the_classifier_alone_never_starts_the_urgent_path(
    text: str, expected_instead: str
) -> None:
    assert _route(text, CLASSIFIER_SAYS_RED_FLAG) == expected_instead


def test_a_knee_statement_the_classifier_alone_calls_urgent_starts_the_symptom_check() -> None:
    ranking = [("report_red_flag", 0.9), ("faq", 0.05)]
    assert _route("my knee has felt odd since the weekend", ranking) == "report_knee_pain"


@pytest.mark.parametrize(
    "text",
    [
        "my heel throbs every morning when I get out of bed, what helps?",
        "lower back has been aching since I started the new job, any advice",
        "sharp pain in my ankle after parkrun",
    ],
)
def test_another_body_part_is_out_of_scope(text: str) -> None:
    assert _route(text, [("faq", 0.7), ("report_knee_pain", 0.2)]) == "out_of_scope"


def test_a_torn_meniscus_is_a_knee_question() -> None:
    assert _route("is it safe to keep walking on a torn meniscus?") is None


def test_the_confirmation_question_names_the_sign_in_plain_words() -> None:
    question = confirmation_question(("rapid_swelling",))
    assert "swelled up within a couple of hours of an injury" in question
    assert question.endswith("?")
