"""``action_assess_knee_pain``: decide the triage outcome.

Reads the answers from the slots, asks ``kneecare.triage.assess`` for the
outcome and sets ``triage_level``, ``triage_reasons``, ``red_flags`` and the
``triage_why`` text; rules in data/rules/triage.yml then give the matching
response. If anything fails, ``assessment_failed`` makes a rule tell the
person how to get help instead of leaving them with silence.
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
            return [SlotSet("assessment_failed", True), SlotSet("triage_level", None)]
        return [
            SlotSet("assessment_failed", False),
            SlotSet("triage_why", why),
            SlotSet("triage_level", outcome.level),
            SlotSet("triage_reasons", list(outcome.reasons)),
            SlotSet("red_flags", list(outcome.red_flags)),
        ]
