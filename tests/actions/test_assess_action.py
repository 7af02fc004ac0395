"""action_assess_knee_pain: the outcome slots that the outcome rules read, and never silence."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

import kneecare.cases
from actions.assess import ActionAssessKneePain
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets

NO_SCREENS = {
    "screen_emergency": "no",
    "screen_same_day": "no",
    "screen_gp_soon": "no",
    "injury": False,
}

# a flagged (physio) outcome: a month of pain that limits activity
LIMITING_FOR_A_MONTH = {**NO_SCREENS, "pain_duration_days": 30, "pain_score": 4,
                        "limits_activity": True, "alters_gait": False, "age": 50}

CASES: list[tuple[str, dict[str, Any], str, list[str]]] = [
    (
        "fever with a hot knee is an emergency",
        {"signs": ["knee_hot", "fever"]},
        "emergency",
        ["infection_signs"],
    ),
    (
        "'not sure' to the emergency screen counts as yes",
        {"screen_emergency": "unsure"},
        "emergency",
        [],
    ),
    ("calf swelling alone is same day", {"signs": ["calf_pain"]}, "same_day", ["dvt_signs"]),
    (
        "three weeks of pain is flagged for a physio",
        {
            **NO_SCREENS,
            "pain_duration_days": 21,
            "pain_score": 4,
            "limits_activity": False,
            "alters_gait": False,
            "age": 50,
        },
        "physio",
        ["persistent"],
    ),
    (
        "limiting pain is flagged for a physio",
        {
            **NO_SCREENS,
            "pain_duration_days": 5,
            "pain_score": 3,
            "limits_activity": True,
            "alters_gait": False,
            "age": 50,
        },
        "physio",
        ["limits_activity"],
    ),
    (
        "mild recent pain is self care",
        {
            **NO_SCREENS,
            "pain_duration_days": 3,
            "pain_score": 3,
            "limits_activity": False,
            "alters_gait": False,
            "age": 40,
        },
        "self_care",
        ["no_concerns"],
    ),
    (
        "a child with persistent pain goes to a GP",
        {
            **NO_SCREENS,
            "pain_duration_days": 30,
            "pain_score": 4,
            "limits_activity": False,
            "alters_gait": False,
            "age": 12,
        },
        "gp_soon",
        ["persistent", "under_16"],
    ),
]


@pytest.mark.parametrize("description, slots, level, reasons", CASES, ids=[c[0] for c in CASES])
async def test_outcome_slots(
    description: str, slots: dict[str, Any], level: str, reasons: list[str]
) -> None:
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    values = slot_sets(events)
    assert values["triage_level"] == level
    assert values["assessment_failed"] is False
    for reason in reasons:
        assert reason in values["triage_reasons"]
    assert values["triage_why"], "every outcome says why"
    assert f"utter_outcome_{level}" in DOMAIN["responses"]
    assert "{triage_why}" in DOMAIN["responses"][f"utter_outcome_{level}"][0]["text"]


async def test_physio_outcome_explains_with_the_persons_own_answers() -> None:
    slots = {
        **NO_SCREENS,
        "pain_duration_days": 21,
        "pain_score": 8,
        "limits_activity": True,
        "alters_gait": False,
        "age": 50,
    }
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    why = slot_sets(events)["triage_why"]
    assert "about 3 weeks" in why and "8/10" in why


@pytest.mark.parametrize(
    "slots",
    [
        {"pain_score": "eleven", "age": [1, 2], "signs": 42, "pain_duration_days": float("nan")},
        {"screen_emergency": "perhaps", "limits_activity": "yes", "denied_signs": {"a": 1}},
        {},
    ],
)
async def test_odd_slot_values_never_crash_the_action(slots: dict[str, Any]) -> None:
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    values = slot_sets(events)
    if values["assessment_failed"]:  # unreadable answers are unanswered questions
        assert values["triage_level"] is None
    else:
        assert values["triage_level"] in {"emergency", "same_day", "gp_soon", "physio",
                                          "self_care"}


COMPLETE = {**NO_SCREENS, "pain_duration_days": 3, "pain_score": 3, "limits_activity": False,
            "alters_gait": False, "age": 40}
UNFINISHED = [
    ("nothing answered", {}),
    ("only the screens answered", NO_SCREENS),
    ("the emergency screen unanswered", {k: v for k, v in COMPLETE.items()
                                         if k != "screen_emergency"}),
    ("the same-day screen unanswered", {k: v for k, v in COMPLETE.items()
                                        if k != "screen_same_day"}),
    ("how long unanswered", {k: v for k, v in COMPLETE.items() if k != "pain_duration_days"}),
    ("whether it limits activity unanswered", {k: v for k, v in COMPLETE.items()
                                               if k != "limits_activity"}),
]


@pytest.mark.parametrize("description, slots", UNFINISHED, ids=[c[0] for c in UNFINISHED])
async def test_unfinished_questions_never_become_a_reassuring_outcome(
        description: str, slots: dict[str, Any], monkeypatch) -> None:
    stored: list[Any] = []
    monkeypatch.setattr(kneecare.cases, "record_triage_case", lambda *a, **k: stored.append(a))
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    assert slot_sets(events) == {"assessment_failed": True, "triage_level": None}
    assert not stored


async def test_an_emergency_needs_no_further_answers() -> None:
    events = await ActionAssessKneePain().run(
        CollectingDispatcher(), make_tracker({"screen_emergency": "yes"}), DOMAIN)
    assert slot_sets(events)["triage_level"] == "emergency"


async def test_a_failing_assessment_tells_the_person_how_to_get_help(monkeypatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("criteria file unreadable")

    monkeypatch.setattr("actions.assess.assess", broken)
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(COMPLETE),
                                              DOMAIN)
    assert slot_sets(events) == {"assessment_failed": True, "triage_level": None}
    text = DOMAIN["responses"]["utter_assessment_failed"][0]["text"]
    assert "{clinic_phone}" in text and "{urgent_advice_number}" in text
    assert "{emergency_number}" in text


async def test_a_flagged_outcome_is_stored_for_staff(monkeypatch) -> None:
    stored = []
    monkeypatch.setattr(
        "kneecare.cases.record_triage_case",
        lambda conversation, channel, outcome, answers, client_key: stored.append(
            (conversation, outcome.level, client_key)
        ),
    )
    slots = LIMITING_FOR_A_MONTH
    tracker = make_tracker(slots)
    tracker.latest_message["metadata"] = {"client_key": "c" * 32}  # set by the channel
    events = await ActionAssessKneePain().run(CollectingDispatcher(), tracker, DOMAIN)
    assert stored == [("action-test", "physio", "c" * 32)]
    assert slot_sets(events)["case_saved"] is True


async def test_self_care_is_not_stored(monkeypatch) -> None:
    monkeypatch.setattr("kneecare.cases.record_triage_case",
                        lambda *a, **k: pytest.fail("stored"))
    slots = {
        **NO_SCREENS,
        "pain_duration_days": 2,
        "pain_score": 2,
        "limits_activity": False,
        "alters_gait": False,
        "age": 30,
    }
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    assert slot_sets(events)["case_saved"] is None


async def test_a_database_failure_still_gives_the_outcome(monkeypatch) -> None:
    def broken(*args: Any) -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr("kneecare.cases.record_triage_case", broken)
    slots = LIMITING_FOR_A_MONTH
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    values = slot_sets(events)
    assert values["triage_level"] == "physio" and values["case_saved"] is False


async def test_an_unavailable_database_keeps_the_case_and_tells_the_person(
    unavailable_case_database: None,
) -> None:
    slots = LIMITING_FOR_A_MONTH
    dispatcher = CollectingDispatcher()
    events = await ActionAssessKneePain().run(dispatcher, make_tracker(slots), DOMAIN)
    assert slot_sets(events)["case_saved"] is False
    assert [message["response"] for message in dispatcher.messages] == ["utter_case_not_saved"]
    (waiting,) = kneecare.cases.default_outbox().waiting()
    assert waiting.kind == "triage" and waiting.values["outcome"]["level"] == "physio"


async def test_an_emergency_outcome_is_not_followed_by_a_reception_notice(monkeypatch) -> None:
    def kept(*args: Any) -> None:
        raise kneecare.cases.CaseKeptInOutbox("kept")

    monkeypatch.setattr("kneecare.cases.record_triage_case", kept)
    dispatcher = CollectingDispatcher()
    events = await ActionAssessKneePain().run(
        dispatcher, make_tracker({**NO_SCREENS, "screen_emergency": "yes"}), DOMAIN
    )
    assert slot_sets(events)["triage_level"] == "emergency"
    assert slot_sets(events)["case_saved"] is False and dispatcher.messages == []


async def test_an_emergency_sets_the_red_flags_slot_the_safety_net_reads() -> None:
    """The safety net (core_plugins/action_safety_net.py) reads ``red_flags`` when the
    action server fails later; an outcome that did not set it would lose them."""
    slots = {"signs": ["knee_hot", "fever"], "age": 60}
    events = await ActionAssessKneePain().run(CollectingDispatcher(), make_tracker(slots), DOMAIN)
    values = slot_sets(events)
    assert values["triage_level"] == "emergency"
    assert values["red_flags"] == ["infection_signs"]
