"""Two Rasa server processes behind one address keep a conversation whole (endpoints.scale.yml).

Both processes serve the same model with the same action server, store
trackers in PostgreSQL (database ``test``) and take turns through the Redis
lock store. One triage conversation sends every other message to the other
process: the outcome must be the one a single process gives, and the tracker
read from either process must hold every user message, in order. The test
removes its own events afterwards; it is skipped when PostgreSQL or Redis
cannot be reached.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.stack import unreachable_service
from kneecare.conversation_ids import rest_id
from runner.services import ROOT, Assistant, Ports, latest_model
from tests.e2e.chat import Conversation, post_json
from tests.e2e.triage_run import run_case
from tests.ports import shifted

pytestmark = pytest.mark.e2e

POSTGRES = {"host": "127.0.0.1", "port": 5432, "dbname": "test", "user": "postgres"}
REDIS = {"host": "127.0.0.1", "port": 6379, "db": 0}
SCALE_ENV = {
    "TRACKER_DB_HOST": POSTGRES["host"],
    "TRACKER_DB_PORT": str(POSTGRES["port"]),
    "TRACKER_DB": POSTGRES["dbname"],
    "TRACKER_DB_USER": POSTGRES["user"],
    "TRACKER_DB_PASSWORD": "",  # trust authentication on this machine
    "LOCK_STORE_HOST": REDIS["host"],
    "LOCK_STORE_PORT": str(REDIS["port"]),
    "LOCK_STORE_DB": str(REDIS["db"]),
}
SENDER_PREFIX = f"scaleout-{uuid.uuid4().hex[:8]}"
# a case that needs most of the questions, so the messages alternate many times
CASE = ("my left knee has been aching on longer walks and going downstairs,"
        " no fall or twist that I remember")


def delete_events(sender_like: str) -> None:
    import psycopg2

    with psycopg2.connect(**POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.events')")
        if cursor.fetchone()[0]:
            cursor.execute("DELETE FROM events WHERE sender_id LIKE %s", (sender_like,))


def stored_user_texts(sender: str) -> list[str]:
    import psycopg2

    with psycopg2.connect(**POSTGRES) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user'"
                       " ORDER BY id", (sender,))
        return [yaml.safe_load(row[0])["text"] for row in cursor.fetchall()]


@dataclass
class Instances:
    first: Assistant
    second: Assistant

    def url(self, assistant: Assistant) -> str:
        return f"http://127.0.0.1:{assistant.ports.rasa}"


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instances]:
    reason = unreachable_service()
    if reason:
        pytest.skip(reason)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    saved = {key: os.environ.get(key) for key in SCALE_ENV}
    os.environ.update(SCALE_ENV)
    workdir: Path = tmp_path_factory.mktemp("scaleout")
    token = secrets.token_hex(16)
    model = latest_model()

    def assistant(rasa_port: int) -> Assistant:
        return Assistant(ports=shifted(Ports(rasa=rasa_port, actions=5655)),
                         tracker_db=workdir / "unused.db", log_dir=workdir / f"log{rasa_port}",
                         model=model, api_token=token, endpoints=ROOT / "endpoints.scale.yml")

    first, second = assistant(5605), assistant(5606)
    try:
        first.start(timeout=300)
        second.start(timeout=300, with_actions=False)  # the same action server
        yield Instances(first, second)
    finally:
        second.stop()
        first.stop()
        delete_events(rest_id(f"{SENDER_PREFIX}%"))
        delete_events(rest_id("readiness-probe"))
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class AlternatingConversation(Conversation):
    """A conversation whose messages go to each of ``base_urls`` in turn."""

    base_urls: tuple[str, ...] = ()

    def say(self, text: str) -> list[dict[str, Any]]:
        url = self.base_urls[len(self.transcript) % len(self.base_urls)]
        replies = post_json(f"{url}/webhooks/rest/webhook",
                            {"sender": self.sender, "message": text})
        self.transcript.append((text, replies))
        return replies


def user_texts(tracker: dict[str, Any]) -> list[str]:
    return [event["text"] for event in tracker["events"] if event["event"] == "user"]


def test_a_triage_alternating_between_two_instances_keeps_state_and_order(
    instances: Instances,
) -> None:
    first, second = instances.url(instances.first), instances.url(instances.second)
    token = instances.first.api_token
    alone = Conversation(base_url=first, api_token=token, sender=f"{SENDER_PREFIX}-alone")
    expected = run_case(alone, CASE)

    both = AlternatingConversation(base_url=first, api_token=token,
                                   sender=f"{SENDER_PREFIX}-both", base_urls=(first, second))
    result = run_case(both, CASE)

    assert expected.level is not None, alone.transcript
    assert len(both.transcript) >= 4, "too short to alternate meaningfully"
    # same questions, same outcome, and the slot integrations read agrees
    assert result == expected, both.transcript
    sent = [text for text, _ in both.transcript]
    for base_url in (first, second):
        tracker = Conversation(base_url=base_url, api_token=token, sender=both.sender).tracker()
        assert user_texts(tracker) == sent, base_url
    # really in PostgreSQL, not in a silent in-memory fallback
    assert stored_user_texts(both.conversation_id) == sent
