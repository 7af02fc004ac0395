"""JSON encoding for the hot paths of a message: the action call and the stored events.

Every action call sends the whole conversation and the domain as JSON, and
every saved event is written as JSON; with the standard library's encoder
that was about a tenth of the Rasa server's time under load (bench/NOTES.md).
``ujson`` (already installed for Sanic) encodes the same values about twice
as fast. Anything it cannot encode (bytes, an unknown type) goes to
``json.dumps``, so such values get exactly the standard library's output or
error.

One known difference: ``ujson`` writes a non-string, non-number dict key
(a tuple, say) as its ``str``, where ``json`` refuses it. Rasa's events and
domain have string keys only.
"""

from __future__ import annotations

import json
from typing import Any

import ujson


def dumps(value: Any) -> str:
    """``json.dumps(value)`` as the same JSON value, faster; the standard library's on failure."""
    try:
        return ujson.dumps(value, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)
