"""Session start and restart (both leave the clinic's settings in the slots), and resuming
after a long pause part-way through the symptom questions (``kneecare.sessions``).

A messaging channel that sees someone return after clinic.yml's
``session_hours`` with the questions unfinished sends ``/offer_resume``
before and after their message. The first time, ``action_offer_resume`` puts
the answers aside and ends the questions, so the message is read on its own
(a red flag in it is acted on at once); the second time, it asks whether to
carry on or start again. ``action_resume_answers`` puts the answers back.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    EventType,
    Restarted,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import clinic_slot_events

PREVIOUS_ANSWERS = "previous_answers"
TRIAGE_FORM = "knee_triage_form"
# answers the triage keeps besides the form's own slots
TRIAGE_EXTRA_SLOTS = ("signs", "denied_signs", "unsure_signs", "unclear_signs", "sign_evidence")


class ActionSessionStart(Action):
    """Start a session with the clinic's details already known."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SessionStarted(), *clinic_slot_events(), ActionExecuted("action_listen")]


def triage_slots(domain: dict[str, Any]) -> set[str]:
    form = (domain.get("forms") or {}).get(TRIAGE_FORM) or {}
    return {*form.get("required_slots", ()), *TRIAGE_EXTRA_SLOTS}


class ActionOfferResume(Action):
    """Back after a long pause part-way through the questions: set the answers aside,
    then (called again after the person's message) ask whether to carry on."""

    NEEDS_DOMAIN = True  # the form's slot names (send_domain in domain.yml)

    def name(self) -> str:
        return "action_offer_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.active_loop_name == TRIAGE_FORM and not tracker.get_slot(PREVIOUS_ANSWERS):
            answers = {name: value for name, value in tracker.slots.items()
                       if value is not None and name in triage_slots(domain)}
            cleared = [SlotSet(name, None) for name in answers]
            return [ActiveLoop(None), SlotSet("requested_slot", None), *cleared,
                    SlotSet(PREVIOUS_ANSWERS, answers)]
        if tracker.get_slot(PREVIOUS_ANSWERS) and not tracker.active_loop_name:
            dispatcher.utter_message(response="utter_resume_offer")
        return []


class ActionResumeAnswers(Action):
    """The answers set aside, back in their slots."""

    NEEDS_DOMAIN = True  # which slots exist

    def name(self) -> str:
        return "action_resume_answers"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answers = tracker.get_slot(PREVIOUS_ANSWERS) or {}
        restored = [SlotSet(name, value) for name, value in answers.items()
                    if isinstance(name, str) and name in domain.get("slots", {})]
        return [*restored, SlotSet(PREVIOUS_ANSWERS, None)]


class ActionRestartConversation(Action):
    """Forget the conversation but keep the clinic's details for the replies."""

    def name(self) -> str:
        return "action_restart_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [Restarted(), *clinic_slot_events()]
