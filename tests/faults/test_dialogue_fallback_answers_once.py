"""When no rule or story fits, the assistant says so once and waits: it never repeats itself.

Before the "when nothing fits" rule, the dialogue fallback (a plain response)
was followed by another prediction that again found nothing, ten times in one
reply, until Rasa's circuit breaker stopped it. The easiest way to reach that
state is stock Rasa with every custom action failing and its events lost (no
safety net installed in this process), so that is what this test does.
"""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

from runner.services import latest_model

UNREACHABLE_ACTIONS = EndpointConfig("http://127.0.0.1:9/webhook")  # discard port: refused


@pytest.fixture(scope="module")
def agent_without_actions() -> Agent:
    return Agent.load(str(latest_model()), action_endpoint=UNREACHABLE_ACTIONS)


@pytest.mark.parametrize("messages", [
    ["hello", "my knee hurts when I walk", "no", "3 weeks"],
    ["can you check my symptoms", "yes", "what shoes should I wear"],
])
def test_each_message_gets_at_most_a_couple_of_replies(agent_without_actions: Agent,
                                                        messages: list[str]) -> None:
    async def conversation() -> list[list[str]]:
        replies = []
        for text in messages:
            output = CollectingOutputChannel()
            await agent_without_actions.handle_message(UserMessage(text, output, "fallback-once"))
            replies.append([message.get("text") or "" for message in output.messages])
        return replies

    for text, reply in zip(messages, asyncio.run(conversation()), strict=True):
        assert reply, f"silence after {text!r}"
        assert len(reply) <= 3, f"{len(reply)} messages after {text!r}: {reply[:3]}"
        assert len(set(reply)) == len(reply), f"a repeated message after {text!r}"
