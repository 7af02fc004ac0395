"""On PostgreSQL too: after an SMS conversation with a call-back, neither the tracker
database nor the case database holds the phone number, the name or the SMS number.

The real servers with endpoints.scale.yml (PostgreSQL tracker store, Redis lock
store) and the case store in the same, freshly made database, which is
dropped afterwards. Skips, saying why, where PostgreSQL or Redis is not
reachable.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.stack import unreachable_service
from runner.services import ROOT, Assistant, Ports, latest_model
from tests.channels.drivers import TwilioDriver
from tests.channels.fakes import fake_telegram, fake_twilio
from tests.channels.servers import ChannelServers, credentials_for_tests
from tests.ports import shifted
from tests.privacy.test_channels_privacy_e2e import (
    CALLBACK_NAME,
    PHONE_FORMS,
    database_text,
    digits_of,
    sms_call_back,
)
from tests.scaleout.test_two_instances_share_conversations import REDIS

pytestmark = pytest.mark.e2e
PORTS = shifted(Ports(rasa=6305, actions=6355, web=6380, staff=6381))


@pytest.fixture(scope="module")
def postgres_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelServers]:
    reason = unreachable_service()
    if reason:
        pytest.skip(reason)
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    import psycopg2

    database = f"knee_privacy_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, dbname="test", user="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{database}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{database}"
    workdir: Path = tmp_path_factory.mktemp("postgres-privacy")
    twilio, telegram = fake_twilio(), fake_telegram()
    assistant = Assistant(
        ports=PORTS, tracker_db=workdir / "unused.db", log_dir=workdir / "log",
        model=latest_model(), api_token=secrets.token_hex(16),
        endpoints=ROOT / "endpoints.scale.yml",
        credentials=credentials_for_tests(workdir / "credentials.yml", PORTS.rasa,
                                          twilio, telegram),
        environment={
            "TRACKER_DB_HOST": "127.0.0.1", "TRACKER_DB_PORT": "5432", "TRACKER_DB": database,
            "TRACKER_DB_USER": "postgres", "TRACKER_DB_PASSWORD": "",
            "LOCK_STORE_HOST": REDIS["host"], "LOCK_STORE_PORT": str(REDIS["port"]),
            "LOCK_STORE_DB": str(REDIS["db"]),
            "DATABASE_URL": url, "TRACKER_DB_URL": url,
            "CASE_OUTBOX_DIR": str(workdir / "outbox"),
            "REST_WEBHOOK_TOKEN": secrets.token_hex(16),
        },
    )
    try:
        assistant.start(timeout=300)
        yield ChannelServers(assistant, twilio, telegram)
    finally:
        assistant.stop()
        twilio.stop()
        telegram.stop()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def test_no_phone_number_is_stored_in_plain_text_on_postgresql(
        postgres_servers: ChannelServers) -> None:
    sms = TwilioDriver(postgres_servers)
    sms_call_back(sms)
    stored = database_text(postgres_servers.assistant.environment["DATABASE_URL"])
    assert "events" in stored or sms.conversation_id in stored
    assert sms.conversation_id in stored  # the conversation and its case are there
    for secret in (*PHONE_FORMS, digits_of(sms.sender), CALLBACK_NAME, "Zebedee"):
        assert secret not in stored, secret
