"""The load generator: simulated people, each with their own sender id, over the REST channel.

Each simulated person runs the scripts of bench.conversations one after the
other with a fresh sender id per conversation, waiting for every reply before
the next message, as a person would. ``run_load`` keeps ``concurrency`` of
them busy for a given time (or a given number of conversations) and records
the latency of every message and every error: an HTTP error, a timeout, a
connection failure or an empty reply.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import aiohttp

from bench.conversations import MAX_FORM_TURNS, SCRIPTS, Script, next_answer

REQUEST_TIMEOUT = 30.0  # seconds; a slower reply counts as a timeout


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share 0.99 -> p99); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.4999))  # ceil without float noise
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class LoadResult:
    """What one load level measured."""

    concurrency: int
    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, successful messages
    errors: Counter[str] = field(default_factory=Counter)
    conversations: int = 0

    @property
    def messages(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def throughput(self) -> float:
        return self.messages / self.elapsed if self.elapsed else 0.0

    def p(self, share: float) -> float:
        return percentile(self.latencies, share)


class Person:
    """One simulated person (here and in tests/soak).

    ``say`` returns the reply texts, [] for an empty reply, None after an error.
    """

    def __init__(self, session: aiohttp.ClientSession, url: str, result: LoadResult,
                 deadline: float | None) -> None:
        self.session, self.url, self.result = session, url, result
        self.deadline = deadline  # no new message after it: the level ends on time

    async def say(self, sender: str, text: str) -> list[str] | None:
        started = time.perf_counter()
        if self.deadline is not None and started >= self.deadline:
            return None
        try:
            async with self.session.post(
                self.url, json={"sender": sender, "message": text}
            ) as response:
                if response.status != 200:
                    self.result.errors[f"HTTP {response.status}"] += 1
                    return None
                replies = await response.json(content_type=None)
        except asyncio.TimeoutError:
            self.result.errors["timeout"] += 1
            return None
        except (aiohttp.ClientError, ValueError) as error:
            self.result.errors[type(error).__name__] += 1
            return None
        texts = [reply.get("text") or "" for reply in replies or [] if isinstance(reply, dict)]
        if not any(texts) and not any(reply.get("buttons") for reply in replies or []):
            self.result.errors["empty reply"] += 1
            return []
        self.result.latencies.append(time.perf_counter() - started)
        return texts

    async def converse(self, sender: str, script: Script) -> None:
        texts: list[str] | None = []
        for message in script.openings:
            texts = await self.say(sender, message)
            if texts is None:
                return
        if script.answers_questions:
            for _ in range(MAX_FORM_TURNS):
                answer = next_answer(texts or [])
                if answer is None:
                    break
                texts = await self.say(sender, answer)
                if texts is None:
                    return
        for message in script.closing:
            if await self.say(sender, message) is None:
                return
        self.result.conversations += 1


async def run_load(base_url: str, concurrency: int, label: str, duration: float | None = None,
                   conversations_each: int | None = None) -> LoadResult:
    """Keep ``concurrency`` people talking for ``duration`` s or ``conversations_each`` each."""
    result = LoadResult(concurrency)
    url = f"{base_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=concurrency + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        deadline = started + duration if duration is not None else None
        run = uuid.uuid4().hex[:8]  # sender ids never repeat, even in a shared tracker store

        async def person(number: int) -> None:
            someone = Person(session, url, result, deadline)
            count = 0
            while True:
                if conversations_each is not None and count >= conversations_each:
                    return
                if deadline is not None and time.perf_counter() >= deadline:
                    return
                script = SCRIPTS[(number + count) % len(SCRIPTS)]
                sender = f"bench-{label}-{run}-c{concurrency}-p{number}-{count}"
                await someone.converse(sender, script)
                count += 1

        await asyncio.gather(*(person(number) for number in range(concurrency)))
        result.elapsed = time.perf_counter() - started
    return result
