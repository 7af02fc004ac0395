"""What the speed-ups keep per conversation, and how they check it still applies.

``PerConversation`` is a small least-recently-used map by sender id: only
live conversations stay. Whether something kept applies is never decided by
the sender id, only by the events themselves: ``shared_prefix`` counts the
leading events two sequences share as the very same objects.
"""

from __future__ import annotations

import itertools
import operator
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

Kept = TypeVar("Kept")
DEFAULT_CAPACITY = 256  # conversations


class PerConversation(Generic[Kept]):
    """Up to ``capacity`` values by sender id, the least recently used dropped first."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._capacity = capacity
        self._kept: OrderedDict[str, Kept] = OrderedDict()

    def get(self, sender_id: str) -> Kept | None:
        value = self._kept.get(sender_id)
        if value is not None:
            self._kept.move_to_end(sender_id)
        return value

    def pop(self, sender_id: str) -> Kept | None:
        return self._kept.pop(sender_id, None)

    def put(self, sender_id: str, value: Kept) -> None:
        self._kept[sender_id] = value
        self._kept.move_to_end(sender_id)
        while len(self._kept) > self._capacity:
            self._kept.popitem(last=False)

    def clear(self) -> None:
        self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


def shared_prefix(kept: Iterable[object], events: Iterable[object]) -> int:
    """How many leading items the two have in common, as the same objects."""
    return sum(1 for _ in itertools.takewhile(bool, map(operator.is_, kept, events)))


def starts_with(events: Sequence[object], kept: Sequence[object]) -> bool:
    """Whether ``events`` begins with all of ``kept``, as the same objects."""
    return len(kept) <= len(events) and all(map(operator.is_, kept, events))
