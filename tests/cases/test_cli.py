"""``python -m kneecare.cases`` applies retention and erasure to the configured stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

import kneecare.cases as cases_package
from kneecare.cases.__main__ import main
from kneecare.cases.contact import ContactDetails
from kneecare.cases.settings import case_settings
from kneecare.triage import TriageAnswers, assess
from tests.cases.tracker import add_conversation, create_events_table, senders

ANSWERS = TriageAnswers(pain_duration_days=21, pain_score=8)


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    clinic = tmp_path / "clinic.yml"
    clinic.write_text("name: Test\nphone: '020 7946 0321'\nbooking_link: https://x.example\n"
                      "retention_days: 30\n")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cases.db'}")
    monkeypatch.setenv("TRACKER_DB_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("CASE_DATA_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("KNEE_CLINIC_FILE", str(clinic))
    case_settings.cache_clear()
    cases_package.default_store.cache_clear()
    create_events_table(case_settings().tracker_db_url)
    yield tmp_path
    case_settings.cache_clear()
    cases_package.default_store.cache_clear()


def test_retention_uses_retention_days_from_clinic_yml(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    now = datetime.now(timezone.utc)
    store = cases_package.default_store()
    store.record_triage_case("old", "rest", assess(ANSWERS), ANSWERS, now=now - timedelta(days=31))
    store.record_triage_case("new", "rest", assess(ANSWERS), ANSWERS, now=now - timedelta(days=29))
    add_conversation(store.tracker_url or "", "old", [("user", "hi")], now - timedelta(days=31))
    assert main(["retention"]) == 0
    assert "deleted 1 cases, 1 conversations older than 30 days" in capsys.readouterr().out
    assert [case.conversation_id for case in cases_package.list_queue()] == ["new"]
    assert store.audit_entries(action="retention")[0].detail == "1 cases, 1 conversations"


def test_erase_by_conversation_or_contact(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = cases_package.default_store()
    store.record_triage_case("conv-1", "rest", assess(ANSWERS), ANSWERS)
    store.record_callback_request("conv-2", "rest", ContactDetails.create("Jo", "07911 123456"),
                                  "", None, consent_purpose="call-back")
    add_conversation(store.tracker_url or "", "conv-2", [("user", "hi")], datetime.now())
    assert main(["erase", "--conversation", "conv-1"]) == 0
    assert main(["erase", "--contact", "+447911123456"]) == 0
    assert cases_package.list_queue() == []
    assert senders(store.tracker_url or "") == set()
    assert main(["erase", "--contact", "not a number"]) == 2
    assert "does not look like a phone number" in capsys.readouterr().err


def test_retention_days_defaults_to_365(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clinic = tmp_path / "clinic.yml"
    clinic.write_text("name: Test\n")
    monkeypatch.setenv("KNEE_CLINIC_FILE", str(clinic))
    case_settings.cache_clear()
    try:
        assert case_settings().retention_days == 365
    finally:
        case_settings.cache_clear()
