"""Validation of ``knee_triage_form``: read each reply, decide the next question.

Every reply is read in full (kneecare.form_replies), so free text fills any
answer it contains, corrections replace earlier answers, and red flags end the
questions at once. The order of questions and the early stop come from
``kneecare.triage.next_questions``; this class only turns them into events.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.clinic import triage_thresholds
from actions.triage_slots import answers_from_slots, changed_slot_events
from kneecare.form_replies import read_reply
from kneecare.triage.assess import next_questions

logger = logging.getLogger(__name__)


class ValidateKneeTriageForm(FormValidationAction):
    """Fills the triage answers from free text and picks the next question."""

    def name(self) -> str:
        return "validate_knee_triage_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        before = answers_from_slots(tracker.slots)
        asked = tracker.get_slot("requested_slot") if tracker.active_loop_name else None
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        reading = read_reply(
            before, asked, message.get("text") or "", intent, datetime.date.today()
        )
        remaining = next_questions(reading.answers, triage_thresholds())

        if asked and not reading.learned_something and not reading.unclear:
            # Not an answer (an FAQ question, "stop", ...): let the rules reply.
            return []
        events = changed_slot_events(before, reading.answers)
        unclear = reading.unclear and asked in remaining
        if unclear:
            # A SlotSet keeps the form active; the question's "unclear"
            # variation then asks again with an example.
            events.append(SlotSet(asked, None))
        if unclear or tracker.get_slot("answer_unclear"):
            events.append(SlotSet("answer_unclear", unclear))
        events.append(SlotSet("requested_slot", remaining[0] if remaining else None))
        return events
