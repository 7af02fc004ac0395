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
from kneecare.triage.assess import (
    assess,
    follow_up_questions,
    next_questions,
    with_unclear_signs,
)

logger = logging.getLogger(__name__)


# sent by the channels, never an answer to a question (actions/session.py)
NOT_ANSWERS = frozenset({"offer_resume"})


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
        if intent in NOT_ANSWERS:
            return []  # the form steps aside (Rasa rejects it) and a rule replies
        picked = next(tracker.get_latest_entity_values("sign_pick"), None)
        reading = read_reply(
            before,
            asked,
            message.get("text") or "",
            intent,
            datetime.date.today(),
            picked if isinstance(picked, str) else None,
        )
        thresholds = triage_thresholds()
        follow_ups = follow_up_questions(reading.answers, thresholds)
        remaining = follow_ups + next_questions(reading.answers, thresholds)

        if asked and not reading.learned_something and not reading.unclear:
            # Not an answer (an FAQ question, "stop", ...): the form steps aside
            # (Rasa rejects it: no answer was set) and the rules reply. Back in
            # the form afterwards, the question is the one next_questions gives,
            # never Rasa's first empty slot of the domain's list.
            return [SlotSet("requested_slot", remaining[0] if remaining else None)]
        events = changed_slot_events(before, reading.answers)
        unclear = reading.unclear and asked in remaining
        if unclear:
            # A SlotSet keeps the form active; the question's "unclear"
            # variation then asks again with an example.
            events.append(SlotSet(asked, None))
        # always a boolean: the questions' variations about someone else need "false"
        events.append(SlotSet("answer_unclear", unclear))
        if (
            follow_ups
            and not tracker.get_slot("emergency_advice_given")
            and assess(with_unclear_signs(reading.answers), thresholds).level == "emergency"
        ):
            # The emergency advice first, then "which one?" (or "whose?"): no one waits.
            dispatcher.utter_message(response="utter_emergency_advice_first")
            events.append(SlotSet("emergency_advice_given", True))
        events.append(SlotSet("requested_slot", remaining[0] if remaining else None))
        return events
