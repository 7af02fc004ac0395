"""fast_json gives the standard library's JSON value, and its errors for what it cannot encode."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from core_plugins.fast_json import dumps

SAME_VALUE = [
    {"event": "user", "text": "my knee hurts / aches", "parse_data": {"intent": {
        "name": "describe_symptoms", "confidence": 0.8734567891234}}},
    {"timestamp": 1764140000.1234567, "tiny": 1.5e-7, "huge": 1e300, "whole": 2.0},
    {"big": 2**70, "negative": -3, "zero": 0},
    {"accents and symbols": "é ü £ ½ – “quoted” \u2028 emoji 🦵", "tab": "a\tb\n"},
    {"nested": [{"a": [1, [2, [3]]]}, None, True, False], "empty": {}, "list": []},
    {1: "int keys become strings in both"},
    (1, "tuples become lists"),
    np.float64(0.3),
    float("nan"),
    float("inf"),
    "plain string",
]


@pytest.mark.parametrize("value", SAME_VALUE, ids=lambda value: repr(value)[:30])
def test_decodes_to_what_the_standard_library_gives(value: Any) -> None:
    ours, theirs = json.loads(dumps(value)), json.loads(json.dumps(value))
    if isinstance(theirs, float) and theirs != theirs:  # NaN is not equal to itself
        assert ours != ours
    else:
        assert ours == theirs
        assert type(ours) is type(theirs)


@pytest.mark.parametrize("value", [b"bytes", object(), {"set": {1, 2}}, np.float32(0.5)],
                         ids=lambda value: type(value).__name__)
def test_what_cannot_be_encoded_fails_as_in_the_standard_library(value: Any) -> None:
    with pytest.raises(TypeError) as theirs:
        json.dumps(value)
    with pytest.raises(TypeError) as ours:
        dumps(value)
    assert str(ours.value) == str(theirs.value)


def test_output_is_plain_ascii_without_escaped_slashes() -> None:
    text = dumps({"url": "https://example.org/book", "name": "Zoë"})
    assert text.isascii() and "\\/" not in text
