"""The sequential runner computes exactly what Rasa's dask runner computes, on the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
import rasa.core.processor
from rasa.core.agent import Agent
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_patches.graph_runner import SequentialGraphRunner

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "knee-assistant.tar.gz"
pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="needs the trained model (make train)")

TEXTS = ["hello", "why does my knee hurt when I walk?",
         "my knee is hot and swollen, I feel feverish", "it has hurt for 3 weeks, about 6/10",
         "flibble wotsit", "/affirm", "bye"]
INTENTS = ["greet", "faq", "start_triage", "report_red_flag", "goodbye", "out_of_scope"]


@pytest.fixture(scope="module")
def agents() -> dict[str, Agent]:
    loaded = {}
    original = rasa.core.processor.DaskGraphRunner
    try:
        for name, runner in (("dask", DaskGraphRunner), ("sequential", SequentialGraphRunner)):
            rasa.core.processor.DaskGraphRunner = runner  # type: ignore[misc]
            loaded[name] = Agent.load(str(MODEL))
            assert type(loaded[name].processor.graph_runner) is runner
    finally:
        rasa.core.processor.DaskGraphRunner = original  # type: ignore[misc]
    return loaded


@pytest.mark.parametrize("text", TEXTS)
async def test_same_parse(agents: dict[str, Agent], text: str) -> None:
    expected = await agents["dask"].parse_message(text)
    assert await agents["sequential"].parse_message(text) == expected


@pytest.mark.parametrize("intent", INTENTS)
def test_same_next_action(agents: dict[str, Agent], intent: str) -> None:
    predictions = []
    for agent in (agents["dask"], agents["sequential"]):
        domain = agent.domain
        assert domain is not None
        tracker = DialogueStateTracker.from_events("t", [
            ActionExecuted("action_session_start"), ActionExecuted("action_listen"),
            UserUttered("some text", {"name": intent, "confidence": 1.0}),
        ], slots=domain.slots)
        prediction = agent.processor._predict_next_with_tracker(tracker)
        predictions.append((prediction.probabilities, prediction.policy_name,
                            prediction.events, prediction.is_end_to_end_prediction))
    assert predictions[0] == predictions[1]


def test_an_input_named_like_a_node_is_refused_as_by_dask(agents: dict[str, Agent]) -> None:
    for agent in (agents["dask"], agents["sequential"]):
        runner = agent.processor.graph_runner
        node = next(iter(runner._graph_schema.nodes))
        with pytest.raises(GraphRunError, match="clashes with a node name"):
            runner.run(inputs={"x": node}, targets=[node])
