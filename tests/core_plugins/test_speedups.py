"""The speed-ups must not change what Rasa accepts, rejects or builds."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.utils.common import all_subclasses

from core_plugins.speedups import resolve_by_type, validate_action_result

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
