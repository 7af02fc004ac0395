"""Answers clinic questions (``clinic/<topic>``) from clinic.yml.

The NLU picks the topic; ``kneecare.clinic_answers`` renders the answer from the
clinic's settings, so a clinic edits clinic.yml without retraining.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.clinic import clinic
from kneecare.clinic_answers import answers, topics_to_answer


class ActionAnswerClinicQuestion(Action):
    """Says the clinic's answer to the topic (or two) the person asked about."""

    def name(self) -> str:
        return "action_answer_clinic_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        selection = (message.get("response_selector") or {}).get("clinic") or {}
        ranking = [
            (str(item.get("intent_response_key", "")).partition("/")[2],
             float(item.get("confidence", 0)))
            for item in selection.get("ranking") or []
        ]
        text = message.get("text") or ""
        dispatcher.utter_message(text=answers(topics_to_answer(ranking, text), clinic(), text))
        return []
