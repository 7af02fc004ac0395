"""action_check_misunderstanding: first miss vs. second miss in a row."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionCheckMisunderstanding
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets


def _user(intent: str | None) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


@pytest.mark.parametrize(
    "intents, repeated",
    [
        (["nlu_fallback"], False),
        (["greet", "nlu_fallback"], False),
        (["nlu_fallback", "nlu_fallback"], True),
        (["nlu_fallback", "greet", "nlu_fallback"], False),
        ([None, "nlu_fallback"], False),
    ],
)
async def test_repeated_misunderstanding(intents: list, repeated: bool) -> None:
    tracker = make_tracker(events=[_user(intent) for intent in intents])
    events = await ActionCheckMisunderstanding().run(CollectingDispatcher(), tracker, DOMAIN)
    assert slot_sets(events) == {"repeated_misunderstanding": repeated}
