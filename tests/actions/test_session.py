"""Session start and restart keep the clinic's details in the slots."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionRestartConversation, ActionSessionStart
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
