"""The call-back form's validation and submission, with rasa_sdk types."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

import kneecare.cases
from actions.callback import ActionSubmitCallbackRequest, ValidateCallbackForm
from kneecare.cases import default_cipher
from tests.actions.helpers import DOMAIN, make_tracker, slot_sets


async def _validate(asked: str | None, text: str, intent: str = "inform",
                    metadata: dict[str, Any] | None = None, **slots: Any) -> dict:
    tracker = make_tracker(
        {"requested_slot": asked, **slots}, text=text, intent=intent,
        active_loop="callback_form" if asked else None,
    )
    if metadata is not None:
        tracker.latest_message["metadata"] = metadata
    events = await ValidateCallbackForm().run(CollectingDispatcher(), tracker, DOMAIN)
    return slot_sets(events)


async def test_activation_asks_for_consent_first() -> None:
    assert (await _validate(None, "can someone ring me", "request_callback"))["requested_slot"] == (
        "callback_consent"
    )


async def test_consent_then_name_then_route() -> None:
    after_yes = await _validate("callback_consent", "/affirm", "affirm")
    assert after_yes["callback_consent"] is True and after_yes["requested_slot"] == "contact_name"
    after_name = await _validate("contact_name", "it's Priya Shah", callback_consent=True)
    assert after_name["requested_slot"] == "contact_route"
    assert "Priya" not in after_name["contact_name"], "names are kept encrypted in the tracker"


@pytest.mark.parametrize(("text", "intent"), [
    ("/not_sure", "not_sure"),
    ("not sure", "not_sure"),
    ("hmm maybe, I don't know", None),
    ("what will you do with my number?", "ask_privacy"),
    ("", None),
])
async def test_anything_but_a_clear_yes_is_not_consent(text: str, intent: str | None) -> None:
    values = await _validate("callback_consent", text, intent)
    assert values["callback_consent"] is not True
    assert values["requested_slot"] == "callback_consent" or values["callback_consent"] is False


@pytest.mark.parametrize("address", ["+447911123456", "whatsapp:+447911123456"])
@pytest.mark.parametrize("text", ["call me on this number", "1 - this number please",
                                  "just ring me here", "the number I'm texting from"])
async def test_call_me_on_this_number_uses_the_number_the_person_texts_from(
        address: str, text: str) -> None:
    cipher = default_cipher()
    values = await _validate("contact_route", text, callback_consent=True, contact_name="x",
                             metadata={"reply_address": cipher.encrypt(address)})
    assert values["requested_slot"] is None and values.get("answer_unclear") is not True
    assert cipher.decrypt(values["contact_route"]) == "+447911123456"


async def test_this_number_without_a_texting_number_is_asked_again() -> None:
    values = await _validate("contact_route", "call me on this number", callback_consent=True,
                             contact_name="x")  # the website chat: no number to use
    assert values["answer_unclear"] is True and values["requested_slot"] == "contact_route"


async def test_no_consent_ends_the_questions() -> None:
    values = await _validate("callback_consent", "no thanks", "deny")
    assert values["callback_consent"] is False and values["requested_slot"] is None


async def test_an_unusable_number_is_asked_again() -> None:
    values = await _validate("contact_route", "123", callback_consent=True, contact_name="x")
    assert values["answer_unclear"] is True and values["requested_slot"] == "contact_route"


async def test_stop_lets_the_rules_reply() -> None:
    assert await _validate("contact_name", "stop", "stop", callback_consent=True) == {}


async def test_submit_stores_the_request_and_forgets_the_details() -> None:
    cipher = kneecare.cases.default_store().cipher
    tracker = make_tracker({
        "callback_consent": True,
        "contact_name": cipher.encrypt("Priya Shah"),
        "contact_route": cipher.encrypt("+447911123456"),
        "triage_level": "physio",
    })
    events = await ActionSubmitCallbackRequest().run(CollectingDispatcher(), tracker, DOMAIN)
    values = slot_sets(events)
    assert values["callback_saved"] is True and values["callback_expected"]
    assert values["contact_name"] is None and values["contact_route"] is None
    (case,) = kneecare.cases.list_queue()
    assert case.kind == "callback"


async def test_submit_without_consent_stores_nothing() -> None:
    tracker = make_tracker({"callback_consent": False})
    events = await ActionSubmitCallbackRequest().run(CollectingDispatcher(), tracker, DOMAIN)
    assert slot_sets(events)["callback_saved"] is None
    assert kneecare.cases.list_queue() == []


async def test_with_the_database_down_the_details_are_still_taken_and_kept_for_later(
    unavailable_case_database: None,
) -> None:
    name = await _validate("contact_name", "it's Priya Shah", callback_consent=True)
    route = await _validate("contact_route", "07911 123456", callback_consent=True,
                            contact_name=name["contact_name"])
    assert route["requested_slot"] is None, "the questions do not depend on the database"
    tracker = make_tracker({
        "callback_consent": True, "contact_name": name["contact_name"],
        "contact_route": route["contact_route"],
    })
    events = await ActionSubmitCallbackRequest().run(CollectingDispatcher(), tracker, DOMAIN)
    values = slot_sets(events)
    assert values["callback_saved"] is False  # the rules give utter_callback_not_saved
    assert values["contact_name"] is None and values["contact_route"] is None
    (waiting,) = kneecare.cases.default_outbox().waiting()
    assert waiting.kind == "callback" and waiting.values["contact"]["name"] == "Priya Shah"
