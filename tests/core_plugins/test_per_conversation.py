"""The per-conversation store and the same-objects prefix checks the speed-ups rely on."""

from __future__ import annotations

import pytest

from core_plugins.per_conversation import PerConversation, shared_prefix, starts_with

A, B, C = object(), object(), object()


def test_least_recently_used_conversation_goes_first() -> None:
    kept: PerConversation[str] = PerConversation(capacity=2)
    kept.put("a", "1")
    kept.put("b", "2")
    assert kept.get("a") == "1"  # "a" is now the most recent
    kept.put("c", "3")
    assert kept.get("b") is None and kept.get("a") == "1" and len(kept) == 2
    assert kept.pop("a") == "1" and kept.pop("a") is None


@pytest.mark.parametrize(("kept", "events", "shared", "starts"), [
    ([], [A], 0, True),
    ([A, B], [A, B, C], 2, True),
    ([A, B], [A, B], 2, True),
    ([A, B, C], [A, B], 2, False),  # fewer events than were kept
    ([A, C], [A, B, C], 1, False),
    ([object()], [A], 0, False),  # equal is not enough: the same object
])
def test_prefixes_are_the_same_objects(
    kept: list[object], events: list[object], shared: int, starts: bool
) -> None:
    assert shared_prefix(kept, events) == shared
    assert starts_with(events, kept) is starts
