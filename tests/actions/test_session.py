"""Session start and restart keep the clinic's details in the slots."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.session import (
    ActionOfferResume,
    ActionRestartConversation,
    ActionResumeAnswers,
    ActionSessionStart,
)
from kneecare.clinic import load_settings
from tests.actions.helpers import DOMAIN, ROOT, make_tracker, slot_sets


async def test_session_start_fills_every_clinic_slot_from_clinic_yml() -> None:
    events = await ActionSessionStart().run(CollectingDispatcher(), make_tracker(), DOMAIN)
    values = slot_sets(events)
    clinic = load_settings(str(ROOT / "clinic.yml"))
    assert values["clinic_name"] == clinic.name
    assert values["clinic_phone"] == clinic.phone
    assert values["emergency_number"] == "999"
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")


async def test_restart_keeps_the_clinic_details() -> None:
    events = await ActionRestartConversation().run(CollectingDispatcher(), make_tracker(), DOMAIN)
    assert events[0]["event"] == "restart"
    assert slot_sets(events)["clinic_phone"]


ANSWERS = {"whose_signs": "mine", "screen_emergency": "no", "screen_same_day": "no"}


async def test_back_after_a_long_pause_the_answers_are_set_aside_then_offered() -> None:
    first = CollectingDispatcher()
    live = make_tracker({**ANSWERS, "requested_slot": "pain_duration_days"},
                        active_loop="knee_triage_form")
    events = await ActionOfferResume().run(first, live, DOMAIN)
    values = slot_sets(events)
    assert values["previous_answers"] == ANSWERS
    assert all(values[name] is None for name in ANSWERS) and values["requested_slot"] is None
    assert {"event": "active_loop", "name": None} in [
        {key: event.get(key) for key in ("event", "name")} for event in events]
    assert first.messages == []  # the person's own message is read first

    second = CollectingDispatcher()
    await ActionOfferResume().run(second, make_tracker({"previous_answers": ANSWERS}), DOMAIN)
    assert [message["response"] for message in second.messages] == ["utter_resume_offer"]


async def test_no_offer_when_nothing_was_set_aside_or_new_questions_began() -> None:
    nothing = CollectingDispatcher()
    assert await ActionOfferResume().run(nothing, make_tracker(), DOMAIN) == []
    started_again = CollectingDispatcher()
    await ActionOfferResume().run(started_again, make_tracker(
        {"previous_answers": ANSWERS, "screen_emergency": "yes"},
        active_loop="knee_triage_form"), DOMAIN)  # their message began a new symptom check
    assert started_again.messages == []


async def test_carrying_on_puts_the_answers_back() -> None:
    kept = {"screen_emergency": "no", "pain_duration_days": 21, "not_a_slot": 1}
    events = await ActionResumeAnswers().run(
        CollectingDispatcher(), make_tracker({"previous_answers": kept}), DOMAIN)
    assert slot_sets(events) == {"screen_emergency": "no", "pain_duration_days": 21,
                                 "previous_answers": None}
