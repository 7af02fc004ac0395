"""Cases are never dropped when the case database is unavailable.

The database is made unavailable for real: ``DATABASE_URL`` points at an
SQLite path that is a folder (SQLite cannot open it, as when a disk or mount
is gone), and, for PostgreSQL, at a port where nothing listens. The case then
waits in the encrypted outbox and is stored, with its original time, by the
next successful recording or by ``python -m kneecare.cases retry``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

import kneecare.cases as cases
from kneecare.cases.__main__ import main
from kneecare.cases.contact import ContactDetails
from kneecare.cases.outbox import Outbox
from kneecare.cases.settings import case_settings
from kneecare.triage import TriageAnswers, assess
from tests.sealed import opened_sealed_text

PHYSIO = TriageAnswers(pain_duration_days=30, pain_score=4, limits_activity=True)
NAME, PHONE, EMAIL = "Sam Patel", "07911 123456", "sam.patel@example.com"


class Database:
    """An SQLite case database that can be taken away and given back."""

    def __init__(self, path: Path):
        self.path = path

    def take_away(self) -> None:
        self.path.mkdir()  # a folder where the database file should be

    def give_back(self) -> None:
        self.path.rmdir()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("CASE_DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("CASE_OUTBOX_DIR", str(tmp_path / "outbox"))
    case_settings.cache_clear()
    cases.default_store.cache_clear()
    yield Database(tmp_path / "cases.db")
    case_settings.cache_clear()
    cases.default_store.cache_clear()


def _callback(conversation: str = "conv-callback") -> int:
    return cases.record_callback_request(
        conversation, "rest", ContactDetails.create(NAME, phone=PHONE), "my knee", "physio",
        consent_purpose="call-back",
    )


def test_an_unavailable_database_keeps_the_case_encrypted_and_says_so(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    database.take_away()
    with caplog.at_level(logging.INFO), pytest.raises(cases.CaseKeptInOutbox):
        _callback()
    (kept,) = cases.default_outbox().files()
    opened = opened_sealed_text(kept.read_text(), os.environ["CASE_DATA_KEY"].encode())
    for secret in (NAME, "7911123456", "my knee", "conv-callback"):
        assert secret in opened  # sealed in the file, readable with the key only
    assert oct(kept.stat().st_mode & 0o777) == "0o600"
    (waiting,) = cases.default_outbox().waiting()
    assert waiting.values["contact"]["name"] == NAME  # readable with the key only
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "kept in the outbox (1 waiting)" in logged and "conv-callback" in logged
    assert NAME not in logged and "Patel" not in logged and "7911" not in logged


def test_the_next_successful_recording_delivers_what_waited_in_order(database: Database) -> None:
    database.take_away()
    with pytest.raises(cases.CaseKeptInOutbox):
        _callback("first")
    with pytest.raises(cases.CaseKeptInOutbox):
        cases.record_triage_case("second", "rest", assess(PHYSIO), PHYSIO)
    assert len(cases.default_outbox().files()) == 2
    database.give_back()
    cases.record_triage_case("third", "rest", assess(PHYSIO), PHYSIO)
    assert cases.default_outbox().files() == []
    queue = cases.default_store().list_queue(kind=None)
    by_conversation = {case.conversation_id: case for case in queue}
    assert set(by_conversation) == {"first", "second", "third"}
    first, second, third = (by_conversation[c] for c in ("first", "second", "third"))
    assert first.created_at < second.created_at < third.created_at
    assert first.kind == "callback" and first.contact is not None
    assert first.contact.name == NAME and first.contact.phone == "+447911123456"
    assert first.consent_at == first.created_at
    assert second.kind == "triage" and second.level == "physio"
    assert second.answers.pain_duration_days == 30 and second.answers.limits_activity is True


def test_retry_from_the_command_line(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    database.take_away()
    with pytest.raises(cases.CaseKeptInOutbox):
        _callback()
    assert main(["outbox"]) == 0
    assert "1 cases waiting in the outbox" in capsys.readouterr().out
    assert main(["retry"]) == 1
    assert "unavailable (OperationalError); 1 cases still waiting" in capsys.readouterr().err
    database.give_back()
    assert main(["retry"]) == 0
    assert "stored 1 cases from the outbox; 0 waiting" in capsys.readouterr().out
    assert [case.kind for case in cases.list_queue()] == ["callback"]


def test_erasure_reaches_cases_still_waiting(database: Database) -> None:
    database.take_away()
    for conversation in ("a", "b"):
        with pytest.raises(cases.CaseKeptInOutbox):
            _callback(conversation)
    with pytest.raises(cases.CaseKeptInOutbox):
        cases.record_triage_case("c", "rest", assess(PHYSIO), PHYSIO)
    database.give_back()
    cases.default_store.cache_clear()
    cases.default_store()  # the schema exists, the outbox is not delivered yet
    assert cases.erase_person("+44 7911 123456").cases == 2
    assert [case.conversation_id for case in cases.default_outbox().waiting()] == ["c"]
    assert cases.erase_conversation("c").cases == 1
    assert cases.default_outbox().files() == []


def test_bad_input_is_refused_not_kept(database: Database) -> None:
    database.take_away()
    with pytest.raises(cases.CaseError):
        cases.record_triage_case("", "rest", assess(PHYSIO), PHYSIO)
    assert cases.default_outbox().files() == []


def test_a_delivery_under_way_elsewhere_is_left_to_it(database: Database) -> None:
    import fcntl

    database.take_away()
    with pytest.raises(cases.CaseKeptInOutbox):
        _callback()
    database.give_back()
    outbox: Outbox = cases.default_outbox()
    with open(outbox.folder / ".lock", "a") as other_process:
        fcntl.flock(other_process, fcntl.LOCK_EX)
        assert outbox.deliver(cases.default_store()).delivered == 0
    assert outbox.deliver(cases.default_store()).delivered == 1


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_postgresql_keeps_the_case_too(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg2")
    url = f"postgresql://knee:secret@127.0.0.1:{_closed_port()}/knee?connect_timeout=2"
    monkeypatch.setenv("DATABASE_URL", url)
    case_settings.cache_clear()
    with pytest.raises(cases.CaseKeptInOutbox):
        cases.record_triage_case("pg", "rest", assess(PHYSIO), PHYSIO)
    (waiting,) = cases.default_outbox().waiting()
    assert waiting.conversation_id == "pg" and waiting.kind == "triage"
    assert waiting.created_at.utcoffset() == timedelta(0)
