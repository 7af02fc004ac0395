"""validate_knee_triage_form and the outcome: which sign, emergency advice first, whose knee."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.assess import ActionAssessKneePain
from actions.triage_form import ValidateKneeTriageForm
from kneecare.findings import Findings, Subject
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets

FORM = "knee_triage_form"


def asked(
    slot: str, text: str, intent: str | None, slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> Tracker:
    tracker = make_tracker({**(slots or {}), "requested_slot": slot}, text, intent,
                           active_loop=FORM)
    tracker.latest_message["entities"] = entities or []
    return tracker


async def run_form(tracker: Tracker) -> tuple[list[str], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateKneeTriageForm().run(dispatcher, tracker, DOMAIN)
    return [m["response"] for m in dispatcher.messages], slot_sets(events)


async def test_a_yes_to_the_emergency_screen_gives_the_advice_first_then_asks_which() -> None:
    sent, slots = await run_form(asked("screen_emergency", "/affirm", "affirm"))
    assert sent == ["utter_emergency_advice_first"]
    assert slots["requested_slot"] == "which_emergency_sign"
    assert slots["emergency_advice_given"] is True
    buttons = DOMAIN["responses"]["utter_ask_which_emergency_sign"][0]["buttons"]
    assert len(buttons) == 7 and buttons[-1]["title"] == "More than one / not sure"


async def test_a_yes_to_the_gp_soon_screen_asks_which_without_emergency_advice() -> None:
    before = {"screen_emergency": "no", "screen_same_day": "no", "injury": False}
    sent, slots = await run_form(asked("screen_gp_soon", "yes", "affirm", before))
    assert sent == []
    assert slots["requested_slot"] == "which_gp_soon_sign"


async def test_the_picked_sign_ends_the_questions_and_names_the_sign() -> None:
    before = {"screen_emergency": "yes", "emergency_advice_given": True}
    pick = [{"entity": "sign_pick", "value": "screen_emergency:2"}]
    sent, slots = await run_form(
        asked("which_emergency_sign", '/inform{"sign_pick": "screen_emergency:2"}', "inform",
              before, pick))
    assert sent == [] and slots["which_emergency_sign"] == "screen_emergency:2"
    assert slots["requested_slot"] is None
    assessed = slot_sets(await ActionAssessKneePain().run(
        CollectingDispatcher(), make_tracker({**before, **slots}), DOMAIN))
    assert assessed["triage_level"] == "emergency"
    assert assessed["red_flags"] == ["major_trauma"]
    assert assessed["triage_why"].startswith("you were hurt in a serious accident")
    assert '"A serious accident or fall"' in assessed["triage_why"]


async def test_someone_elses_knee_is_named_and_their_age_not_asked() -> None:
    slots = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no",
             "injury": False, "pain_duration_days": 20, "limits_activity": False,
             "alters_gait": False, "age": 71, "subject_who": "other", "subject_relation": "aunt",
             "subject_name": "your aunt"}
    _, set_now = await run_form(asked("pain_score", "6", None, slots))
    assert set_now["requested_slot"] is None and set_now["answer_unclear"] is False
    assessed = slot_sets(await ActionAssessKneePain().run(
        CollectingDispatcher(), make_tracker({**slots, **set_now}), DOMAIN))
    assert "your aunt's knee has been painful" in assessed["triage_why"]
    variations = DOMAIN["responses"]["utter_ask_age"]
    assert any("how old is {subject_name}" in v["text"] for v in variations)


async def test_prefer_not_to_say_ends_the_questions_without_the_age_rules() -> None:
    slots = {"screen_emergency": "no", "screen_same_day": "no", "screen_gp_soon": "no",
             "injury": False, "pain_duration_days": 4, "limits_activity": False,
             "alters_gait": False, "pain_score": 3}
    _, set_now = await run_form(asked("age", "/deny", "deny", slots))
    assert set_now["age_withheld"] is True and set_now["requested_slot"] is None
    assessed = slot_sets(await ActionAssessKneePain().run(
        CollectingDispatcher(), make_tracker({**slots, **set_now}), DOMAIN))
    assert assessed["triage_level"] == "self_care"
    assert "if you're under 16, see a GP first" in assessed["triage_why"]


async def test_not_sure_is_kept_as_not_sure() -> None:
    _, set_now = await run_form(asked("injury", "/not_sure", "not_sure",
                                      {"screen_emergency": "no", "screen_same_day": "no"}))
    assert set_now["injury"] is True and set_now["not_sure_answers"] == ["injury"]
    assert {"sign": "injury", "status": "unsure", "text": "Not sure"} in set_now["sign_evidence"]


async def test_back_from_a_question_the_form_asks_what_is_next_not_a_which_question() -> None:
    before = {"screen_emergency": "no"}
    tracker = asked("screen_same_day", "does massage help?", "faq", before)
    sent, slots = await run_form(tracker)
    assert sent == [] and slots == {"requested_slot": "screen_same_day"}


async def test_an_emergency_sign_of_unclear_owner_gets_the_advice_then_whose(monkeypatch) -> None:
    unclear = Findings(present=frozenset({"foot_cold_pale_blue"}), subject=Subject(who="unclear"))
    monkeypatch.setattr("kneecare.form_replies.parse", lambda text, today=None: unclear)
    sent, slots = await run_form(make_tracker({}, "the foot went pale and cold", "report_red_flag"))
    assert sent == ["utter_emergency_advice_first"]
    assert slots["requested_slot"] == "whose_signs"
    assert slots["unclear_signs"] == ["foot_cold_pale_blue"]


@pytest.mark.parametrize(
    ("level", "must_say"),
    [("emergency", ["{emergency_number}", "A&E", "Do not wait"]),
     ("same_day", ["{urgent_advice_number}", "today", "{emergency_number}"]),
     ("gp_soon", ["GP", "few days", "urgent"]),
     ("physio", ["physiotherapist", "{clinic_booking_link}", "{emergency_number}"]),
     ("self_care", ["home"])],
)
def test_every_outcome_has_a_version_about_someone_else(level: str, must_say: list[str]) -> None:
    variations = DOMAIN["responses"][f"utter_outcome_{level}"]
    for channel in {variation.get("channel") for variation in variations}:  # SMS too
        (other,) = [v for v in variations if v.get("condition") and v.get("channel") == channel]
        assert other["condition"] == [{"type": "slot", "name": "subject_who", "value": "other"}]
        assert "{subject_name}" in other["text"]
        assert "{triage_why}" in other["text"] or "{triage_why_brief}" in other["text"]
        assert all(words in other["text"] for words in must_say), (channel, other["text"])
