"""The soak run: many long conversations at once, then a check of the stored trackers.

Every simulated person (bench.load.Person, so errors and latencies are
counted the way the benchmark counts them) has their own sender id and sends
the turns of their plan (tests.soak.scripts) one at a time, waiting for each
reply; all people talk at the same time. An error is an HTTP status other
than 200, a timeout, a connection failure, an empty reply, or a symptom check
that did not end in the outcome its answers call for.

Afterwards the tracker store's own SQLite file is read (Rasa's ``events``
table, in insertion order): for every conversation the stored user messages
must be exactly the messages sent, in order, each followed by at least one
bot message. Reading the database, rather than asking the server, checks what
was persisted, not what a process holds in memory.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from ssl import SSLContext
from typing import Any

import aiohttp

from bench.load import LoadResult, Person
from kneecare.conversation_ids import rest_id
from tests.e2e.chat import recognise
from tests.soak.scripts import Plan, plan

OUTCOME_PREFIX = "utter_outcome_"


@dataclass
class Record:
    """What one person sent and what went wrong, if anything."""

    plan: Plan
    sent: list[str] = field(default_factory=list)  # messages answered with status 200
    problem: str | None = None


@dataclass
class SoakResult:
    conversations: int
    turns: int
    load: LoadResult
    records: list[Record]

    @property
    def expected_messages(self) -> int:
        return self.conversations * self.turns

    def summary(self) -> str:
        load = self.load
        kinds = ", ".join(f"{kind}: {count}" for kind, count in load.errors.most_common())
        return (
            f"{self.conversations} conversations x {self.turns} turns in {load.elapsed:.1f} s: "
            f"{load.messages}/{self.expected_messages} messages answered, "
            f"{load.throughput:.1f} msg/s, p50 {load.p(0.5):.2f} s, p99 {load.p(0.99):.2f} s, "
            f"{load.error_count} errors{f' ({kinds})' if kinds else ''}"
        )

    def problems(self, limit: int = 5) -> list[str]:
        found = [f"{record.plan.sender}: {record.problem}" for record in self.records
                 if record.problem]
        return found[:limit]


class _Conversation:
    """One person working through their plan; stops at the first error."""

    def __init__(self, person: Person, record: Record, turns: int) -> None:
        self.person, self.record, self.turns = person, record, turns

    async def say(self, text: str) -> list[str] | None:
        texts = await self.person.say(self.record.plan.sender, text)
        if texts is None:
            self.record.problem = f"no answer to {text!r}"
        elif not texts:
            self.record.sent.append(text)
            self.record.problem = f"empty reply to {text!r}"
            texts = None
        else:
            self.record.sent.append(text)
        return texts

    async def run(self) -> None:
        plan = self.record.plan
        for text in plan.before:
            if await self.say(text) is None:
                return
        if not await self.check_symptoms():
            return
        for text in plan.after[: self.turns - len(self.record.sent) - 1]:
            if await self.say(text) is None:
                return
        await self.say(plan.goodbye)

    async def check_symptoms(self) -> bool:
        """Start the symptom check and answer it; True once the expected outcome came."""
        plan = self.record.plan
        texts = await self.say(plan.triage_opening)
        while texts is not None:
            names = recognise(texts)
            outcomes = [name for name in names if name.startswith(OUTCOME_PREFIX)]
            if outcomes:
                if outcomes[0] == plan.profile.outcome:
                    return True
                return self.fail("wrong outcome", f"{outcomes[0]}, not {plan.profile.outcome}")
            questions = [name for name in names if name in plan.profile.answers]
            if not questions:
                return self.fail("no outcome", f"no question or outcome in {texts!r}")
            if len(self.record.sent) >= self.turns - 2:  # thanks and goodbye still to come
                return self.fail("no outcome", "the symptom check took too many turns")
            texts = await self.say(plan.profile.answers[questions[-1]])
        return False

    def fail(self, kind: str, problem: str) -> bool:
        self.person.result.errors[kind] += 1
        self.record.problem = problem
        return False


async def run_soak(base_url: str, conversations: int, turns: int, seed: int = 0,
                   timeout: float = 60.0, progress: Callable[[str], None] | None = None,
                   progress_every: float = 10.0, headers: dict[str, str] | None = None,
                   person: type[Person] = Person, ssl: SSLContext | bool = True,
                   during: Callable[[LoadResult], Coroutine[Any, Any, None]] | None = None,
                   ) -> SoakResult:
    """``conversations`` people of ``turns`` messages each, all at the same time.

    ``headers`` go with every request (a REST token), ``person`` is the client
    (deploy.soak_client retries like the widget), and ``during`` runs beside
    the conversations (deploy.prod_check kills a process halfway).
    """
    run = uuid.uuid4().hex[:8]  # sender ids never repeat, even in a reused tracker store
    records = [Record(plan(f"soak-{run}-{number}", turns, seed * 100_003 + number))
               for number in range(conversations)]
    result = LoadResult(conversations)
    url = f"{base_url}/webhooks/rest/webhook"
    connector = aiohttp.TCPConnector(limit=conversations + 5, ssl=ssl)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout),
                                     connector=connector, headers=headers) as session:
        started = time.perf_counter()

        async def one(record: Record) -> None:
            await _Conversation(person(session, url, result, None), record, turns).run()
            if not record.problem:
                result.conversations += 1

        async def report() -> None:
            while True:
                await asyncio.sleep(progress_every)
                if progress:
                    progress(f"{result.messages}/{conversations * turns} messages, "
                             f"{result.conversations}/{conversations} conversations done, "
                             f"{result.error_count} errors")

        reporter = asyncio.create_task(report())
        beside = asyncio.create_task(during(result)) if during else None
        try:
            await asyncio.gather(*(one(record) for record in records))
            if beside:
                await beside
        finally:
            reporter.cancel()
        result.elapsed = time.perf_counter() - started
    if ssl is not False:
        # aiohttp's documented graceful shutdown: TLS connections close a moment after
        # their session; without the pause they are reported as unclosed transports
        await asyncio.sleep(0.25)
    return SoakResult(conversations, turns, result, records)


def stored_events(tracker_db: Path, sender: str) -> list[tuple[str, dict[str, object]]]:
    """(type, data) of every stored event of ``sender``, in the order they were written."""
    with sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (rest_id(sender),)
        ).fetchall()
    return [(type_name, json.loads(data)) for type_name, data in rows]


def storage_problems(tracker_db: Path, records: list[Record]) -> list[str]:
    """Conversations whose stored user messages differ from the sent ones, or lack a reply."""
    problems = []
    for record in records:
        events = stored_events(tracker_db, record.plan.sender)
        said = [data.get("text") for kind, data in events if kind == "user"]
        if said != record.sent:
            problems.append(f"{record.plan.sender}: stored {len(said)} user messages, sent "
                            f"{len(record.sent)}; first difference at turn "
                            f"{_first_difference(said, record.sent) + 1}")
            continue
        kinds = [kind for kind, _ in events if kind in ("user", "bot")] + ["end"]
        users = [position for position, kind in enumerate(kinds) if kind == "user"]
        unanswered = [turn for turn, position in enumerate(users, 1)
                      if kinds[position + 1] != "bot"]
        if unanswered:
            problems.append(f"{record.plan.sender}: no bot message stored after user message "
                            f"{unanswered}")
    return problems


def _first_difference(stored: list[object], sent: list[str]) -> int:
    for turn, (one, other) in enumerate(zip(stored, sent, strict=False)):
        if one != other:
            return turn
    return min(len(stored), len(sent))
