"""A chat client that retries like the widget when a proxy answers 502 or 504.

When a Rasa process dies in the middle of a request, nginx answers 502 (or
504 after its timeout) for the requests that process had accepted; new
requests already go to the survivor. The widget sends such a message again
after a short pause. ``RetryingPerson`` does the same, up to ``RETRIES``
times, and counts every failed attempt in ``in_flight`` (with its time), so
prod-check can report the failures and the failover window. A message counts
as accepted only when a 200 came back.
"""

from __future__ import annotations

import asyncio
import time

import aiohttp

from bench.load import Person

RETRIES = 5
PAUSE = 0.5  # seconds before a retry
RETRIED_STATUSES = frozenset({502, 503, 504})


class RetryingPerson(Person):
    # (monotonic time, what failed) of every attempt that failed and was retried
    in_flight: list[tuple[float, str]] = []

    async def say(self, sender: str, text: str) -> list[str] | None:
        for _ in range(RETRIES):
            started = time.perf_counter()
            try:
                async with self.session.post(
                    self.url, json={"sender": sender, "message": text}
                ) as response:
                    if response.status in RETRIED_STATUSES:
                        self.in_flight.append((time.monotonic(), f"HTTP {response.status}"))
                        await asyncio.sleep(PAUSE)
                        continue
                    if response.status != 200:
                        self.result.errors[f"HTTP {response.status}"] += 1
                        return None
                    replies = await response.json(content_type=None)
            except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
                self.in_flight.append((time.monotonic(), type(error).__name__))
                await asyncio.sleep(PAUSE)
                continue
            texts = [reply.get("text") or "" for reply in replies or []
                     if isinstance(reply, dict)]
            if not any(texts) and not any(reply.get("buttons") for reply in replies or []):
                self.result.errors["empty reply"] += 1
                return []
            self.result.latencies.append(time.perf_counter() - started)
            return texts
        self.result.errors["failed after retries"] += 1
        return None
