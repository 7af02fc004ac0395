"""Tells the rules whether this is the second misunderstood message in a row.

The first miss asks to rephrase and shows the menu; a second miss in a row
offers a person (the clinic's phone number) instead of looping. Rules in
data/rules/conversation.yml pick the reply from ``repeated_misunderstanding``.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

FALLBACK_INTENT = "nlu_fallback"


def previous_user_intent(events: list[dict[str, Any]]) -> str | None:
    """The intent of the user message before the latest one, if any."""
    user_events = [event for event in events if event.get("event") == "user"]
    if len(user_events) < 2:
        return None
    intent = (user_events[-2].get("parse_data") or {}).get("intent") or {}
    return intent.get("name")


class ActionCheckMisunderstanding(Action):
    """Sets ``repeated_misunderstanding`` for the fallback rules."""

    def name(self) -> str:
        return "action_check_misunderstanding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        repeated = previous_user_intent(tracker.events) == FALLBACK_INTENT
        return [SlotSet("repeated_misunderstanding", repeated)]
