"""Two hot spots of Rasa 3.6.21's message handling, made cheap without changing behaviour.

Profiling a triage conversation (bench/NOTES.md) showed:

- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` on
  every action server reply. That first re-validates Rasa's own, constant
  schema against the JSON Schema meta-schema, which costs 60-100 ms on this
  machine (jsonschema 4.17 resolves every ``$ref`` through urllib), around
  40% of a form turn. Here the schema is checked once and the compiled
  validator is reused; a bad reply raises the same ``ValidationError``.
- ``Event.resolve_by_type`` walks the whole ``Event`` class tree for every
  event it deserialises (hundreds per tracker load). The tree is fixed once
  Rasa and the plugins are imported, so the walk is cached per type name;
  an unknown name still falls back to Rasa's own lookup and error.

``install()`` is called by ``runner/rasa_server.py`` before Rasa starts.
"""

from __future__ import annotations

import functools
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events
from rasa.shared.utils.common import all_subclasses

DOCS = "https://rasa.com/docs/rasa/custom-actions"


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the schema compiled once."""
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


def install() -> None:
    """Replace the two methods in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    events.Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign,assignment]


__all__ = ["ValidationError", "install", "resolve_by_type", "validate_action_result"]
