"""The call queue on real databases: urgency then call-by order, pages, "new since", overdue."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from kneecare.cases.call_queue import queue_rows
from kneecare.cases.contact import ContactDetails
from kneecare.cases.queue import count_queue, newest_case_id
from kneecare.cases.records import LEVELS
from kneecare.cases.store import CaseStore
from kneecare.clinic import load_settings
from kneecare.triage import TriageAnswers, assess

CLINIC = load_settings(str(Path(__file__).resolve().parents[2] / "clinic.yml"))
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
PHYSIO = TriageAnswers(pain_duration_days=21, pain_score=8, limits_activity=True,
                       alters_gait=False, injury=False, age=54)


def callback(store: CaseStore, conversation: str, at: datetime, level: str | None) -> int:
    return store.record_callback_request(
        conversation, "socketio", ContactDetails.create("Jo Bloggs", "07911 123456"),
        "please call", level, consent_purpose="a call-back about my knee", now=at,
    )


def rank(level: str | None) -> int:
    return LEVELS.index(level) if level else len(LEVELS)


def test_the_queue_is_in_urgency_then_call_by_order(store: CaseStore) -> None:
    # requests over a week, the levels in turn, filed in no particular order
    hours = [50, 3, 121, 30, 75, 0, 99, 8, 146, 26, 61, 13, 110, 40]
    levels = [*LEVELS, None]
    for n, hour in enumerate(hours):
        callback(store, f"c{n}", MONDAY + timedelta(hours=hour), levels[n % len(levels)])
    found = store.list_queue(kind="callback")
    keys = [(rank(case.level), CLINIC.call_by(case.requested_at)) for case in found]
    assert len(found) == len(hours) and keys == sorted(keys)  # type: ignore[type-var]
    assert [case.level for case in found][:3] == ["emergency"] * 3


def test_pages_are_consecutive_slices_of_the_queue(store: CaseStore) -> None:
    for n in range(7):
        callback(store, f"c{n}", MONDAY + timedelta(minutes=n), "physio" if n % 2 else None)
    whole = [case.id for case in store.list_queue()]
    pages = [[c.id for c in store.list_queue(limit=3, offset=start)] for start in (0, 3, 6)]
    assert [len(page) for page in pages] == [3, 3, 1] and sum(pages, []) == whole
    assert count_queue(store.engine) == 7 and count_queue(store.engine, level="physio") == 3


def test_new_since_counts_new_cases_and_triages_turned_call_backs(store: CaseStore) -> None:
    old_request = callback(store, "old", MONDAY, "physio")
    triage = store.record_triage_case("t", "rest", assess(PHYSIO), PHYSIO, now=MONDAY)
    seen = (newest_case_id(store.engine), MONDAY + timedelta(minutes=1))
    assert count_queue(store.engine, kind="callback", newer_than=seen) == 0
    store.set_status(old_request, "contacted", "ana", "rang")  # a change is not news
    callback(store, "new", MONDAY + timedelta(minutes=2), None)
    assert callback(store, "t", MONDAY + timedelta(minutes=3), None) == triage
    assert count_queue(store.engine, kind="callback", newer_than=seen) == 2
    assert count_queue(store.engine, kind="callback", level="physio", newer_than=seen) == 1
    assert newest_case_id(store.engine) == seen[0] + 1


def test_only_an_uncontacted_call_back_past_its_call_by_time_is_overdue(
    store: CaseStore,
) -> None:
    late = callback(store, "late", MONDAY, "physio")  # call by Monday 20:00
    contacted = callback(store, "contacted", MONDAY, "physio")
    store.set_status(contacted, "contacted", "ana", "rang")
    in_time = callback(store, "in-time", MONDAY + timedelta(hours=11), "physio")  # 21:00: Tue
    triage = store.record_triage_case("t", "rest", assess(PHYSIO), PHYSIO, now=MONDAY)
    tuesday_noon = MONDAY + timedelta(days=1, hours=2)
    rows = {row.case.id: row for row in queue_rows(store.list_queue(), CLINIC, tuesday_noon)}
    assert {case_id for case_id, row in rows.items() if row.overdue} == {late}
    assert rows[late].call_by == datetime(2026, 11, 23, 20, 0, tzinfo=timezone.utc)
    assert rows[in_time].call_by == datetime(2026, 11, 24, 20, 0, tzinfo=timezone.utc)
    assert rows[triage].call_by is None and not rows[triage].overdue
