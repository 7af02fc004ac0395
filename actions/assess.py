"""``action_assess_knee_pain``: decide the triage outcome and tell the person.

Reads the answers from the slots, asks ``kneecare.triage.assess`` for the
outcome, and sends the matching response with the reasons filled in. If
anything fails, the person is told how to get help instead of hearing nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import triage_thresholds
from actions.triage_slots import answers_from_slots
from kneecare.explain import explain
from kneecare.triage.assess import assess

logger = logging.getLogger(__name__)


class ActionAssessKneePain(Action):
    """Applies the clinical criteria to the answers and gives the outcome."""

    def name(self) -> str:
        return "action_assess_knee_pain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            answers = answers_from_slots(tracker.slots)
            outcome = assess(answers, triage_thresholds())
            why = explain(outcome, answers)
        except Exception:  # the person must never be left with silence
            logger.exception("triage assessment failed for conversation %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_assessment_failed")
            return []
        dispatcher.utter_message(response=f"utter_outcome_{outcome.level}", why=why)
        if outcome.level == "self_care":
            dispatcher.utter_message(response="utter_self_care_advice")
        return [
            SlotSet("triage_level", outcome.level),
            SlotSet("triage_reasons", list(outcome.reasons)),
            SlotSet("red_flags", list(outcome.red_flags)),
        ]
