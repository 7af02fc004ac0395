"""Capacity in people: how many can chat at once while every reply still feels instant.

The closed-loop levels of bench.load send the next message the moment a reply
arrives. People do not: they read and type. Here simulated people arrive over
time (spread over the longest think time), each runs one scripted conversation
of bench.conversations with a think time of 3-15 s (uniform) before every
message, and is replaced by a new person (a new sender id) when done, so that
``people`` are in the system at every moment.

A level passes when, over the measuring window after the arrivals:
- p99 latency is under 1 s,
- there are no errors, and
- the server keeps up: the second half of the window is within the limit too
  and the messages sent reach 90% of what the people's think times allow
  (a server that falls behind makes everyone wait, and fewer messages go out).
``capacity`` doubles the number of people until a level fails, then bisects
between the last pass and the first failure.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import aiohttp

from bench.conversations import SCRIPTS
from bench.load import REQUEST_TIMEOUT, LoadResult, Person, percentile

P99_LIMIT = 1.0  # seconds: a reply slower than this no longer feels instant
KEEP_UP_SHARE = 0.9


@dataclass(frozen=True)
class PeopleSettings:
    think: tuple[float, float] = (3.0, 15.0)  # seconds before each message, uniform
    window: float = 40.0  # seconds measured after the arrivals
    start: int = 50  # people at the first level
    limit: int = 6400  # never try more than this
    refine: int = 2  # bisection steps after the first failure


@dataclass
class PeopleLevel:
    people: int
    p50: float
    p99: float
    p99_late: float  # the second half of the window
    messages: int
    expected_messages: float
    errors: int
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return (self.p99 < P99_LIMIT and self.p99_late < P99_LIMIT and self.errors == 0
                and self.messages >= KEEP_UP_SHARE * self.expected_messages)


class ThinkingPerson(Person):
    """A person who reads and types before every message."""

    def __init__(self, think: Callable[[], float], *args: object) -> None:
        super().__init__(*args)  # type: ignore[arg-type]
        self.think = think

    async def say(self, sender: str, text: str) -> list[str] | None:
        await asyncio.sleep(self.think())
        return await super().say(sender, text)


async def people_level(base_url: str, people: int, settings: PeopleSettings,
                       seed: int = 0) -> PeopleLevel:
    """Keep ``people`` people chatting; measure the window after they have all arrived."""
    rng = random.Random(seed)
    low, high = settings.think
    arrivals = high  # everyone has arrived within one longest think time
    result = LoadResult(people)
    sent_at: list[tuple[float, float]] = []  # (send time, latency) inside the window
    run = uuid.uuid4().hex[:8]
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=people + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        started = time.perf_counter()
        window_start = started + arrivals
        deadline = window_start + settings.window
        url = f"{base_url}/webhooks/rest/webhook"

        async def person(number: int) -> None:
            await asyncio.sleep(rng.uniform(0, arrivals))
            count = 0
            while time.perf_counter() < deadline:
                someone = _Recording(lambda: rng.uniform(low, high), session, url, result,
                                     deadline, window_start, sent_at)
                script = SCRIPTS[(number + count) % len(SCRIPTS)]
                await someone.converse(f"people-{run}-n{people}-p{number}-{count}", script)
                count += 1

        await asyncio.gather(*(person(n) for n in range(people)))
    middle = window_start + settings.window / 2
    inside = [latency for at, latency in sent_at]
    late = [latency for at, latency in sent_at if at >= middle]
    return PeopleLevel(
        people=people, p50=percentile(inside, 0.5), p99=percentile(inside, 0.99),
        p99_late=percentile(late, 0.99), messages=len(inside),
        expected_messages=people * settings.window / ((low + high) / 2),
        errors=result.error_count, error_kinds=dict(result.errors),
    )


class _Recording(ThinkingPerson):
    """Records each message sent inside the measuring window with its send time."""

    def __init__(self, think: Callable[[], float], session: aiohttp.ClientSession, url: str,
                 result: LoadResult, deadline: float, window_start: float,
                 sent_at: list[tuple[float, float]]) -> None:
        super().__init__(think, session, url, result, deadline)
        self.window_start, self.sent_at = window_start, sent_at

    async def say(self, sender: str, text: str) -> list[str] | None:
        await asyncio.sleep(self.think())
        before = len(self.result.latencies)
        sent = time.perf_counter()
        if sent < self.window_start:
            errors_before = self.result.error_count
            replies = await Person.say(self, sender, text)
            # the arrival phase is a warm-up: its errors still count, its latencies do not
            del self.result.latencies[before:]
            assert self.result.error_count >= errors_before
            return replies
        replies = await Person.say(self, sender, text)
        if len(self.result.latencies) > before:
            self.sent_at.append((sent, self.result.latencies[-1]))
        return replies


def capacity(base_url: str, settings: PeopleSettings,
             progress: Callable[[str], None]) -> tuple[int, list[PeopleLevel]]:
    """The largest number of people that passes, and every level tried (in order)."""
    levels: list[PeopleLevel] = []

    def trial(people: int) -> bool:
        level = asyncio.run(people_level(base_url, people, settings, seed=people))
        levels.append(level)
        progress(f"  {people} people: p99 {level.p99 * 1000:.0f} ms (second half"
                 f" {level.p99_late * 1000:.0f} ms), {level.messages} messages of"
                 f" {level.expected_messages:.0f} expected, {level.errors} errors"
                 f" -> {'pass' if level.passed else 'fail'}")
        return level.passed

    best, people = 0, settings.start
    while people <= settings.limit and trial(people):
        best, people = people, people * 2
    failed = people
    for _ in range(settings.refine if failed <= settings.limit else 0):
        middle = (best + failed) // 2
        if middle in (best, failed):
            break
        if trial(middle):
            best = middle
        else:
            failed = middle
    return best, levels
