"""Rasa NLU component wrapping the rule-based spaCy parser of ``kneecare``.

It adds the parser's findings to each message as entities, and corrects the
classifier by the rules of ``kneecare.language.message_route``: a red flag the
parser finds becomes ``report_red_flag`` (an emergency at once; a same-day or
GP-level sign in a question or a hedged message ``confirm_sign`` first); the
classifier's own ``report_red_flag`` is demoted; another body part becomes
``out_of_scope``; a plain description of one's own knee ``report_knee_pain``.
Urgent advice therefore never depends on a statistical guess.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME, RESPONSE_SELECTOR_RANKING_KEY
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from kneecare.language.clarify import CLARIFY_INTENT, needs_clarification
from kneecare.language.entities import extract_entities
from kneecare.language.message_route import route_message
from kneecare.language.parse import parse
from kneecare.language.pipeline import load_pipeline

logger = logging.getLogger(__name__)

EXTRACTOR_NAME = "KneeSymptomExtractor"


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
    ],
    is_trainable=False,
)
class KneeSymptomExtractor(GraphComponent):
    """Extracts knee symptoms and routes red flags to ``report_red_flag``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"route_red_flags": True}

    def __init__(self, config: dict[str, Any]) -> None:
        self._route_red_flags = bool(config.get("route_red_flags", True))
        load_pipeline()  # load once at start-up, not on the first message

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KneeSymptomExtractor:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue  # button payloads carry their own intent
            entities = [*message.get(ENTITIES, []), *self._entities(text)]
            message.set(ENTITIES, entities, add_to_output=True)
            if not self._route_red_flags:
                continue
            ranking = [
                (str(item.get(INTENT_NAME_KEY)), float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
                for item in message.get(INTENT_RANKING_KEY) or []
            ]
            route = route_message(text, parse(text), ranking)
            if route.intent is not None:
                self._set_intent(message, route.intent)
            final = route.intent or (ranking[0][0] if ranking else None)
            if final == "faq" and needs_clarification(self._faq_confidences(message)):
                self._set_intent(message, CLARIFY_INTENT)
        return messages

    @staticmethod
    def _faq_confidences(message: Message) -> list[float]:
        selection = (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get("faq") or {}
        ranking = selection.get(RESPONSE_SELECTOR_RANKING_KEY) or []
        return [float(item.get(PREDICTED_CONFIDENCE_KEY, 0.0)) for item in ranking]

    @staticmethod
    def _entities(text: str) -> list[dict[str, Any]]:
        return [{**entity, "extractor": EXTRACTOR_NAME} for entity in extract_entities(text)]

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
        ranking = [
            item
            for item in message.get(INTENT_RANKING_KEY) or []
            if item.get(INTENT_NAME_KEY) != name
        ]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
