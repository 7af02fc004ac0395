"""Rasa NLU component: intents and FAQ topics from one linear classifier.

It replaces DIETClassifier + ResponseSelector (and their featurizers) with
``kneecare.language.text_classifier``: as accurate on our held-out sentences,
far cheaper per message, seconds to train and no TensorFlow graph to build at
start-up (bench/NOTES.md has the figures).

One model ranks every label, FAQ topics (``faq/causes``) included. The intent
``faq`` gets the summed probability of its topics. A second model, trained
on the FAQ examples alone with TF-IDF features, then picks the topic, as
Rasa's ResponseSelector does after DIET: in cross-validation on data/nlu it
picked the right topic more often than the first model did, and the intents
and their confidences stay as they were (bench/NOTES.md);
``topic_weighting: none`` takes the topic from the first model instead. The
topic is written where ResponseSelector writes it (``response_selector.faq``),
so ``action_respond_faq`` ("utter_faq/<topic>"), the FallbackClassifier and
``/model/parse`` work as with the stock components.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers import LABEL_RANKING_LENGTH
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from kneecare.language.text_classifier import ClassifierSettings, TextClassifier

logger = logging.getLogger(__name__)

RESPONSES_FILE = "responses.json"
TOPICS_FOLDER = "topics"
NO_TOPIC_MODEL = "none"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(IntentClassifier, GraphComponent):
    """Intent classifier and FAQ response selector in one linear model."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        defaults = ClassifierSettings()
        return {
            "word_ngrams": list(defaults.word_ngrams),
            "char_ngrams": list(defaults.char_ngrams),
            "regularisation_c": defaults.regularisation_c,
            # the topic model of each retrieval intent (chosen by cross-validation)
            "topic_weighting": "tfidf",
            "topic_regularisation_c": 10.0,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["sklearn", "scipy"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: TextClassifier | None = None,
        responses: dict[str, list[dict[str, Any]]] | None = None,
        topic_classifiers: dict[str, TextClassifier] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classifier = classifier
        # by retrieval intent ("faq"): the model that picks its topic
        self._topic_classifiers = topic_classifiers or {}
        # the answers of each FAQ topic, shown in /model/parse like ResponseSelector does
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearIntentClassifier:
        return cls(config, model_storage, resource)

    def _settings(self, topics: bool = False) -> ClassifierSettings:
        return ClassifierSettings(
            word_ngrams=tuple(self._config["word_ngrams"]),
            char_ngrams=tuple(self._config["char_ngrams"]),
            regularisation_c=float(
                self._config["topic_regularisation_c" if topics else "regularisation_c"]
            ),
            weighting=str(self._config["topic_weighting"]) if topics else "binary",
        )

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        texts = [m.get(TEXT) for m in examples]
        labels = [m.get(INTENT_RESPONSE_KEY) or m.get(INTENT) for m in examples]
        self._classifier = TextClassifier.fit(texts, labels, self._settings())
        self._topic_classifiers = {}
        if self._config["topic_weighting"] != NO_TOPIC_MODEL:
            by_intent: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for text, label in zip(texts, labels, strict=True):
                if "/" in label:
                    by_intent[label.partition("/")[0]].append((text, label))
            self._topic_classifiers = {
                intent: TextClassifier.fit([text for text, _ in pairs],
                                           [label for _, label in pairs],
                                           self._settings(topics=True))
                for intent, pairs in by_intent.items()
                if len({label for _, label in pairs}) > 1  # one topic needs no choosing
            }
        answered = {_utter_action(label) for label in labels}
        self._responses = {
            key: value for key, value in training_data.responses.items() if key in answered
        }
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self._classifier is None:
            return
        with self._model_storage.write_to(self._resource) as directory:
            self._classifier.save(Path(directory))
            for intent, topic_classifier in self._topic_classifiers.items():
                topic_classifier.save(Path(directory) / TOPICS_FOLDER / intent)
            responses = json.dumps(self._responses)
            (Path(directory) / RESPONSES_FILE).write_text(responses, encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearIntentClassifier:
        with model_storage.read_from(resource) as directory:
            classifier = TextClassifier.load(Path(directory))
            responses = json.loads((Path(directory) / RESPONSES_FILE).read_text(encoding="utf-8"))
            topics = Path(directory) / TOPICS_FOLDER
            topic_classifiers = {
                folder.name: TextClassifier.load(folder)
                for folder in (sorted(topics.iterdir()) if topics.is_dir() else [])
            }
        return cls(config, model_storage, resource, classifier, responses, topic_classifiers)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._classifier is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if text:
                ranking = self._classifier.rank(text)
                self._classify(message, text, ranking, self._classifier.familiarity(text))
        return messages

    def _classify(
        self, message: Message, text: str, ranking: list[tuple[str, float]], familiarity: float
    ) -> None:
        """Intent confidences are probabilities scaled by the share of known words,
        so that a message of unknown words falls back instead of being forced
        into the likeliest intent (see ``TextClassifier.familiarity``).

        The topic model runs only when its retrieval intent comes first: the
        other selections are never answered from, and are shown with the first
        model's ranking (it saves about 2% of the server's time under load)."""
        intents: dict[str, float] = defaultdict(float)
        topics: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for label, probability in ranking:
            intent, _, topic = label.partition("/")
            intents[intent] += probability * familiarity
            if topic:
                topics[intent].append((label, probability))
        intent_ranking = [
            {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
            for name, confidence in sorted(intents.items(), key=lambda item: -item[1])
        ][:LABEL_RANKING_LENGTH]
        top = str(intent_ranking[0][INTENT_NAME_KEY])
        if top in topics and top in self._topic_classifiers:
            topics[top] = self._topic_classifiers[top].rank(text)
        message.set(INTENT, intent_ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, intent_ranking, add_to_output=True)
        selectors: dict[str, Any] = {RESPONSE_SELECTOR_RETRIEVAL_INTENTS: sorted(topics)}
        for retrieval_intent, candidates in topics.items():
            selectors[retrieval_intent] = self._selection(candidates)
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selectors, add_to_output=True)

    def _selection(self, candidates: list[tuple[str, float]]) -> dict[str, Any]:
        """The chosen topic, its confidence among the topics, as ResponseSelector reports it."""
        total = sum(probability for _, probability in candidates) or 1.0
        ranked = [
            {"id": index, PREDICTED_CONFIDENCE_KEY: probability / total, INTENT_RESPONSE_KEY: label}
            for index, (label, probability) in enumerate(candidates)
        ]
        best = ranked[0]
        utter_action = _utter_action(str(best[INTENT_RESPONSE_KEY]))
        return {
            RESPONSE_SELECTOR_PREDICTION_KEY: {
                RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(utter_action, []),
                PREDICTED_CONFIDENCE_KEY: best[PREDICTED_CONFIDENCE_KEY],
                INTENT_RESPONSE_KEY: best[INTENT_RESPONSE_KEY],
                RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter_action,
            },
            RESPONSE_SELECTOR_RANKING_KEY: ranked[:LABEL_RANKING_LENGTH],
        }


def _utter_action(intent_response_key: str) -> str:
    return f"utter_{intent_response_key}"
