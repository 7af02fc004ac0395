"""The Rasa component: trained and loaded through Rasa's model storage, output as Rasa reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu_components.linear_intent_classifier import LinearIntentClassifier

EXAMPLES = {
    "greet": ["hello", "hi there", "good morning", "hey"],
    "goodbye": ["bye", "see you", "goodbye", "cheerio"],
    "faq/footwear": ["which shoes help knees", "are trainers good", "best footwear for walking",
                     "do insoles help"],
    "faq/walking_distance": ["how far can i walk", "how many steps a day", "is a long walk ok",
                             "how much walking is too much"],
}
RESPONSES = {
    "utter_faq/footwear": [{"text": "Supportive, cushioned shoes."}],
    "utter_faq/walking_distance": [{"text": "Build up gradually."}],
    "utter_greet": [{"text": "Hello!"}],
}


def _training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent, _, _ = label.partition("/")
        for text in texts:
            data = {"text": text, "intent": intent}
            if "/" in label:
                data["intent_response_key"] = label
            messages.append(Message(data=data))
    return TrainingData(training_examples=messages, responses=RESPONSES)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalModelStorage, Resource]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("storage")))
    resource = Resource("linear_intent_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({}, storage, resource, context)
    component.train(_training_data())
    return storage, resource


def _loaded(
    trained: tuple[LocalModelStorage, Resource], config: dict | None = None
) -> LinearIntentClassifier:
    storage, resource = trained
    context = ExecutionContext(GraphSchema({}), "test")
    return LinearIntentClassifier.load(config or {}, storage, resource, context)


@pytest.fixture(scope="module")
def trained_without_topic_model(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[LocalModelStorage, Resource]:
    storage = LocalModelStorage(Path(tmp_path_factory.mktemp("storage")))
    resource = Resource("linear_intent_classifier")
    context = ExecutionContext(GraphSchema({}), "test")
    component = LinearIntentClassifier.create({"topic_weighting": "none"}, storage, resource,
                                              context)
    component.train(_training_data())
    return storage, resource


def _process(component: LinearIntentClassifier, text: str) -> dict:
    message = Message(data={"text": text})
    component.process([message])
    return message.as_dict(only_output_properties=True)


def test_faq_topic_becomes_the_faq_intent_and_a_selected_response(trained) -> None:
    parsed = _process(_loaded(trained), "what shoes are good for walking")
    assert parsed["intent"]["name"] == "faq"
    selector = parsed["response_selector"]
    assert selector["all_retrieval_intents"] == ["faq"]
    response = selector["faq"]["response"]
    assert response["intent_response_key"] == "faq/footwear"
    assert response["utter_action"] == "utter_faq/footwear"
    assert response["responses"] == RESPONSES["utter_faq/footwear"]
    ranking = selector["faq"]["ranking"]
    assert [r["intent_response_key"] for r in ranking] == ["faq/footwear", "faq/walking_distance"]
    assert sum(r["confidence"] for r in ranking) == pytest.approx(1.0)  # among the topics


def test_faq_intent_confidence_is_the_sum_of_its_topics(trained) -> None:
    component = _loaded(trained)
    parsed = _process(component, "how far can i walk in these shoes")
    text = "how far can i walk in these shoes"
    topic_probabilities = dict(component._classifier.rank(text))
    faq = next(item for item in parsed["intent_ranking"] if item["name"] == "faq")
    assert faq["confidence"] == pytest.approx(
        (topic_probabilities["faq/footwear"] + topic_probabilities["faq/walking_distance"])
        * component._classifier.familiarity(text)
    )


@pytest.mark.parametrize("text", ["flibble wotsit", "asdfgh", "zzzz qqqq xxxx"])
def test_unknown_words_get_no_confident_intent(trained, text: str) -> None:
    parsed = _process(_loaded(trained), text)
    assert parsed["intent"]["confidence"] == 0.0  # the FallbackClassifier will ask to rephrase


@pytest.mark.parametrize(("text", "intent"), [("hello", "greet"), ("bye bye", "goodbye")])
def test_other_intents_are_ranked_with_confidences(trained, text: str, intent: str) -> None:
    parsed = _process(_loaded(trained), text)
    assert parsed["intent"]["name"] == intent
    names = [item["name"] for item in parsed["intent_ranking"]]
    assert _loaded(trained)._classifier.familiarity(text) == 1.0
    assert sorted(names) == ["faq", "goodbye", "greet"]
    assert sum(item["confidence"] for item in parsed["intent_ranking"]) == pytest.approx(1.0)


def test_message_without_text_is_left_alone(trained) -> None:
    message = Message(data={"text": ""})
    _loaded(trained).process([message])
    assert message.get("intent") is None


def test_untrained_component_leaves_messages_alone(tmp_path: Path) -> None:
    component = LinearIntentClassifier.create(
        {}, LocalModelStorage(tmp_path), Resource("x"), ExecutionContext(GraphSchema({}), "t")
    )
    message = Message(data={"text": "hello"})
    component.process([message])
    assert message.get("intent") is None


PROBES = ["what shoes are good for walking", "how far can i walk in these shoes", "hello",
          "walk walk shoes", "bye", "is a long walk in trainers ok"]


def test_the_topic_is_chosen_by_the_topic_model_and_the_intents_stay_the_same(
    trained, trained_without_topic_model
) -> None:
    with_topics = _loaded(trained)
    without = _loaded(trained_without_topic_model)
    assert set(with_topics._topic_classifiers) == {"faq"}
    assert with_topics._topic_classifiers["faq"].settings.weighting == "tfidf"
    assert without._topic_classifiers == {}
    intents_seen = set()
    for text in PROBES:
        ours, flat = _process(with_topics, text), _process(without, text)
        assert ours["intent"] == flat["intent"] and ours["intent_ranking"] == flat["intent_ranking"]
        intents_seen.add(ours["intent"]["name"])
        if ours["intent"]["name"] == "faq":  # the topic model picks the topic that is answered
            chosen = with_topics._topic_classifiers["faq"].rank(text)
        else:  # nothing is answered from it: the first model's ranking, as without the model
            chosen = [(r["intent_response_key"], r["confidence"])
                      for r in flat["response_selector"]["faq"]["ranking"]]
        ranking = ours["response_selector"]["faq"]["ranking"]
        assert [r["intent_response_key"] for r in ranking] == [label for label, _ in chosen]
        assert [r["confidence"] for r in ranking] == pytest.approx([p for _, p in chosen])
        assert ours["response_selector"]["faq"]["response"]["intent_response_key"] == chosen[0][0]
    assert {"faq", "greet", "goodbye"} <= intents_seen
