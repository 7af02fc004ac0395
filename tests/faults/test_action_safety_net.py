"""The safety net's decisions, and its Rasa glue against real sockets in this process.

``decide`` is plain code: a table of situations. The glue is exercised with
Rasa's own ``RemoteAction``, domain and response generator, calling an
address where nothing listens, a server that accepts and never answers, one
that answers 500, and one that rejects a form answer (400), which must pass
through untouched.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core_plugins.action_safety_net import clinic_values
from kneecare.cases.contact import CONTACT_SLOTS
from kneecare.safety_net import SafetyReply, Situation, action_timeout, decide
from rasa_patches.attach_safety_net import install

ROOT = Path(__file__).resolve().parents[2]


# -- decide ------------------------------------------------------------------


def test_session_start_and_restart_are_replayed_without_a_message() -> None:
    assert decide(Situation("action_session_start")) == SafetyReply(
        response=None, replay="session_start", listen=False
    )
    assert decide(Situation("action_restart_conversation")).replay == "restart"


def test_a_failure_outside_any_form_says_the_service_is_unavailable_and_listens() -> None:
    reply = decide(Situation("action_check_misunderstanding", latest_intent="nlu_fallback"))
    assert reply == SafetyReply(response="utter_service_unavailable")
    assert reply.listen and not reply.end_loop


def test_a_failed_form_validation_ends_the_form() -> None:
    reply = decide(Situation("validate_knee_triage_form", active_loop="knee_triage_form",
                             requested_slot="pain_duration_days", latest_intent="inform"))
    assert reply == SafetyReply(response="utter_service_unavailable", end_loop=True,
                                forget_slots=("pain_duration_days",))


@pytest.mark.parametrize("situation", [
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              latest_intent="report_red_flag"),
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              requested_slot="screen_emergency", latest_intent="affirm"),
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              requested_slot="screen_same_day", latest_intent="not_sure"),
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              requested_slot="screen_ottawa", latest_intent="inform"),
    Situation("action_assess_knee_pain", screens={"screen_emergency": "unsure"}),
    Situation("action_check_misunderstanding", red_flags=("hot_swollen_fever",)),
], ids=["red-flag intent", "yes to emergency", "unsure same day", "ottawa reply",
        "screen answered unsure", "earlier red flag"])
def test_a_possible_red_flag_gets_999_and_111_first(situation: Situation) -> None:
    assert decide(situation).response == "utter_service_unavailable_urgent"


@pytest.mark.parametrize("situation", [
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              requested_slot="screen_emergency", latest_intent="deny"),
    Situation("validate_knee_triage_form", active_loop="knee_triage_form",
              requested_slot="screen_gp_soon", latest_intent="affirm"),
    Situation("action_assess_knee_pain", screens={"screen_emergency": "no"}),
], ids=["no to emergency", "gp-soon screen", "screens answered no"])
def test_no_red_flag_gets_the_ordinary_message(situation: Situation) -> None:
    assert decide(situation).response == "utter_service_unavailable"


def test_a_failed_callback_says_it_was_not_saved_and_forgets_the_details() -> None:
    during = decide(Situation("validate_callback_form", active_loop="callback_form",
                              requested_slot="contact_route", latest_intent="inform"))
    assert during == SafetyReply(response="utter_callback_not_saved", end_loop=True,
                                 forget_slots=CONTACT_SLOTS)  # the asked slot is one of them
    submit = decide(Situation("action_submit_callback_request"))
    assert submit.response == "utter_callback_not_saved" and submit.forget_slots == CONTACT_SLOTS


def test_the_timeout_is_ten_seconds_unless_configured() -> None:
    assert action_timeout({}) == 10
    assert action_timeout({"ACTION_TIMEOUT_SECONDS": "2.5"}) == 2.5
    for bad in ("0", "-1", "ten", "301"):
        with pytest.raises(ValueError, match="ACTION_TIMEOUT_SECONDS"):
            action_timeout({"ACTION_TIMEOUT_SECONDS": bad})


def test_every_response_the_safety_net_sends_is_in_the_domain() -> None:
    import yaml

    responses = yaml.safe_load((ROOT / "domain.yml").read_text())["responses"]
    for response in ("utter_service_unavailable", "utter_service_unavailable_urgent",
                     "utter_callback_not_saved"):
        text = responses[response][0]["text"]
        for placeholder in ("{clinic_phone}", "{urgent_advice_number}", "{emergency_number}"):
            assert placeholder in text, (response, placeholder)


# -- the glue, with Rasa's RemoteAction ---------------------------------------

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await asyncio.sleep(3600)
    finally:  # cancelled when the test ends: close its side of the connection
        writer.close()


def _answer(status: int, body: dict[str, Any]) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        payload = json.dumps(body).encode()
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                     f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                     + payload)
        await writer.drain()
        writer.close()
    return handle


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[int]]]:
    servers: list[asyncio.base_events.Server] = []

    async def start(handler: Handler) -> int:
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    yield start
    for server in servers:
        server.close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def rasa_domain() -> Iterator[Any]:
    """Domain.yml, with the safety net (1 s) on RemoteAction for this module only."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    original = RemoteAction.run
    install({"ACTION_TIMEOUT_SECONDS": "1"})
    assert RemoteAction.run is not original
    yield Domain.load(str(ROOT / "domain.yml"))
    RemoteAction.run = original  # type: ignore[method-assign]


async def _run(action: str, port: int, domain: Any, events: list[Any]) -> list[Any]:
    """Run ``action`` (a form: Rasa's FormAction, which calls its validation) like Rasa."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.actions.forms import FormAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    tracker = DialogueStateTracker.from_events("safety-net-test", events, slots=domain.slots)
    endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
    runner = FormAction(action, endpoint) if action in domain.form_names else (
        RemoteAction(action, endpoint)
    )
    return await runner.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
        tracker, domain,
    )


def _mid_triage(intent: str, requested: str) -> list[Any]:
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered

    return [
        ActionExecuted("action_listen"),
        UserUttered("check my knee", {"name": "start_triage", "confidence": 1.0}),
        ActionExecuted("knee_triage_form"), ActiveLoop("knee_triage_form"),
        SlotSet("requested_slot", requested),
        ActionExecuted("action_listen"),
        UserUttered("my answer", {"name": intent, "confidence": 1.0}),
    ]


async def test_nothing_listening_gives_the_message_with_the_clinics_details(
    rasa_domain: Any,
) -> None:
    from rasa.shared.core.events import ActiveLoop, BotUttered, FollowupAction, SlotSet

    events = await _run("validate_knee_triage_form", _closed_port(), rasa_domain,
                        _mid_triage("inform", "pain_duration_days"))
    (message,) = [event for event in events if isinstance(event, BotUttered)]
    clinic = clinic_values()
    assert message.metadata.get("utter_action") == "utter_service_unavailable"
    assert clinic["clinic_phone"] in message.text and "NHS 111" in message.text
    assert "999" in message.text and "{" not in message.text
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events
    assert events[-1] == FollowupAction("action_listen")


async def test_a_hung_server_is_cut_off_at_the_bound(
    rasa_domain: Any, serve: Callable[[Handler], Awaitable[int]]
) -> None:
    from rasa.shared.core.events import BotUttered

    port = await serve(_hang)
    started = time.monotonic()
    events = await _run("validate_knee_triage_form", port, rasa_domain,
                        _mid_triage("affirm", "screen_emergency"))
    assert 0.9 < time.monotonic() - started < 3
    (message,) = [event for event in events if isinstance(event, BotUttered)]
    assert message.metadata.get("utter_action") == "utter_service_unavailable_urgent"


async def test_a_server_error_is_caught_too(
    rasa_domain: Any, serve: Callable[[Handler], Awaitable[int]]
) -> None:
    from rasa.shared.core.events import BotUttered

    port = await serve(_answer(500, {"error": "boom"}))
    events = await _run("action_assess_knee_pain", port, rasa_domain, _mid_triage("inform", "age"))
    assert [event.metadata.get("utter_action") for event in events
            if isinstance(event, BotUttered)] == ["utter_service_unavailable"]


async def test_a_rejected_form_answer_passes_through(
    rasa_domain: Any, serve: Callable[[Handler], Awaitable[int]]
) -> None:
    from rasa.core.actions.action import ActionExecutionRejection

    port = await serve(_answer(400, {"action_name": "validate_knee_triage_form",
                                     "error": "not an answer"}))
    with pytest.raises(ActionExecutionRejection):
        await _run("validate_knee_triage_form", port, rasa_domain,
                   _mid_triage("inform", "pain_duration_days"))


async def test_session_start_is_replayed_with_the_clinic_slots(rasa_domain: Any) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet

    events = await _run("action_session_start", _closed_port(), rasa_domain, [])
    assert isinstance(events[0], SessionStarted) and events[-1] == ActionExecuted("action_listen")
    assert SlotSet("clinic_phone", clinic_values()["clinic_phone"]) in events


async def test_mid_questions_rasas_form_ends_instead_of_rejecting_the_turn(
    rasa_domain: Any,
) -> None:
    from rasa.shared.core.events import ActiveLoop, BotUttered, FollowupAction, SlotSet

    events = await _run("knee_triage_form", _closed_port(), rasa_domain,
                        _mid_triage("affirm", "screen_emergency"))
    assert [event.metadata.get("utter_action") for event in events
            if isinstance(event, BotUttered)] == ["utter_service_unavailable_urgent"]
    assert SlotSet("screen_emergency", None) in events
    assert events[-1] == ActiveLoop(None) and FollowupAction("action_listen") in events
