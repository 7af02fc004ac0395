"""The case store records, sorts, updates, exports and deletes cases on real databases."""

from __future__ import annotations

import ast
import csv
import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from kneecare.cases.contact import ContactDetails
from kneecare.cases.store import CaseError, CaseStore
from kneecare.cases.tables import cases
from kneecare.triage import TriageAnswers, assess
from tests.cases.tracker import add_conversation, senders

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)
PACKAGE = Path(__file__).resolve().parents[2] / "kneecare" / "cases"


def triage(store: CaseStore, conversation: str, answers: TriageAnswers, minutes_ago: int) -> int:
    return store.record_triage_case(conversation, "rest", assess(answers), answers,
                                    now=NOW - timedelta(minutes=minutes_ago))


def callback(store: CaseStore, conversation: str, minutes_ago: int = 0,
             level: str | None = None, phone: str = "07911 123456",
             email: str | None = "jo@example.com") -> int:
    return store.record_callback_request(
        conversation, "socketio", ContactDetails.create("Jo Bloggs", phone, email),
        "please call after 5pm", level, consent_purpose="a call-back about my knee",
        now=NOW - timedelta(minutes=minutes_ago),
    )


PHYSIO = TriageAnswers(pain_duration_days=21, pain_score=8, limits_activity=True,
                       alters_gait=False, injury=False, age=54)
SELF_CARE = TriageAnswers(pain_duration_days=3, pain_score=3, limits_activity=False,
                          alters_gait=False, injury=False, age=40)
EMERGENCY = TriageAnswers(signs=frozenset({"knee_hot", "fever"}), age=70)
SAME_DAY = TriageAnswers(signs=frozenset({"cannot_bear_weight"}))


def test_a_triage_case_keeps_the_answers_and_a_three_line_summary(store: CaseStore) -> None:
    case_id = triage(store, "conv-physio", PHYSIO, 5)
    case = store.get_case(case_id)
    assert case is not None
    assert (case.kind, case.level, case.status, case.channel) == ("triage", "physio", "new", "rest")
    assert case.created_at == NOW - timedelta(minutes=5)
    assert "persistent" in case.reasons and "severe" in case.reasons
    assert case.answers.pain_duration_days == 21 and case.answers.pain_score == 8
    assert case.answers.limits_activity is True and case.answers.alters_gait is False
    assert case.answers.age == 54 and case.answers.red_flags == ()
    first, second, third = case.summary_lines
    assert first.startswith("Physio: pain for 14 days or more")
    assert second == ("Answers: pain about 3 weeks; score 8/10; limits activity yes; limp no;"
                      " injury no; age 54; warning signs: none")
    assert third.startswith("Told to: book a physiotherapist")


def test_a_red_flag_case_names_the_flag_for_staff(store: CaseStore) -> None:
    case = store.get_case(triage(store, "conv-emergency", EMERGENCY, 1))
    assert case is not None and case.level == "emergency"
    assert case.answers.red_flags == ("infection_signs",)
    assert case.summary_lines[0].startswith("EMERGENCY: knee hot, red or swollen AND fever")
    assert "warning signs: knee hot, red or swollen AND fever" in case.summary_lines[1]
    assert "infection_signs" not in " ".join(case.summary_lines)
    assert case.summary_lines[2].startswith("Told to: call 999")


def test_contact_details_are_encrypted_at_rest(store: CaseStore) -> None:
    case_id = callback(store, "conv-callback", level="physio")
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(cases).where(cases.c.id == case_id)).one()
    stored = " ".join(str(value) for value in row)
    assert "Jo Bloggs" not in stored and "7911123456" not in stored and "jo@example" not in stored
    case = store.get_case(case_id)
    assert case is not None and case.kind == "callback"
    assert case.contact == ContactDetails("Jo Bloggs", "+447911123456", "jo@example.com")
    assert case.consent_purpose == "a call-back about my knee" and case.consent_at == NOW
    assert case.summary_lines == [
        "Call-back request (Physio)",
        "Contact by phone (e-mail also given)",
        "Asked for a call-back: please call after 5pm",
    ]


def test_phone_numbers_in_a_callback_reason_are_redacted(store: CaseStore) -> None:
    case_id = store.record_callback_request(
        "conv-x", "rest", ContactDetails.create("Jo", email="jo@example.com"),
        "or try 020 7946 0321", None, consent_purpose="call-back",
    )
    case = store.get_case(case_id)
    assert case is not None and case.callback_reason == "or try [phone]"


def test_the_queue_is_sorted_by_urgency_then_request_time_with_no_level_last(
    store: CaseStore,
) -> None:
    old_self_care = triage(store, "a", SELF_CARE, 300)
    new_physio = triage(store, "b", PHYSIO, 10)
    old_physio = triage(store, "c", PHYSIO, 200)
    same_day = triage(store, "d", SAME_DAY, 1)
    emergency = triage(store, "e", EMERGENCY, 0)
    plain_callback = callback(store, "f", minutes_ago=400)
    physio_callback = callback(store, "g", minutes_ago=100, level="physio")
    # filed first, but the call-back was asked for after the newest physio case
    late_request = triage(store, "h", PHYSIO, 500)
    assert callback(store, "h", minutes_ago=5) == late_request
    order = [case.id for case in store.list_queue()]
    assert order == [emergency, same_day, old_physio, physio_callback, new_physio,
                     late_request, old_self_care, plain_callback]


def test_the_queue_filters_by_status_level_and_kind(store: CaseStore) -> None:
    physio = triage(store, "a", PHYSIO, 10)
    emergency = triage(store, "b", EMERGENCY, 5)
    request = callback(store, "c")
    store.set_status(emergency, "closed", "ana", "sent to A&E")
    assert [c.id for c in store.list_queue(status="new")] == [physio, request]
    assert [c.id for c in store.list_queue(status=("closed",))] == [emergency]
    assert [c.id for c in store.list_queue(level="physio")] == [physio]
    assert [c.id for c in store.list_queue(kind="callback")] == [request]
    with pytest.raises(CaseError, match="unknown status"):
        store.list_queue(status="lost")
    with pytest.raises(CaseError, match="unknown level"):
        store.list_queue(level="urgent")


def test_status_changes_keep_who_and_why(store: CaseStore) -> None:
    case_id = triage(store, "a", PHYSIO, 10)
    store.set_status(case_id, "contacted", "ana", "left a voicemail", now=NOW)
    case = store.set_status(case_id, "booked", "ben", "Tue 10:00 with Sam",
                            now=NOW + timedelta(hours=1))
    assert case.status == "booked"
    assert [(s.from_status, s.to_status, s.staff_user, s.note) for s in case.history] == [
        ("new", "contacted", "ana", "left a voicemail"),
        ("contacted", "booked", "ben", "Tue 10:00 with Sam"),
    ]
    with pytest.raises(CaseError):
        store.set_status(case_id, "done", "ana")
    with pytest.raises(CaseError):
        store.set_status(case_id, "closed", "ana", "x" * 2001)
    with pytest.raises(LookupError):
        store.set_status(9999, "closed", "ana")
    assert store.get_case(9999) is None


def test_bad_input_is_refused(store: CaseStore) -> None:
    with pytest.raises(CaseError):
        triage(store, "", PHYSIO, 0)
    with pytest.raises(CaseError):
        store.record_triage_case("a", "x" * 40, assess(PHYSIO), PHYSIO)
    with pytest.raises(CaseError):
        store.record_callback_request("a", "rest", ContactDetails.create("Jo", "07911 123456"),
                                      "", "urgent", consent_purpose="call-back")
    with pytest.raises(CaseError):
        store.record_callback_request("a", "rest", ContactDetails.create("Jo", "07911 123456"),
                                      "", None, consent_purpose=" ")


def test_the_csv_export_follows_the_queue_and_leaves_contacts_out(store: CaseStore) -> None:
    physio = triage(store, "a", PHYSIO, 10)
    emergency = triage(store, "b", EMERGENCY, 5)
    callback(store, "c")
    rows = list(csv.DictReader(io.StringIO(store.export_csv())))
    assert [int(row["id"]) for row in rows][:2] == [emergency, physio]
    assert rows[1]["reasons"].split(";")[:2] == ["persistent", "limits_activity"]
    assert rows[1]["pain_score"] == "8"
    assert "contact_phone" not in rows[0]
    text = store.export_csv()
    assert "7911123456" not in text and "Jo Bloggs" not in text
    with_contacts = list(csv.DictReader(io.StringIO(
        store.export_csv(kind="callback", include_contact=True))))
    assert with_contacts[0]["contact_phone"] == "'+447911123456"  # not a formula
    assert [int(row["id"]) for row in csv.DictReader(io.StringIO(
        store.export_csv(level="emergency")))] == [emergency]


def test_retention_deletes_old_cases_and_idle_conversations(
    store: CaseStore, tracker_url: str
) -> None:
    now = datetime.now(timezone.utc)
    old = store.record_triage_case("old", "rest", assess(PHYSIO), PHYSIO,
                                   now=now - timedelta(days=400))
    recent = store.record_triage_case("recent", "rest", assess(PHYSIO), PHYSIO,
                                      now=now - timedelta(days=10))
    add_conversation(tracker_url, "old", [("user", "hi"), ("bot", "hello")],
                     now - timedelta(days=400))
    add_conversation(tracker_url, "recent", [("user", "hi")], now - timedelta(days=10))
    # started long ago but still in use: kept whole
    add_conversation(tracker_url, "returning", [("user", "hi")], now - timedelta(days=500))
    add_conversation(tracker_url, "returning", [("user", "back again")], now - timedelta(days=1))
    report = store.delete_older_than(365)
    assert (report.cases, report.conversations) == (1, 1)
    assert store.get_case(old) is None and store.get_case(recent) is not None
    assert senders(tracker_url) == {"recent", "returning"}


def test_erasing_a_conversation_removes_its_cases_and_transcript(
    store: CaseStore, tracker_url: str
) -> None:
    first = triage(store, "conv-1", PHYSIO, 10)
    second = callback(store, "conv-1")
    assert second == first  # one case per conversation
    other = triage(store, "conv-2", PHYSIO, 5)
    add_conversation(tracker_url, "conv-1", [("user", "hi")], NOW)
    add_conversation(tracker_url, "conv-2", [("user", "hi")], NOW)
    report = store.erase_conversation("conv-1")
    assert (report.cases, report.conversations) == (1, 1)
    assert store.get_case(first) is None and store.get_case(second) is None
    assert store.get_case(other) is not None
    assert senders(tracker_url) == {"conv-2"}


def test_erasing_a_person_finds_them_by_phone_or_email(store: CaseStore, tracker_url: str) -> None:
    by_phone = callback(store, "conv-1", phone="07911 123456", email=None)
    triage_of_same = triage(store, "conv-1", PHYSIO, 3)
    by_email = callback(store, "conv-2", phone="020 7946 0321", email="Sam@Example.com")
    someone_else = callback(store, "conv-3", phone="07912 345678", email="x@example.com")
    add_conversation(tracker_url, "conv-1", [("user", "hi")], NOW)
    assert triage_of_same == by_phone  # one case per conversation
    report = store.erase_person("+44 7911 123456")
    assert (report.cases, report.conversations) == (1, 1)
    assert store.get_case(by_phone) is None and store.get_case(triage_of_same) is None
    assert store.erase_person("sam@example.com").cases == 1
    assert store.get_case(by_email) is None and store.get_case(someone_else) is not None
    assert store.erase_person("nobody@example.com").cases == 0


def test_the_audit_log_keeps_entries_newest_first(store: CaseStore) -> None:
    store.audit("ana", "sign_in", remote_addr="127.0.0.1", now=NOW)
    store.audit("ana", "view_case", case_id=3, detail="called 07911 123456",
                now=NOW + timedelta(seconds=1))
    entries = store.audit_entries()
    assert [(e.action, e.case_id) for e in entries] == [("view_case", 3), ("sign_in", None)]
    assert entries[0].detail == "called [phone]"


def test_the_case_package_never_imports_rasa_and_documents_every_module() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        assert ast.get_docstring(tree), f"{path} needs a docstring saying its role"
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in {"rasa", "rasa_sdk"}], path


def test_the_summary_names_the_picked_sign_says_not_sure_and_quotes_the_person(
    store: CaseStore,
) -> None:
    from kneecare.findings import Evidence

    answers = TriageAnswers(
        screens={"screen_emergency": "no", "screen_same_day": "yes"},
        picks={"screen_same_day": "screen_same_day:2"},
        injury=True, not_sure=frozenset({"injury"}),
        evidence=(Evidence("screen_same_day:2", "present",
                           "the back of my calf is tight, ring me on 07700 900123"),),
    )
    case = store.get_case(triage(store, "conv-picked", answers, 1))
    assert case is not None
    first, second, _ = case.summary_lines
    assert first.startswith("Same day: calf pain, tenderness or swelling")
    assert '"the back of my calf is tight, ring me on [phone]"' in first
    assert "locked" not in first and "weight" not in first
    assert "injury not sure" in second
    assert case.answers.answer_words("injury") == "not sure"
    assert case.answers.answer_words("alters_gait") == "not given"
    (reason,) = case.reasons_explained
    assert reason.startswith("calf pain, tenderness or swelling")
    assert reason.endswith('"the back of my calf is tight, ring me on [phone]"')


def test_the_summary_of_an_unpicked_screen_says_one_of_the_signs_listed(store: CaseStore) -> None:
    answers = TriageAnswers(screens={"screen_emergency": "yes"},
                            picks={"screen_emergency": "several"})
    case = store.get_case(triage(store, "conv-unpicked", answers, 1))
    assert case is not None
    assert case.summary_lines[0] == "EMERGENCY: said yes to one of the serious signs listed"
    assert case.reasons_explained == ("said yes to one of the serious signs listed",)


def test_a_call_back_keeps_the_triage_answers_and_reasons(store: CaseStore) -> None:
    answers = TriageAnswers(
        pain_duration_days=21, limits_activity=True, alters_gait=False,
        not_sure=frozenset({"limits_activity"}),
    )
    case_id = triage(store, "conv-joined", answers, 1)
    before = store.get_case(case_id)
    assert before is not None and len(before.reasons_explained) == len(before.reasons) >= 2
    joined = store.record_callback_request(  # the chat passes the level it told the person
        "conv-joined", "rest", ContactDetails.create("Sam", "07911 123456"), "", before.level,
        consent_purpose="a call-back about my knee", now=NOW + timedelta(minutes=5),
    )
    case = store.get_case(joined)
    assert case is not None and joined == case_id and case.kind == "callback"
    assert case.answers.answer_words("limits_activity") == "not sure"
    assert case.answers.answer_words("alters_gait") == "no"
    assert case.reasons_explained == before.reasons_explained
    assert case.reasons == before.reasons
    first = case.summary_lines[0]
    assert first.startswith("Call-back request (Physio): ") and len(first) > 40
