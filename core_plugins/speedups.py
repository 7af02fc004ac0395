"""Hot spots of Rasa 3.6.21's message handling, made cheap without changing behaviour.

Profiling a triage conversation (bench/NOTES.md) showed:

- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on
  every action server reply. That first re-validates Rasa's own, constant
  schema against the JSON Schema meta-schema, which costs 60-100 ms on this
  machine (jsonschema 4.17 resolves every ``$ref`` through urllib), around
  40% of a form turn, and even then walks every alternative of its
  ``oneOf`` for each event (about a millisecond per reply). Here replies are
  checked by the schema compiled to Python once (fastjsonschema), each event
  against its own kind only (``_FastActionResultCheck``); a reply it rejects
  is checked again by jsonschema and raises Rasa's own ``ValidationError``.
- ``Event.resolve_by_type`` walks the whole ``Event`` class tree for every
  event it deserialises (hundreds per tracker load). The tree is fixed once
  Rasa and the plugins are imported, so the walk is cached per type name;
  an unknown name still falls back to Rasa's own lookup and error.
- Every tracker the dialogue builds copies each of the domain's slots with
  ``copy.copy``, which goes through the generic ``__reduce_ex__`` protocol;
  ``Slot.__copy__`` now does the same shallow copy directly.
- ``Domain.is_empty`` builds a whole empty ``Domain`` to compare with, on
  every message; the empty domain's dict is now built once.
- ``RulePolicy._get_possible_keys`` checks every rule against every turn of
  the conversation back to its start, though a rule is only compared with as
  many turns as it has, and parses and reverses the rule for every check;
  ``possible_rule_keys`` reverses each rule once and stops once every rule
  still in the running is shorter than the turns already checked.
- ``Domain.states_for_tracker_history`` describes the dialogue state before
  every action of the conversation, from the start, for every prediction;
  ``core_plugins.past_states_memo`` describes each action once.
- ``DialogueStateTracker.copy``, before every action, replays all the
  events into a new tracker; ``core_plugins.tracker_copies`` keeps a replay
  per conversation, extends it with the new events and clones it.
- ``DialogueStateTracker.applied_events`` replays the whole conversation
  several times per message; ``core_plugins.applied_events_memo`` keeps the
  result per tracker and extends it with the new events only.
- Rasa runs its model graph through dask's generic scheduler several times
  per message; ``core_plugins.graph_runner`` runs the same nodes directly.
- Rasa deep-copies events and parse data for its debug log lines even when
  debug logging is off; ``core_plugins.debug_log_copies`` skips the copies
  that would be dropped unread.

``install()`` is called by ``runner/rasa_server.py`` before Rasa starts.
"""

from __future__ import annotations

import functools
from typing import Any

import fastjsonschema
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core import events
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot
from rasa.shared.utils.common import all_subclasses

from core_plugins.applied_events_memo import install as install_applied_events_memo
from core_plugins.debug_log_copies import install as install_debug_log_copies
from core_plugins.graph_runner import install as install_graph_runner
from core_plugins.past_states_memo import install as install_past_states_memo
from core_plugins.tracker_copies import copy_slot
from core_plugins.tracker_copies import install as install_tracker_copies

DOCS = "https://rasa.com/docs/rasa/custom-actions"


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


class _FastActionResultCheck:
    """Rasa's action-reply schema, compiled, with its ``oneOf`` over event kinds made a lookup.

    Each of the schema's event alternatives fixes ``event`` to its own
    constant, so an event satisfies exactly one alternative if and only if it
    satisfies the one named by its ``event``; checking that one alone gives
    the same answer as ``oneOf`` without trying (and failing) the other 22.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        items = schema["properties"]["events"]["items"]
        alternatives = items["oneOf"]
        kinds = [alt.get("properties", {}).get("event", {}).get("const") for alt in alternatives]
        if None in kinds or len(set(kinds)) != len(kinds):
            raise ValueError("the event alternatives are not told apart by their constant")
        base_items = {key: value for key, value in items.items() if key != "oneOf"}
        base = {**schema, "properties": {**schema["properties"],
                                         "events": {**schema["properties"]["events"],
                                                    "items": base_items}}}
        self._base = fastjsonschema.compile(base)
        self._by_kind = {
            kind: fastjsonschema.compile(alternative)
            for kind, alternative in zip(kinds, alternatives, strict=True)
        }

    def __call__(self, result: Any) -> bool:
        try:
            self._base(result)
            for event in result.get("events") or []:
                check = self._by_kind.get(event["event"])
                if check is None:
                    return False
                check(event)
        except fastjsonschema.JsonSchemaException:
            return False
        return True


@functools.lru_cache(maxsize=1)
def _fast_action_result_check() -> _FastActionResultCheck:
    return _FastActionResultCheck(RemoteAction.action_response_format_spec())


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the schema compiled once.

    A valid reply passes the compiled check (microseconds); anything it
    rejects goes through jsonschema, which gives Rasa's own error message.
    """
    if _fast_action_result_check()(result):
        return True
    error = best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your"
        f" response from the Action endpoint is valid. For more information about"
        f" the format visit {DOCS}"
    )
    raise error


@functools.cache
def _event_class(type_name: str) -> type[events.Event] | None:
    for cls in all_subclasses(events.Event):
        if cls.type_name == type_name:
            return cls
    return None


def resolve_by_type(type_name: str, default: type[Any] | None = None) -> type[Any] | None:
    """``Event.resolve_by_type`` with the class lookup cached (same result, same errors)."""
    found = _event_class(type_name)
    if found is not None:
        return found
    return _original_resolve_by_type(type_name, default)


_original_resolve_by_type = events.Event.resolve_by_type


# per rule table: its keys, and each rule's states last turn first (json.loads'd once)
_REVERSED_RULES: dict[int, tuple[tuple[str, ...], list[tuple[str, list[dict[str, Any]]]]]] = {}


def _reversed_rules(
    self: RulePolicy, lookup: dict[str, str]
) -> list[tuple[str, list[dict[str, Any]]]]:
    keys = tuple(lookup)
    kept = _REVERSED_RULES.get(id(lookup))
    if kept is None or kept[0] != keys:  # a new table, or one that changed (training)
        if len(_REVERSED_RULES) > 16:
            _REVERSED_RULES.clear()
        kept = (keys, [(key, list(reversed(self._rule_key_to_state(key)))) for key in keys])
        _REVERSED_RULES[id(lookup)] = kept
    return kept[1]


def possible_rule_keys(
    self: RulePolicy, lookup: dict[str, str], states: list[dict[str, Any]]
) -> set[str]:
    """``RulePolicy._get_possible_keys``: the same rules, found with less work.

    Rasa filters every rule against every turn back to the conversation's
    start, parsing and reversing each rule's states for every check. Here
    each rule's states are reversed once per rule table, the checks of
    ``_is_rule_applicable`` run inline (the same three cases, then Rasa's
    own ``_does_rule_match_state``), and the walk back stops once every rule
    still in the running is shorter than the turns already checked: Rasa
    answers True for any turn at or beyond a rule's length, so the remaining
    turns could not rule anything out.
    """
    remaining = _reversed_rules(self, lookup)
    for index, state in enumerate(reversed(states)):
        if all(len(rule_states) <= index for _, rule_states in remaining):
            break
        current_previous_action = state.get(PREVIOUS_ACTION)
        kept = []
        for rule in remaining:
            rule_states = rule[1]
            if index >= len(rule_states):
                kept.append(rule)
                continue
            rule_state = rule_states[index]
            rule_previous_action = rule_state.get(PREVIOUS_ACTION)
            if not rule_previous_action and not current_previous_action:
                kept.append(rule)  # both are conversation starts
            elif not rule_previous_action or not current_previous_action:
                continue  # only one of them is
            elif self._does_rule_match_state(rule_state, state):
                kept.append(rule)
        remaining = kept
    return {key for key, _ in remaining}


@functools.lru_cache(maxsize=1)
def _empty_domain_dict() -> dict[str, Any]:
    return Domain.empty().as_dict()


def domain_is_empty(self: Domain) -> bool:
    """``Domain.is_empty`` comparing with the empty domain built once (same result)."""
    return self.as_dict() == _empty_domain_dict()


def install() -> None:
    """Replace the methods in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    events.Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]
    Slot.__copy__ = copy_slot  # type: ignore[attr-defined]
    Domain.is_empty = domain_is_empty  # type: ignore[method-assign]
    RulePolicy._get_possible_keys = possible_rule_keys  # type: ignore[method-assign]
    install_applied_events_memo()
    install_past_states_memo()
    install_tracker_copies()
    install_graph_runner()
    install_debug_log_copies()


__all__ = [
    "ValidationError", "copy_slot", "domain_is_empty", "install", "possible_rule_keys",
    "resolve_by_type", "validate_action_result",
]
