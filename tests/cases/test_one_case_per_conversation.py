"""One case per conversation, updated with a history; limits per conversation and client.

Runs on SQLite and PostgreSQL (``db_url``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kneecare.cases.contact import ContactDetails
from kneecare.cases.filing import (
    MAX_CHANGES_PER_CONVERSATION_PER_HOUR,
    MAX_NEW_CASES_PER_CLIENT_PER_HOUR,
    CaseRateLimited,
)
from kneecare.cases.store import CaseStore
from kneecare.triage import TriageAnswers, assess

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
PHYSIO = TriageAnswers(pain_duration_days=21, pain_score=6, limits_activity=True,
                       alters_gait=False, injury=False, age=54)
SAME_DAY = TriageAnswers(signs=frozenset({"cannot_bear_weight"}), age=54)


def triage(store: CaseStore, conversation: str, answers: TriageAnswers, minute: int = 0,
           client_key: str | None = None) -> int:
    return store.record_triage_case(conversation, "socketio", assess(answers), answers,
                                    now=NOW + timedelta(minutes=minute), client_key=client_key)


def callback(store: CaseStore, conversation: str, minute: int = 0) -> int:
    return store.record_callback_request(
        conversation, "socketio", ContactDetails.create("Jo Bloggs", "07911 123456"),
        "after 5pm please", None, consent_purpose="a call-back about my knee",
        now=NOW + timedelta(minutes=minute))


def test_the_same_outcome_again_is_not_a_new_case_nor_a_change(store: CaseStore) -> None:
    first = triage(store, "web:a", PHYSIO)
    assert triage(store, "web:a", PHYSIO, minute=2) == first
    assert triage(store, "web:a", PHYSIO, minute=4) == first
    case = store.get_case(first)
    assert case is not None and case.history == ()
    assert len(store.list_queue()) == 1


def test_a_different_outcome_updates_the_case_and_says_so_in_its_history(
        store: CaseStore) -> None:
    first = triage(store, "web:b", PHYSIO)
    assert triage(store, "web:b", SAME_DAY, minute=5) == first
    case = store.get_case(first)
    assert case is not None
    assert case.level == "same_day" and case.answers.pain_score is None
    assert [(step.staff_user, step.note) for step in case.history] == [
        ("assistant", "Outcome changed from physio to same_day")]
    assert case.status == "new" and len(store.list_queue()) == 1


def test_a_call_back_joins_the_triage_and_keeps_its_answers(store: CaseStore) -> None:
    first = triage(store, "web:c", PHYSIO)
    triage_summary = store.get_case(first).summary  # type: ignore[union-attr]
    assert callback(store, "web:c", minute=3) == first
    case = store.get_case(first)
    assert case is not None
    assert case.kind == "callback" and case.level == "physio"
    assert case.contact == ContactDetails.create("Jo Bloggs", "07911 123456")
    assert case.answers.pain_duration_days == 21 and case.answers.limits_activity is True
    assert case.summary_lines[0].startswith("Call-back request (Physio)")
    assert case.summary_lines[3:] == triage_summary.splitlines()  # reasons and answers kept
    assert [step.note for step in case.history] == [
        "Call-back requested in the same conversation"]
    # the questions asked again later update the triage part, not the call-back
    triage(store, "web:c", SAME_DAY, minute=9)
    case = store.get_case(first)
    assert case is not None and case.kind == "callback" and case.level == "same_day"
    assert case.summary_lines[0].startswith("Call-back request")
    assert case.contact is not None


def test_a_closed_case_is_not_reopened_a_new_one_is_filed(store: CaseStore) -> None:
    first = triage(store, "web:d", PHYSIO)
    store.set_status(first, "closed", "ana", now=NOW + timedelta(minutes=1))
    assert triage(store, "web:d", PHYSIO, minute=2) != first


def test_one_client_address_files_a_limited_number_of_new_cases(store: CaseStore) -> None:
    for number in range(MAX_NEW_CASES_PER_CLIENT_PER_HOUR):
        triage(store, f"web:flood-{number}", PHYSIO, minute=number, client_key="client-1")
    with pytest.raises(CaseRateLimited):
        triage(store, "web:flood-extra", PHYSIO, minute=20, client_key="client-1")
    triage(store, "web:someone-else", PHYSIO, minute=20, client_key="client-2")  # not limited
    triage(store, "web:flood-later", PHYSIO, minute=61 + MAX_NEW_CASES_PER_CLIENT_PER_HOUR,
           client_key="client-1")  # an hour on
    assert len(store.list_queue()) == MAX_NEW_CASES_PER_CLIENT_PER_HOUR + 2


def test_a_conversation_changes_its_case_a_limited_number_of_times(store: CaseStore) -> None:
    first = triage(store, "web:e", PHYSIO)
    for number in range(MAX_CHANGES_PER_CONVERSATION_PER_HOUR + 5):
        triage(store, "web:e", SAME_DAY if number % 2 == 0 else PHYSIO, minute=number + 1)
    case = store.get_case(first)
    assert case is not None
    assert len(case.history) == MAX_CHANGES_PER_CONVERSATION_PER_HOUR
