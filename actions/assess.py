"""``action_assess_knee_pain``: decide the triage outcome and flag it for staff.

Reads the answers from the slots, asks ``kneecare.triage.assess`` for the
outcome and sets ``triage_level``, ``triage_reasons``, ``red_flags`` and the
``triage_why`` text; rules in data/rules/triage.yml then give the matching
response. Flagged outcomes are stored as cases for reception. If the
assessment fails, ``assessment_failed`` makes a rule tell the person how to
get help instead of leaving them with silence; if only storing the case
fails (it then waits in the case store's outbox), the person still gets their
outcome, ``case_saved`` says so, and ``utter_case_not_saved`` tells them to
call the clinic rather than wait (not after an emergency outcome, which
already says to call 999 and not wait for the clinic).

An outcome is only given when the form really finished: if questions that
could change it are still unanswered (a failed action call can end the form
early), the answers are not assessed as if "unknown" meant "no", which would
tell someone with a red flag to look after themselves at home; the person
gets the failed-assessment message with the clinic, 111 and 999 instead.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import triage_thresholds
from actions.message_metadata import client_key_of
from actions.triage_slots import answers_from_slots
from kneecare.explain import explain
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome, assess, next_questions, with_unclear_signs
from kneecare.triage.reported_signs import user_messages, with_reported_signs

logger = logging.getLogger(__name__)


class IncompleteAnswers(RuntimeError):
    """The form ended before every question that could change the outcome was answered."""

    def __init__(self, unanswered: list[str]) -> None:
        super().__init__(f"unanswered triage questions: {', '.join(unanswered)}")


def store_case(tracker: Tracker, outcome: Outcome, answers: TriageAnswers) -> bool:
    """Store a flagged outcome for staff; False (and a log line) if that failed."""
    from kneecare.cases import CaseKeptInOutbox, record_triage_case  # opened lazily

    try:
        record_triage_case(
            tracker.sender_id, tracker.get_latest_input_channel() or "unknown", outcome, answers,
            client_key=client_key_of(tracker),
        )
    except CaseKeptInOutbox:  # logged by the store, retried from the outbox
        logger.warning("the triage case of %s waits in the outbox", tracker.sender_id)
        return False
    except Exception:
        logger.exception("could not store the triage case of conversation %s", tracker.sender_id)
        return False
    return True


class ActionAssessKneePain(Action):
    """Applies the clinical criteria to the answers and records the outcome."""

    def name(self) -> str:
        return "action_assess_knee_pain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            # signs whose owner was never made clear count as the person's: the safe
            # reading; signs of messages the form never saw (the action server was
            # down) are read back from the stored messages
            answers = with_reported_signs(
                with_unclear_signs(answers_from_slots(tracker.slots)),
                user_messages(tracker.events),
            )
            unanswered = next_questions(answers, triage_thresholds())
            if unanswered:
                raise IncompleteAnswers(unanswered)
            outcome = assess(answers, triage_thresholds())
            why = explain(outcome, answers)
            brief = explain(outcome, answers, recap=False)
        except Exception:  # the person must never be left with silence
            logger.exception("triage assessment failed for conversation %s", tracker.sender_id)
            return [SlotSet("assessment_failed", True), SlotSet("triage_level", None)]
        saved = store_case(tracker, outcome, answers) if outcome.flag_for_staff else None
        if saved is False and outcome.level != "emergency":
            dispatcher.utter_message(response="utter_case_not_saved")
        return [
            SlotSet("assessment_failed", False),
            SlotSet("triage_why", why),
            SlotSet("triage_why_brief", brief),
            SlotSet("triage_level", outcome.level),
            SlotSet("triage_reasons", list(outcome.reasons)),
            SlotSet("red_flags", list(outcome.red_flags)),
            SlotSet("case_saved", saved),
        ]
