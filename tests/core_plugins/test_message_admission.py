"""Turns: a few messages at a time, in order, handed on while waiting for another server."""

from __future__ import annotations

import asyncio

import pytest

from core_plugins.message_admission import Turns, limit_from, outside_turn, taking_turns


def _wrapped(limit: int, log: list[str]):
    turns = Turns(limit)
    running = {"now": 0, "most": 0}
    outside: dict[str, asyncio.Event] = {}

    async def action_server(name: str) -> None:
        log.append(f"{name} asks")
        await outside[name].wait()
        log.append(f"{name} answered")

    ask = outside_turn(lambda: turns, action_server)

    async def handle(name: str, needs_action: bool = False) -> str:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        log.append(f"{name} starts")
        await asyncio.sleep(0)  # some work that yields
        running["now"] -= 1
        if needs_action:
            await ask(name)
        running["now"] += 1
        await asyncio.sleep(0)
        log.append(f"{name} ends")
        running["now"] -= 1
        return name

    return taking_turns(lambda: turns, handle), outside, running


async def test_at_most_limit_messages_are_processed_at_once_in_arrival_order() -> None:
    log: list[str] = []
    handle, _, running = _wrapped(2, log)
    results = await asyncio.gather(*(handle(f"m{i}") for i in range(6)))
    assert results == [f"m{i}" for i in range(6)]
    assert running["most"] == 2
    starts = [entry.split()[0] for entry in log if entry.endswith("starts")]
    assert starts == [f"m{i}" for i in range(6)]


async def test_a_message_waiting_for_the_action_server_does_not_hold_up_others() -> None:
    log: list[str] = []
    handle, outside, _ = _wrapped(1, log)
    outside["slow"] = asyncio.Event()  # a hung action server, for now
    slow = asyncio.create_task(handle("slow", needs_action=True))
    await asyncio.sleep(0.01)
    assert await asyncio.wait_for(handle("faq"), timeout=1) == "faq"
    outside["slow"].set()
    assert await slow == "slow"
    assert log.index("faq ends") < log.index("slow answered")


async def test_a_message_back_from_the_action_server_goes_before_new_ones() -> None:
    log: list[str] = []
    handle, outside, _ = _wrapped(1, log)
    outside["a"] = asyncio.Event()
    first = asyncio.create_task(handle("a", needs_action=True))
    await asyncio.sleep(0.01)  # "a" is at the action server, its turn handed on
    later = [asyncio.create_task(handle(name)) for name in ("b", "c", "d")]
    await asyncio.sleep(0)  # "b" takes the free turn; "c" and "d" queue
    outside["a"].set()  # "a" comes back while "b" runs, and queues ahead of "c" and "d"
    await asyncio.gather(first, *later)
    ends = [entry.split()[0] for entry in log if entry.endswith("ends")]
    assert ends.index("a") < ends.index("c") < ends.index("d")


async def test_a_cancelled_wait_gives_no_turn_away() -> None:
    turns = Turns(1)
    await turns.take()
    waiting = asyncio.create_task(turns.take())
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    turns.give_back()
    await asyncio.wait_for(turns.take(), timeout=1)  # the one turn is free again


async def test_a_failing_message_gives_its_turn_back() -> None:
    turns = Turns(1)

    async def broken() -> None:
        raise RuntimeError("boom")

    handle = taking_turns(lambda: turns, broken)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            await handle()
    await asyncio.wait_for(turns.take(), timeout=1)


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, 4), ({"MAX_CONCURRENT_MESSAGES": "8"}, 8), ({"MAX_CONCURRENT_MESSAGES": " 0 "}, 0)],
)
def test_limit_from_environment(env: dict[str, str], expected: int) -> None:
    assert limit_from(env) == expected


@pytest.mark.parametrize("value", ["-1", "two", "1.5", ""])
def test_a_bad_limit_is_refused_with_a_clear_message(value: str) -> None:
    with pytest.raises(ValueError, match="MAX_CONCURRENT_MESSAGES must be a whole number"):
        limit_from({"MAX_CONCURRENT_MESSAGES": value})
