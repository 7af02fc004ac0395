"""validate_knee_triage_form turns each reply into slot events and the next question.

Table-driven: the tracker as Rasa hands it to the action (the question asked,
the reply and its intent, the answers so far) and the events that come back.
tests/actions/test_triage_form_action.py follows whole outcomes through the form.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.triage_form import ValidateKneeTriageForm
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets

FORM = "knee_triage_form"
SCREENS_CLEAR = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no",
                 "injury": False}
ALL_BUT_PAIN_SCORE = {**SCREENS_CLEAR, "pain_duration_days": 20, "limits_activity": False,
                      "alters_gait": False, "age": 40}


def asked(slot: str | None, text: str, intent: str | None,
          slots: dict[str, Any] | None = None) -> Tracker:
    """The form waiting for ``slot`` (None: the form is not running) when ``text`` arrives."""
    return make_tracker({**(slots or {}), "requested_slot": slot}, text, intent,
                        active_loop=FORM if slot else None)


async def run_form(tracker: Tracker) -> tuple[list[dict[str, Any]], list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateKneeTriageForm().run(dispatcher, tracker, DOMAIN)
    return events, [message["response"] for message in dispatcher.messages]


@pytest.mark.parametrize(("tracker", "expected"), [
    pytest.param(asked("pain_score", "7", None, ALL_BUT_PAIN_SCORE),
                 {"pain_score": 7, "answer_unclear": False, "requested_slot": None},
                 id="the last answer ends the questions"),
    pytest.param(asked("pain_duration_days", "about three weeks", None, SCREENS_CLEAR),
                 {"pain_duration_days": 21.0, "answer_unclear": False,
                  "requested_slot": "limits_activity"},
                 id="an answer in words is read and the next question asked"),
    pytest.param(asked("pain_score", "banana", None, ALL_BUT_PAIN_SCORE),
                 {"pain_score": None, "answer_unclear": True, "requested_slot": "pain_score"},
                 id="a reply that is no answer asks the same question again"),
    pytest.param(asked("screen_same_day", "does massage help?", "faq",
                       {"screen_emergency": "no"}),
                 {"requested_slot": "screen_same_day"},
                 id="a question of their own sets no answer and keeps the place"),
    pytest.param(asked(None, "my knee has hurt for two weeks", "report_knee_pain"),
                 {"pain_duration_days": 14.0, "answer_unclear": False,
                  "requested_slot": "screen_emergency"},
                 id="the first message fills what it says and the first screen is asked"),
])
async def test_a_reply_sets_its_answers_and_the_next_question(
    tracker: Tracker, expected: dict[str, Any]
) -> None:
    events, sent = await run_form(tracker)
    set_now = slot_sets(events)
    assert sent == []
    assert {name: set_now.get(name, "not set") for name in expected} == expected
    assert set(set_now) - set(expected) <= {"sign_evidence"}


async def test_the_offer_to_resume_is_left_to_the_rules() -> None:
    events, sent = await run_form(asked("pain_score", "/offer_resume", "offer_resume",
                                        SCREENS_CLEAR))
    assert events == [] and sent == []


@pytest.mark.parametrize(("already_given", "sent_now"), [
    (None, ["utter_emergency_advice_first"]),
    (True, []),
])
async def test_the_emergency_advice_comes_once_before_which_sign(
    already_given: bool | None, sent_now: list[str]
) -> None:
    events, sent = await run_form(asked("screen_emergency", "yes", "affirm",
                                        {"emergency_advice_given": already_given}))
    set_now = slot_sets(events)
    assert sent == sent_now
    assert set_now["screen_emergency"] == "yes"
    assert set_now["requested_slot"] == "which_emergency_sign"
    assert set_now.get("emergency_advice_given") is (True if sent_now else None)

