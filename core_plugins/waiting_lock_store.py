"""Rasa's Redis lock store, where a message waiting its turn keeps its place.

Rasa 3.6 gives every message a ticket that expires after
``TICKET_LOCK_LIFETIME`` seconds, so that the ticket of a process that died
while holding a conversation does not block it for ever. But a *waiting*
ticket expires too: when a process is killed mid-message, the ticket of the
message waiting behind it (issued a moment later) expires in the same
second as the dead one, both are dropped, and the waiting message then never
sees its number served. It waits until the client gives up (seen in
`make prod-check`: 30 s, then 504, with the conversation stuck; reproduced in
tests/unit/test_waiting_lock_store.py with Rasa's own store).

Here a waiting message renews its own ticket at every poll, so only tickets
whose process stopped polling (a dead one) expire. Configured through
endpoints.scale.yml (``lock_store: type:``), Rasa's extension point for lock
stores; nothing of Rasa is patched.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class WaitingRedisLockStore(RedisLockStore):
    """RedisLockStore whose waiting tickets do not expire while their process is alive."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url, **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    async def _acquire_lock(self, conversation_id: str, ticket: int,
                            wait_time_in_seconds: float) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:
                break
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.renew_and_prune(conversation_id, ticket)
        raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")

    def renew_and_prune(self, conversation_id: str, ticket: int,
                        lifetime: float = LOCK_LIFETIME) -> None:
        """Push our ticket's expiry forward, then drop the expired ones (a dead process's)."""
        lock = self.get_lock(conversation_id)
        if not lock:
            return
        for waiting in lock.tickets:
            if waiting.number == ticket:
                waiting.expires = max(waiting.expires, time.time() + lifetime)
        lock.remove_expired_tickets()
        self.save_lock(lock)
