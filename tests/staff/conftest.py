"""A real staff server for the tests: ``python -m staff`` on a free loopback port.

The server runs as a child process with its own SQLite case store and tracker
store in a temporary folder, the account ``reception`` made with the
``staff.accounts`` command line, and a few seeded cases. ``outcomes_server`` is
a second one for the Outcomes page: read once empty, then given known outcomes;
``serving_staff`` starts another, for tests that need cases of their own.
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
from datetime import date, datetime, timedelta, timezone
from datetime import time as time_of_day
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from cryptography.fernet import Fernet

from kneecare.cases.contact import ContactDetails
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import upgrade_database
from kneecare.cases.store import CaseStore
from kneecare.clinic import load_settings as load_clinic
from kneecare.triage import TriageAnswers, assess
from tests.cases.tracker import add_conversation, create_events_table
from tests.staff.client import Client, Reply

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "knee-clinic-reception-2025"
PHYSIO = TriageAnswers(pain_duration_days=21, pain_score=8, limits_activity=True,
                       alters_gait=True, injury=False, age=54)
EMERGENCY = TriageAnswers(signs=frozenset({"knee_hot", "fever"}), age=70)
SAME_DAY = TriageAnswers(signs=frozenset({"cannot_bear_weight"}))
# the Outcomes page's known data: (days ago, answers, channel), each at the clinic's noon
OUTCOMES = [(1, EMERGENCY, "socketio"), (1, EMERGENCY, "twilio"), (1, PHYSIO, "whatsapp"),
            (2, SAME_DAY, "telegram"), (20, PHYSIO, "rest"), (80, PHYSIO, "rest")]


@dataclass
class StaffServer:
    base_url: str
    store: CaseStore
    env: dict[str, str]
    physio_case: int
    callback_case: int


@dataclass
class OutcomesServer:
    base_url: str
    today: date  # the clinic's, when the data was filed
    empty_page: Reply  # /outcomes before any case was filed


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


def staff_env(workdir: Path) -> dict[str, str]:
    """The environment of a staff server with its own databases in ``workdir``."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{workdir / 'cases.db'}",
        "TRACKER_DB_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "CASE_DATA_KEY": Fernet.generate_key().decode(),
        "STAFF_SECRET_KEY": "test-secret-" + "x" * 40,
        "STAFF_PORT": str(free_port()),
        "STAFF_COOKIE_SECURE": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "CASE_OUTBOX_DIR": str(workdir / "outbox"),
    }


def store_with_account(env: dict[str, str]) -> CaseStore:
    """The server's case store, upgraded, with the account ``reception``."""
    created = run_accounts(env, "create", "reception", "--password-stdin", password=PASSWORD)
    assert created.returncode == 0, created.stderr
    upgrade_database(env["DATABASE_URL"])
    create_events_table(env["TRACKER_DB_URL"])
    return CaseStore(env["DATABASE_URL"], ContactCipher(env["CASE_DATA_KEY"].encode()),
                     env["TRACKER_DB_URL"])


@contextmanager
def running_staff(env: dict[str, str], workdir: Path) -> Iterator[str]:
    """``python -m staff`` with this environment until the block ends; its base URL."""
    log = open(workdir / "staff.log", "wb")  # noqa: SIM115 - closed after the server
    process = subprocess.Popen([sys.executable, "-m", "staff"], env=env, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{env['STAFF_PORT']}"
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
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def serving_staff(workdir: Path) -> Iterator[tuple[str, CaseStore, dict[str, str]]]:
    """``python -m staff`` over fresh stores in ``workdir``, with the reception account:
    (its address, its case store, its environment)."""
    env = staff_env(workdir)
    store = store_with_account(env)
    with running_staff(env, workdir) as base_url:
        yield base_url, store, env


@pytest.fixture(scope="session")
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StaffServer]:
    workdir = tmp_path_factory.mktemp("staff")
    env = staff_env(workdir)
    store = store_with_account(env)
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
    with running_staff(env, workdir) as base_url:
        yield StaffServer(base_url, store, env, physio, request)


@pytest.fixture(scope="session")
def outcomes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OutcomesServer]:
    """A staff server whose Outcomes page was read empty, then given ``OUTCOMES``.

    A call-back (in the queue, not an outcome) is filed on day 1 too.
    """
    workdir = tmp_path_factory.mktemp("outcomes")
    env = staff_env(workdir)
    store = store_with_account(env)
    zone = ZoneInfo(load_clinic().timezone)
    with running_staff(env, workdir) as base_url:
        client = Client(base_url)
        assert client.sign_in("reception", PASSWORD).status == 303
        empty_page = client.get("/outcomes")
        today = datetime.now(zone).date()
        for number, (days_ago, answers, channel) in enumerate(OUTCOMES):
            at = datetime.combine(today - timedelta(days=days_ago), time_of_day(12), tzinfo=zone)
            store.record_triage_case(f"conv-outcome-{number}", channel, assess(answers),
                                     answers, now=at)
        store.record_callback_request(
            "conv-outcome-callback", "socketio", ContactDetails.create("Jo Bloggs", "07911 123456"),
            "please ring", "physio", consent_purpose="a call-back about my knee",
            now=datetime.combine(today - timedelta(days=1), time_of_day(12), tzinfo=zone),
        )
        yield OutcomesServer(base_url, today, empty_page)
