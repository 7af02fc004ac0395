"""The speed-ups must not change what Rasa accepts, rejects or builds."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.core.domain import Domain
from rasa.shared.utils.common import all_subclasses

from rasa_patches.action_result_check import validate_action_result
from rasa_patches.event_types import resolve_by_type

SCHEMA = RemoteAction.action_response_format_spec()

VALID = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "pain_score", "value": 4}],
     "responses": [{"response": "utter_greet"}]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup",
                                                          "name": "action_listen"}]},
]
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event needs its name
    {"events": [{"no_event_key": 1}]},
    {"responses": "hello"},
    {"responses": ["hello"]},
    [],
]


@pytest.mark.parametrize("result", VALID)
def test_valid_action_results_pass_as_in_rasa(result: dict[str, Any]) -> None:
    jsonschema.validate(result, SCHEMA)  # Rasa's own check agrees
    assert validate_action_result(RemoteAction("action_x", None), result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_action_results_fail_as_in_rasa(result: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(result, SCHEMA)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        validate_action_result(RemoteAction("action_x", None), result)


@pytest.mark.parametrize("cls", sorted(all_subclasses(events.Event), key=lambda c: c.__name__),
                         ids=lambda c: c.__name__)
def test_every_event_type_resolves_to_the_same_class(cls: type[events.Event]) -> None:
    assert resolve_by_type(cls.type_name) is events.Event.resolve_by_type(cls.type_name)


def test_unknown_event_types_behave_as_in_rasa() -> None:
    assert resolve_by_type("topic") is None
    assert resolve_by_type("no_such_event", default=events.SlotSet) is events.SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve_by_type("no_such_event")


def _event_examples() -> list[dict[str, Any]]:
    """One serialised event of each kind an action may return, as Rasa writes them."""
    import datetime as dt

    from rasa.shared.core.events import (
        ActionExecuted,
        ActionExecutionRejected,
        ActionReverted,
        ActiveLoop,
        AgentUttered,
        AllSlotsReset,
        BotUttered,
        ConversationPaused,
        ConversationResumed,
        EntitiesAdded,
        FollowupAction,
        LoopInterrupted,
        ReminderCancelled,
        ReminderScheduled,
        Restarted,
        SessionStarted,
        SlotSet,
        StoryExported,
        UserUtteranceReverted,
        UserUttered,
    )

    samples = [
        ActionExecuted("utter_greet"), ActionExecutionRejected("action_x"), ActionReverted(),
        ActiveLoop("knee_triage_form"), ActiveLoop(None), AgentUttered("hi"), AllSlotsReset(),
        BotUttered("hello", {"buttons": [{"title": "Yes", "payload": "/affirm"}]}),
        ConversationPaused(), ConversationResumed(),
        EntitiesAdded([{"entity": "side", "value": "left"}]), FollowupAction("action_listen"),
        LoopInterrupted(True), ReminderCancelled(name="r"),
        ReminderScheduled("remind", dt.datetime(2026, 1, 1)), Restarted(), SessionStarted(),
        SlotSet("pain_score", 4), SlotSet("red_flags", ["fever"]), SlotSet("age", None),
        StoryExported(), UserUtteranceReverted(),
        UserUttered("my knee hurts", {"name": "report_knee_pain", "confidence": 0.9},
                    [{"entity": "sign", "value": "swelling", "start": 0, "end": 2}]),
    ]
    return [event.as_dict() for event in samples]


BROKEN_EVENTS = [
    {"event": "no_such_event"},
    {"event": "slot", "name": 4, "value": 1},
    {"event": "user", "text": "x", "parse_data": "not an object"},
    {"event": "action", "name": "utter_x", "timestamp": "yesterday"},
    {"event": "slot", "name": "pain_score", "value": 4, "metadata": "no"},
]
# odd, but Rasa's schema lets them through, so the fast check must too
LENIENT_EVENTS = [{"event": "bot", "text": 12}, {"event": "active_loop", "name": 3},
                  {"event": "followup"}]


@pytest.mark.parametrize("event", _event_examples() + BROKEN_EVENTS + LENIENT_EVENTS,
                         ids=lambda e: str(e.get("event")))
def test_fast_check_agrees_with_jsonschema_on_every_event_kind(event: dict[str, Any]) -> None:
    result = {"events": [event], "responses": [{"response": "utter_greet"}]}
    rasa_accepts = jsonschema.Draft202012Validator(SCHEMA).is_valid(result)
    try:
        ours_accepts = validate_action_result(RemoteAction("action_x", None), result)
    except jsonschema.ValidationError:
        ours_accepts = False
    assert ours_accepts == rasa_accepts
    if event in BROKEN_EVENTS:
        assert not rasa_accepts, "the broken examples really are broken"


def test_slot_copies_are_the_same_as_copy_copy_gave() -> None:
    import copy
    from pathlib import Path

    from rasa_patches.tracker_copies import copy_slot

    domain = Domain.load(str(Path(__file__).resolve().parents[2] / "domain.yml"))
    for slot in domain.slots:
        generic = copy.copy(slot)  # Rasa's Slot has no __copy__: the generic protocol
        fast = copy_slot(slot)
        assert type(fast) is type(slot) and fast is not slot
        assert fast.__dict__ == slot.__dict__
        if generic is not None:
            assert fast.__dict__ == generic.__dict__
        fast.value = "changed"
        assert slot.value != "changed" or slot.__dict__ is not fast.__dict__


@pytest.mark.parametrize(
    "result",
    [
        {"events": [{"event": "slot", "name": "a", "value": 1}] * 3 + [{"event": "nope"}]},
        {"events": [{"name": "no kind"}]},
        {"events": None},
        {"events": [{"event": "user", "parse_data": {"intent": {"name": 1}}}]},
        {"events": [{"event": "user", "parse_data": {"entities": [{"value": 1}]}}]},
        {"responses": [{"response": "utter_x"}], "events": [{"event": "undo"}]},
    ],
)
def test_kind_lookup_gives_the_same_verdict_as_one_of(result: dict[str, Any]) -> None:
    from rasa_patches.action_result_check import _fast_action_result_check

    assert _fast_action_result_check()(result) == jsonschema.Draft202012Validator(
        SCHEMA).is_valid(result)
