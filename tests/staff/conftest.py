"""A real staff server for the tests: ``python -m staff`` on a free loopback port.

The server runs as a child process with its own SQLite case store and tracker
store in a temporary folder, the account ``reception`` made with the
``staff.accounts`` command line, and a few seeded cases. ``serving_staff``
starts another such server, for tests that need cases of their own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from kneecare.cases.contact import ContactDetails
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import upgrade_database
from kneecare.cases.store import CaseStore
from kneecare.triage import TriageAnswers, assess
from tests.cases.tracker import add_conversation, create_events_table

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "knee-clinic-reception-2025"
PHYSIO = TriageAnswers(pain_duration_days=21, pain_score=8, limits_activity=True,
                       alters_gait=True, injury=False, age=54)


@dataclass
class StaffServer:
    base_url: str
    store: CaseStore
    env: dict[str, str]
    physio_case: int
    callback_case: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_accounts(env: dict[str, str], *args: str, password: str | None = None
                 ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "staff.accounts", *args], input=password and password + "\n",
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
    )


@contextmanager
def serving_staff(workdir: Path) -> Iterator[tuple[str, CaseStore, dict[str, str]]]:
    """``python -m staff`` over fresh stores in ``workdir``, with the reception account:
    (its address, its case store, its environment)."""
    key = Fernet.generate_key().decode()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{workdir / 'cases.db'}",
        "TRACKER_DB_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "CASE_DATA_KEY": key,
        "STAFF_SECRET_KEY": "test-secret-" + "x" * 40,
        "STAFF_PORT": str(port),
        "STAFF_COOKIE_SECURE": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "CASE_OUTBOX_DIR": str(workdir / "outbox"),
    }
    created = run_accounts(env, "create", "reception", "--password-stdin", password=PASSWORD)
    assert created.returncode == 0, created.stderr
    upgrade_database(env["DATABASE_URL"])
    store = CaseStore(env["DATABASE_URL"], ContactCipher(key.encode()), env["TRACKER_DB_URL"])
    create_events_table(env["TRACKER_DB_URL"])
    log = open(workdir / "staff.log", "wb")  # noqa: SIM115 - closed after the server
    process = subprocess.Popen([sys.executable, "-m", "staff"], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"staff server exited: {(workdir / 'staff.log').read_text()}")
            try:
                with urllib.request.urlopen(base_url + "/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base_url, store, env
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    with serving_staff(tmp_path_factory.mktemp("staff")) as (base_url, store, env):
        now = datetime.now(timezone.utc)
        physio = store.record_triage_case("conv-physio", "rest", assess(PHYSIO), PHYSIO,
                                          now=now - timedelta(hours=3))
        add_conversation(env["TRACKER_DB_URL"], "conv-physio", [
            ("user", "my knee has hurt for 3 weeks, 8/10, and I'm limping"),
            ("bot", "Thank you. How old are you?"),
        ], now - timedelta(hours=3))
        request = store.record_callback_request(
            "conv-callback", "socketio", ContactDetails.create("Jo Bloggs", "07911 123456"),
            "please ring after 5pm", None, consent_purpose="a call-back about my knee",
            now=now - timedelta(hours=1),
        )
        yield StaffServer(base_url, store, env, physio, request)
