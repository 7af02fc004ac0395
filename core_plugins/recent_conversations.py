"""The events of recently saved conversations, kept so the next message need not reload them.

Rasa rebuilds a conversation from the database for every message: it reads
every event of the session, decodes its JSON, and replays it, a few
milliseconds per message that grow with the conversation. Most messages
come from a conversation this very process saved a moment ago, so the store
remembers what it wrote, with a fingerprint of the stored rows (their count
in the current session and the highest row id). A later read uses the
remembered events only if the database still has exactly that fingerprint:
a write by another process (another worker, another machine), an erasure or
the retention job changes it and the events are read from the database
again. Entries expire after a few minutes, so only live conversations stay.

A read that was served from memory also tells the save that follows it how
many rows the database holds (``rows_already_stored``), when the tracker
being saved grew from exactly those events, so the save need not count them
again. Rasa holds the conversation's lock from that read to that save.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from core_plugins.per_conversation import starts_with

DEFAULT_CAPACITY = 256  # conversations; roughly 100 KB each at most
DEFAULT_TTL_SECONDS = 300.0


@dataclass(frozen=True)
class Fingerprint:
    """What the database holds for a conversation: rows in the current session, highest row id."""

    rows: int
    last_id: int | None


@dataclass(frozen=True)
class _Entry:
    fingerprint: Fingerprint
    events: tuple[Any, ...]
    saved_at: float


class RecentConversations:
    """A small LRU of (fingerprint, events) per sender id, with expiry."""

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._capacity = capacity
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        # entries a read has just checked against the database, until the next save
        self._checked: dict[str, _Entry] = {}

    def remember(self, sender_id: str, fingerprint: Fingerprint, events: Sequence[Any]) -> None:
        if self._capacity <= 0:
            return
        self._entries[sender_id] = _Entry(fingerprint, tuple(events), self._clock())
        self._entries.move_to_end(sender_id)
        self._checked.pop(sender_id, None)
        while len(self._entries) > self._capacity:
            dropped, _ = self._entries.popitem(last=False)
            self._checked.pop(dropped, None)

    def knows(self, sender_id: str) -> bool:
        """Whether anything is remembered for the conversation (worth reading its fingerprint)."""
        return sender_id in self._entries

    def forget(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)
        self._checked.pop(sender_id, None)

    def events(self, sender_id: str, stored: Fingerprint) -> tuple[Any, ...] | None:
        """The remembered events if the database still holds exactly them, else None."""
        entry = self._entries.get(sender_id)
        if entry is None:
            return None
        if entry.fingerprint != stored or self._clock() - entry.saved_at > self._ttl:
            self.forget(sender_id)
            return None
        self._entries.move_to_end(sender_id)
        self._checked[sender_id] = entry
        return entry.events

    def rows_already_stored(self, sender_id: str, events: Sequence[Any]) -> int | None:
        """Rows the last read found stored, if ``events`` grew from its events; once per read.

        None when there was no such read, or when ``events`` does not begin
        with the very event objects it returned (a tracker built some other
        way): the caller then counts the rows in the database.
        """
        entry = self._checked.pop(sender_id, None)
        if entry is None or not starts_with(events, entry.events):
            return None
        return entry.fingerprint.rows

    def __len__(self) -> int:
        return len(self._entries)
