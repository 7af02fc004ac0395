"""A message waiting behind a dead process's ticket gets its turn (Redis at 127.0.0.1:6379).

Rasa's RedisLockStore lets the waiting ticket expire with the dead one, and
the waiting message then never gets the lock; WaitingRedisLockStore renews
the waiting ticket, so the message goes ahead once the dead ticket expires.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from rasa.core.lock_store import RedisLockStore

from core_plugins.waiting_lock_store import WaitingRedisLockStore

LIFETIME = 2.0
REDIS = {"host": "127.0.0.1", "port": 6379, "db": 0}


@pytest.fixture
def conversation() -> str:
    try:
        import redis

        redis.Redis(socket_connect_timeout=2, **REDIS).ping()
    except Exception as error:  # noqa: BLE001 - any failure means "skip"
        pytest.skip(f"Redis at {REDIS['host']}:{REDIS['port']} unreachable: {error}")
    name = f"lock-test-{uuid.uuid4().hex}"
    yield name
    RedisLockStore(**REDIS).delete_lock(name)


async def wait_for_turn(store: RedisLockStore, conversation: str) -> float:
    started = time.monotonic()
    async with store.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=0.2):
        return time.monotonic() - started


def test_rasas_store_never_serves_a_message_behind_a_dead_ticket(conversation: str) -> None:
    RedisLockStore(**REDIS).issue_ticket(conversation, LIFETIME)  # the process then died
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(asyncio.wait_for(wait_for_turn(RedisLockStore(**REDIS), conversation),
                                     3 * LIFETIME))


def test_a_waiting_message_goes_ahead_once_the_dead_ticket_expires(conversation: str) -> None:
    RedisLockStore(**REDIS).issue_ticket(conversation, LIFETIME)  # the process then died
    waited = asyncio.run(asyncio.wait_for(
        wait_for_turn(WaitingRedisLockStore(**REDIS), conversation), 3 * LIFETIME))
    assert LIFETIME - 0.5 < waited < LIFETIME + 1.5


def test_a_live_holder_is_still_waited_for(conversation: str) -> None:
    holder = WaitingRedisLockStore(**REDIS)

    async def both() -> tuple[float, float]:
        async def hold() -> float:
            async with holder.lock(conversation, lock_lifetime=10, wait_time_in_seconds=0.1):
                await asyncio.sleep(1.0)
                return time.monotonic()

        holding = asyncio.create_task(hold())
        await asyncio.sleep(0.1)
        await wait_for_turn(WaitingRedisLockStore(**REDIS), conversation)
        return await holding, time.monotonic()

    released, served = asyncio.run(both())
    assert served >= released - 0.05
