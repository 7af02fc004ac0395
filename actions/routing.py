"""The replies of issue 14's routing: confirm a sign before acting on it, and
redirect messages about other body parts.

The decisions are made in ``kneecare.language.message_route`` and
``kneecare.language.routing``; these actions only read the latest message,
call them and emit the reply and slots.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from kneecare.language.clarify import TOPIC_TITLES, choices
from kneecare.language.message_route import (
    CONFIRM_SIGN_INTENT,
    confirmation_question,
    signs_to_confirm,
)
from kneecare.language.parse import parse
from kneecare.language.routing import other_body_part
from kneecare.triage.answers import TriageAnswers, merge
from kneecare.triage.assess import red_flags

ANSWER_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/not_sure"},
]


def _faq_topic(message: dict[str, Any]) -> str | None:
    """The FAQ topic the classifier chose when faq was its best guess after the routing."""
    ranking = [item.get("name") for item in message.get("intent_ranking") or []]
    asked = next((name for name in ranking if name != CONFIRM_SIGN_INTENT), None)
    if asked != "faq":
        return None
    selection = (message.get("response_selector") or {}).get("faq") or {}
    key = (selection.get("response") or {}).get("intent_response_key")
    return str(key) if key else None


class ActionAskToConfirmSign(Action):
    """Names the sign found in a question or hedged message and asks Yes / No / Not sure."""

    def name(self) -> str:
        return "action_ask_to_confirm_sign"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        findings = parse(message.get("text") or "")
        signs = signs_to_confirm(findings, red_flags(merge(TriageAnswers(), findings)))
        dispatcher.utter_message(text=confirmation_question(signs), buttons=ANSWER_BUTTONS)
        return [
            SlotSet("signs_to_confirm", list(signs)),
            SlotSet("pending_faq_topic", _faq_topic(message)),
        ]


class ActionConfirmSign(Action):
    """Yes adds the signs to what the person said; Not sure to what they doubt."""

    def name(self) -> str:
        return "action_confirm_sign"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        signs = list(tracker.get_slot("signs_to_confirm") or [])
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        slot = "signs" if intent == "affirm" else "unsure_signs"
        known = list(tracker.get_slot(slot) or [])
        return [
            SlotSet(slot, list(dict.fromkeys([*known, *signs]))),
            SlotSet("signs_to_confirm", None),
            SlotSet("pending_faq_topic", None),
        ]


class ActionAnswerPendingQuestion(Action):
    """No: the question that carried the sign gets its answer after all."""

    def name(self) -> str:
        return "action_answer_pending_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = tracker.get_slot("pending_faq_topic")
        if topic:
            dispatcher.utter_message(response=f"utter_{topic}")
            dispatcher.utter_message(response="utter_faq_next_step")
        else:
            dispatcher.utter_message(response="utter_menu")
        return [SlotSet("signs_to_confirm", None), SlotSet("pending_faq_topic", None)]


class ActionRedirectOutOfScope(Action):
    """Names the other body part in the redirect; the general scope message otherwise."""

    def name(self) -> str:
        return "action_redirect_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        part = other_body_part((tracker.latest_message or {}).get("text") or "")
        if part:
            dispatcher.utter_message(response="utter_other_body_part", body_part=part)
        else:
            dispatcher.utter_message(response="utter_out_of_scope")
        return []


class ActionClarifyFaq(Action):
    """ "Did you mean ...?" with the two closest FAQ topics and "Something else"."""

    def name(self) -> str:
        return "action_clarify_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        selection = ((tracker.latest_message or {}).get("response_selector") or {}).get("faq") or {}
        topics = [str(item.get("intent_response_key")) for item in selection.get("ranking") or []]
        buttons = [
            {"title": title, "payload": f'/choose_faq_topic{{"faq_topic": "{topic}"}}'}
            for title, topic in choices(topics)
        ]
        buttons.append({"title": "Something else", "payload": "/deny"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []


class ActionAnswerChosenTopic(Action):
    """The FAQ answer of the topic the person picked from "Did you mean ...?"."""

    def name(self) -> str:
        return "action_answer_chosen_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = next(tracker.get_latest_entity_values("faq_topic"), None)
        if topic in TOPIC_TITLES:
            dispatcher.utter_message(response=f"utter_{topic}")
        else:
            dispatcher.utter_message(response="utter_please_rephrase")
        return []
