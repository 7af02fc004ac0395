"""The soak test's short form: 20 conversations of 10 turns at once, all stored in order.

The full form (100 x 20) is ``make soak``. Both start the real servers with a
fresh SQLite tracker store and then read that database (tests/soak/soak.py).
The last test damages a copy of the database to show that the storage check
notices a lost, reordered or unanswered message.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.servers import running
from kneecare.conversation_ids import rest_id
from runner.services import ROOT, Ports, latest_model
from tests.ports import shifted
from tests.soak.soak import SoakResult, run_soak, storage_problems

pytestmark = [pytest.mark.e2e, pytest.mark.soak]

CONVERSATIONS, TURNS = 20, 10
# clear of `make soak` (5905/5955) in another terminal
PORTS = shifted(Ports(rasa=5915, actions=5965))


@pytest.fixture(scope="module")
def soak(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SoakResult, Path]]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    workdir = tmp_path_factory.mktemp("soak")
    with running("soak", latest_model(), PORTS, workdir) as system:
        result = asyncio.run(run_soak(system.base_url, CONVERSATIONS, TURNS, seed=1))
    yield result, workdir / "tracker.db"


def test_twenty_long_conversations_at_once_get_every_reply(
        soak: tuple[SoakResult, Path]) -> None:
    result, _ = soak
    assert result.load.error_count == 0, "\n".join([result.summary(), *result.problems()])
    assert result.load.messages == result.expected_messages, result.summary()
    assert all(len(record.sent) == TURNS for record in result.records)


def test_every_message_of_every_conversation_is_stored_in_order(
        soak: tuple[SoakResult, Path]) -> None:
    result, tracker_db = soak
    assert storage_problems(tracker_db, result.records) == []


def test_the_storage_check_notices_a_lost_reordered_or_unanswered_message(
        soak: tuple[SoakResult, Path], tmp_path: Path) -> None:
    result, tracker_db = soak
    damaged = tmp_path / "tracker.db"
    # SQLite's online backup: the live database runs in WAL mode with pooled connections,
    # so its latest writes may still be in the -wal file that a plain file copy leaves out
    with sqlite3.connect(tracker_db) as source, sqlite3.connect(damaged) as target:
        source.backup(target)
    senders = [record.plan.sender for record in result.records[:3]]
    lost, reordered, unanswered = (rest_id(sender) for sender in senders)
    with sqlite3.connect(damaged) as connection:
        def user_event_ids(sender: str) -> list[int]:
            return [row[0] for row in connection.execute(
                "SELECT id FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                (sender,))]

        connection.execute("DELETE FROM events WHERE id = ?", (user_event_ids(lost)[4],))
        first, second = user_event_ids(reordered)[1:3]  # swap the 2nd and 3rd messages
        data = dict(connection.execute(
            "SELECT id, data FROM events WHERE id IN (?, ?)", (first, second)))
        connection.execute("UPDATE events SET data = ? WHERE id = ?", (data[second], first))
        connection.execute("UPDATE events SET data = ? WHERE id = ?", (data[first], second))
        last = user_event_ids(unanswered)[-1]
        connection.execute(
            "DELETE FROM events WHERE sender_id = ? AND id > ? AND type_name = 'bot'",
            (unanswered, last))

    problems = storage_problems(damaged, result.records)
    assert len(problems) == 3, problems
    assert [problem.split(":")[0] for problem in problems] == senders
    assert "first difference at turn 5" in problems[0]
    assert "first difference at turn 2" in problems[1]
    assert f"after user message [{TURNS}]" in problems[2]
