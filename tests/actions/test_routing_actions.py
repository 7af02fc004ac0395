"""The issue-14 actions: confirm a sign, answer a clinic question, redirect
another body part, offer "Did you mean ...?"."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic_questions import ActionAnswerClinicQuestion
from actions.routing import (
    ActionAnswerChosenTopic,
    ActionAnswerPendingQuestion,
    ActionAskToConfirmSign,
    ActionClarifyFaq,
    ActionConfirmSign,
    ActionRedirectOutOfScope,
)
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets


def _selector(intent: str, ranking: list[tuple[str, float]]) -> dict[str, Any]:
    items = [{"intent_response_key": key, "confidence": share} for key, share in ranking]
    return {intent: {"response": {"intent_response_key": ranking[0][0]}, "ranking": items}}


async def test_a_sign_in_a_question_is_named_with_yes_no_not_sure() -> None:
    text = "my knee ballooned within an hour of twisting it on the stairs, should I ice it?"
    tracker = make_tracker(text=text, intent="confirm_sign")
    tracker.latest_message["intent_ranking"] = [{"name": "confirm_sign"}, {"name": "faq"}]
    tracker.latest_message["response_selector"] = _selector("faq", [("faq/self_care", 0.7)])
    dispatcher = CollectingDispatcher()
    events = await ActionAskToConfirmSign().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert "swelled up within a couple of hours of an injury" in message["text"]
    assert [b["title"] for b in message["buttons"]] == ["Yes", "No", "Not sure"]
    assert slot_sets(events) == {
        "signs_to_confirm": ["rapid_swelling"],
        "pending_faq_topic": "faq/self_care",
    }


@pytest.mark.parametrize("intent, slot", [("affirm", "signs"), ("not_sure", "unsure_signs")])
async def test_yes_or_not_sure_adds_the_signs(intent: str, slot: str) -> None:
    tracker = make_tracker(slots={"signs_to_confirm": ["knee_locked"]}, intent=intent)
    events = await ActionConfirmSign().run(CollectingDispatcher(), tracker, DOMAIN)
    assert slot_sets(events)[slot] == ["knee_locked"]


async def test_no_answers_the_question_after_all() -> None:
    tracker = make_tracker(slots={"pending_faq_topic": "faq/self_care"}, intent="deny")
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerPendingQuestion().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_faq/self_care",
        "utter_faq_next_step",
    ]
    assert slot_sets(events) == {"signs_to_confirm": None, "pending_faq_topic": None}


@pytest.mark.parametrize(
    "text, ranking, expected",
    [
        ("what do you charge, and can I put it through my AXA policy?",
         [("clinic/fees", 0.6), ("clinic/insurance", 0.3)], ["£65", "registered with AXA"]),
        ("where exactly are you and can I park outside?",
         [("clinic/address", 0.5), ("clinic/parking", 0.4)], ["Example Street", "parking"]),
    ],
)
async def test_clinic_questions_get_the_clinics_answers(
    text: str, ranking: list[tuple[str, float]], expected: list[str]
) -> None:
    tracker = make_tracker(text=text, intent="clinic")
    tracker.latest_message["response_selector"] = _selector("clinic", ranking)
    dispatcher = CollectingDispatcher()
    await ActionAnswerClinicQuestion().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    for words in expected:
        assert words in message["text"]


@pytest.mark.parametrize(
    "text, response, part",
    [
        ("my heel aches all day on my feet, what can I do?", "utter_other_body_part", "heel"),
        ("what's the weather like tomorrow", "utter_out_of_scope", None),
    ],
)
async def test_out_of_scope_names_the_body_part(text: str, response: str, part: str | None) -> None:
    dispatcher = CollectingDispatcher()
    await ActionRedirectOutOfScope().run(dispatcher, make_tracker(text=text), DOMAIN)
    [message] = dispatcher.messages
    assert message["response"] == response
    assert message.get("body_part") == part


async def test_did_you_mean_offers_two_topics_and_something_else() -> None:
    tracker = make_tracker(text="ache after long walks in boots", intent="clarify_faq")
    tracker.latest_message["response_selector"] = _selector(
        "faq", [("faq/footwear", 0.3), ("faq/causes", 0.28), ("faq/self_care", 0.1)]
    )
    dispatcher = CollectingDispatcher()
    await ActionClarifyFaq().run(dispatcher, tracker, DOMAIN)
    [message] = dispatcher.messages
    assert [b["title"] for b in message["buttons"]] == [
        "Shoes and insoles", "Why knees hurt when walking", "Something else"
    ]
    assert message["buttons"][0]["payload"] == '/choose_faq_topic{"faq_topic": "faq/footwear"}'


@pytest.mark.parametrize(
    "topic, response",
    [("faq/footwear", "utter_faq/footwear"), ("faq/made_up", "utter_please_rephrase")],
)
async def test_the_chosen_topic_is_answered(topic: str, response: str) -> None:
    tracker = make_tracker(intent="choose_faq_topic")
    tracker.latest_message["entities"] = [{"entity": "faq_topic", "value": topic}]
    dispatcher = CollectingDispatcher()
    await ActionAnswerChosenTopic().run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == [response]
