"""A few messages in processing at a time per Rasa process, in arrival order.

Rasa starts every incoming message at once. Under load, a message that
awaits the action server goes to the back of the event loop's queue, behind
every message that arrived meanwhile, and again after each action call: a
triage answer waits several times as long as a question answered from the
FAQ, and the slowest replies took three times the average (bench/NOTES.md).

Here a message needs a turn to be processed; there are a few turns
(``MAX_CONCURRENT_MESSAGES``, default 4; 0 turns this off), given first come,
first served. While a message waits for the action server it hands its turn
on, so a slow or hung action server never holds up messages that do not need
it, and when the answer comes back the message gets the next free turn ahead
of messages that have not started yet: what has started finishes first.

Turns are taken inside Rasa's per-conversation lock, and a message waiting
for a turn holds no other conversation's lock, so nothing can deadlock.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_LIMIT = 4
ENVIRONMENT_VARIABLE = "MAX_CONCURRENT_MESSAGES"


def limit_from(env: Mapping[str, str]) -> int:
    """The configured limit; a clear error for a value that is not a whole number >= 0."""
    raw = env.get(ENVIRONMENT_VARIABLE, str(DEFAULT_LIMIT)).strip()
    if not raw.isdigit():
        raise ValueError(
            f"{ENVIRONMENT_VARIABLE} must be a whole number (0 = no limit), not {raw!r}"
        )
    return int(raw)


class Turns:
    """``limit`` turns; waiting messages that had started go before new ones, each in order."""

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._resuming: deque[asyncio.Future[None]] = deque()
        self._new: deque[asyncio.Future[None]] = deque()

    async def take(self, resuming: bool = False) -> None:
        if self._free > 0 and not self._resuming and (resuming or not self._new):
            self._free -= 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._resuming if resuming else self._new
        queue.append(waiter)
        try:
            await waiter  # the turn is handed over by give_back
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.give_back()  # handed over just as we were cancelled: pass it on
            elif waiter in queue:
                queue.remove(waiter)
            raise

    def give_back(self) -> None:
        for queue in (self._resuming, self._new):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self._free += 1


@dataclass
class _Holder:
    holds_turn: bool = False


_holder: contextvars.ContextVar[_Holder | None] = contextvars.ContextVar(
    "knee_message_turn", default=None
)


def taking_turns(turns: Callable[[], Turns], handle: Callable[..., Awaitable[Any]]
                 ) -> Callable[..., Awaitable[Any]]:
    """``handle`` run only while holding a turn."""

    @functools.wraps(handle)
    async def in_turn(*args: Any, **kwargs: Any) -> Any:
        holder = _Holder()
        token = _holder.set(holder)
        try:
            await turns().take()
            holder.holds_turn = True
            return await handle(*args, **kwargs)
        finally:
            if holder.holds_turn:
                holder.holds_turn = False
                turns().give_back()
            _holder.reset(token)

    return in_turn


def outside_turn(turns: Callable[[], Turns], wait: Callable[..., Awaitable[Any]]
                 ) -> Callable[..., Awaitable[Any]]:
    """``wait`` (a call to another server) with the caller's turn handed on meanwhile."""

    @functools.wraps(wait)
    async def handing_on(*args: Any, **kwargs: Any) -> Any:
        holder = _holder.get()
        if holder is None or not holder.holds_turn:
            return await wait(*args, **kwargs)
        holder.holds_turn = False
        turns().give_back()
        try:
            return await wait(*args, **kwargs)
        finally:
            await turns().take(resuming=True)
            holder.holds_turn = True

    return handing_on
