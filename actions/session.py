"""Session start and restart: both leave the clinic's settings in the slots."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, Restarted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import clinic_slot_events


class ActionSessionStart(Action):
    """Start a session with the clinic's details already known."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SessionStarted(), *clinic_slot_events(), ActionExecuted("action_listen")]


class ActionRestartConversation(Action):
    """Forget the conversation but keep the clinic's details for the replies."""

    def name(self) -> str:
        return "action_restart_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [Restarted(), *clinic_slot_events()]
