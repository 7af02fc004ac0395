"""The Rasa server's safety net for custom actions that fail or hang.

Rasa 3.6 waits up to 300 s for the action server and, when a custom action
fails, logs it, drops the action's events and carries on: the person gets
silence. ``install()`` wraps ``RemoteAction.run`` so that every call to the
action server (actions and form validations alike) is bounded by
``ACTION_TIMEOUT_SECONDS`` (default 10) and, when it times out, cannot
connect, or gets an error status, the person is told what to do instead.
``ActionExecutionRejection`` (a form's "that was not an answer") passes
through untouched: forms rely on it.

What to say and do is decided by ``decide``, plain typed code with no Rasa
import:

- ``action_session_start`` and ``action_restart_conversation`` only copy the
  clinic's settings into the slots; they are replayed here from clinic.yml,
  so a greeting still works while the action server is down;
- an active form is ended, since its answers cannot be checked (the answer
  to the question in hand is dropped; those already checked stay in the
  slots, so asking again later only asks what is missing); a call-back's
  contact details are forgotten;
- a possible red flag (the red-flag intent, a red flag already found, or an
  answer to a red-flag question that was not "no") gets the urgent message
  with 999 and NHS 111; a call-back gets ``utter_callback_not_saved``;
  anything else ``utter_service_unavailable``;
- then the assistant listens, instead of predicting actions that cannot run.

The clinic's phone, hours and emergency numbers come from clinic.yml
(``kneecare.clinic``), not from the slots: filling those is itself a custom
action, which may be what failed. Log lines name the action, the conversation
and the kind of failure, never what the person wrote.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

TIMEOUT_VARIABLE: Final = "ACTION_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS: Final = 10.0
RED_FLAG_INTENT: Final = "report_red_flag"
# the screening questions whose "yes" (or "not sure") means 999 or same-day care
URGENT_SCREENS: Final = ("screen_emergency", "screen_same_day", "screen_ottawa")
POSITIVE_SCREEN_ANSWERS: Final = ("yes", "unsure")
NOT_AN_ANSWER_INTENTS: Final = ("deny", "stop")
CALLBACK_FORM: Final = "callback_form"
CALLBACK_ACTIONS: Final = ("validate_callback_form", "action_submit_callback_request")
CONTACT_SLOTS: Final = ("callback_consent", "contact_name", "contact_route")
REPLAYED_HERE: Final = {
    "action_session_start": "session_start",
    "action_restart_conversation": "restart",
}


@dataclass(frozen=True)
class Situation:
    """What the conversation looked like when a call to the action server failed."""

    action: str
    active_loop: str | None = None
    requested_slot: str | None = None
    latest_intent: str | None = None
    screens: Mapping[str, str | None] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()

    @property
    def possible_red_flag(self) -> bool:
        """True unless nothing points at a red flag (safety first: "not sure" counts)."""
        if self.latest_intent == RED_FLAG_INTENT or self.red_flags:
            return True
        if any(self.screens.get(screen) in POSITIVE_SCREEN_ANSWERS for screen in URGENT_SCREENS):
            return True
        # the unchecked reply to a red-flag question
        return (
            self.active_loop is not None
            and self.requested_slot in URGENT_SCREENS
            and self.latest_intent not in NOT_AN_ANSWER_INTENTS
        )

    @property
    def about_a_callback(self) -> bool:
        return self.active_loop == CALLBACK_FORM or self.action in CALLBACK_ACTIONS


@dataclass(frozen=True)
class SafetyReply:
    """What the Rasa server does instead of the failed action."""

    response: str | None  # the domain response to send; None: say nothing
    replay: str | None = None  # "session_start" | "restart": done here instead
    end_loop: bool = False  # end the active form
    forget_slots: tuple[str, ...] = ()
    listen: bool = True  # wait for the person instead of predicting more actions


def decide(situation: Situation) -> SafetyReply:
    """The reply to a failed or hung action call."""
    if situation.action in REPLAYED_HERE:
        return SafetyReply(response=None, replay=REPLAYED_HERE[situation.action], listen=False)
    forget = CONTACT_SLOTS if situation.about_a_callback else ()
    end_loop = situation.active_loop is not None
    if end_loop and situation.requested_slot and situation.requested_slot not in forget:
        # the unchecked answer is not kept; clearing the asked slot also tells Rasa's
        # form that validation did something, so it does not reject the turn
        forget = (situation.requested_slot, *forget)
    if situation.possible_red_flag:
        response = "utter_service_unavailable_urgent"
    elif situation.about_a_callback:
        response = "utter_callback_not_saved"
    else:
        response = "utter_service_unavailable"
    return SafetyReply(response=response, end_loop=end_loop, forget_slots=forget)


def action_timeout(env: Mapping[str, str]) -> float:
    """Seconds to wait for the action server (``ACTION_TIMEOUT_SECONDS``, default 10)."""
    raw = env.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 300:
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds above 0 and"
                         f" at most 300, not {raw!r}")
    return seconds


@functools.lru_cache(maxsize=1)
def clinic_values() -> dict[str, str]:
    """The values the responses use for the clinic, from clinic.yml (or KNEE_CLINIC_FILE)."""
    from kneecare.clinic import load_settings

    return load_settings().template_values()


# -- Rasa glue ---------------------------------------------------------------


def red_flags_in(signs: Iterable[str]) -> tuple[str, ...]:
    from kneecare.triage.reported_signs import red_flags_in as criteria_red_flags_in

    return criteria_red_flags_in(signs)


def situation_of(action: str, tracker: DialogueStateTracker) -> Situation:
    """Read a ``Situation`` from a Rasa tracker."""
    return Situation(
        action=action,
        active_loop=tracker.active_loop_name,
        requested_slot=tracker.get_slot("requested_slot"),
        latest_intent=(tracker.latest_message.intent or {}).get("name")
        if tracker.latest_message else None,
        screens={screen: tracker.get_slot(screen) for screen in URGENT_SCREENS},
        # the assessment's red flags, and those of the signs Rasa itself
        # recorded from the latest message (slot signs_heard): set even when
        # the action server is down
        red_flags=(*tuple(tracker.get_slot("red_flags") or ()),
                   *red_flags_in(sign for sign in tracker.get_slot("signs_heard") or ()
                                 if isinstance(sign, str))),
    )


def _clinic_slot_events() -> list[Event]:
    from rasa.shared.core.events import SlotSet

    try:
        values = clinic_values()
    except Exception as error:  # clinic.yml broken: the slots' own values stay
        logger.error("safety net: cannot read the clinic settings (%s)", type(error).__name__)
        return []
    return [SlotSet(name, value) for name, value in values.items()]


async def events_for(
    reply: SafetyReply, tracker: DialogueStateTracker, nlg: Any, channel: str
) -> list[Event]:
    """Rasa events carrying out ``reply``."""
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.events import (
        ActionExecuted,
        ActiveLoop,
        FollowupAction,
        Restarted,
        SessionStarted,
        SlotSet,
    )

    if reply.replay == "session_start":
        return [SessionStarted(), *_clinic_slot_events(), ActionExecuted("action_listen")]
    if reply.replay == "restart":
        return [Restarted(), *_clinic_slot_events()]
    events: list[Event] = []
    if reply.response:
        try:
            values = clinic_values()
        except Exception:  # the tracker's clinic slots, if any, fill the response
            values = {}
        draft = await nlg.generate(reply.response, tracker, channel, **values)
        if draft:
            draft.update(utter_action=reply.response)  # as Rasa marks a response's messages
            events.append(create_bot_utterance(draft))
        else:
            logger.error("safety net: the model has no response %s; retrain", reply.response)
    if reply.end_loop:
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    events += [SlotSet(slot, None) for slot in reply.forget_slots]
    if reply.listen:
        events.append(FollowupAction("action_listen"))
    return events


def _guarded(run: Callable[..., Any], timeout: float) -> Callable[..., Any]:
    from aiohttp import ClientError
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    @functools.wraps(run)
    async def guarded_run(
        self: Any, output_channel: Any, nlg: Any, tracker: DialogueStateTracker, domain: Any
    ) -> list[Event]:
        try:
            return list(await asyncio.wait_for(
                run(self, output_channel, nlg, tracker, domain), timeout
            ))
        except ActionExecutionRejection:
            raise
        except (asyncio.TimeoutError, RasaException, ClientError) as error:
            failure = (f"no answer within {timeout:g} s" if isinstance(error, asyncio.TimeoutError)
                       else type(error).__name__)
            reply = decide(situation_of(self.name(), tracker))
            logger.error(
                "safety net: custom action %s of conversation %s failed (%s); %s",
                self.name(), tracker.sender_id, failure,
                f"replayed {reply.replay} here" if reply.replay
                else f"sent {reply.response}" + (" and ended the form" if reply.end_loop else ""),
            )
            return await events_for(reply, tracker, nlg, output_channel.name())

    guarded_run._knee_safety_net = True  # type: ignore[attr-defined]
    return guarded_run


def install(env: Mapping[str, str] | None = None) -> float:
    """Wrap ``RemoteAction.run`` in this process (once); returns the timeout in seconds."""
    from rasa.core.actions.action import RemoteAction

    timeout = action_timeout(os.environ if env is None else env)
    if not getattr(RemoteAction.run, "_knee_safety_net", False):
        RemoteAction.run = _guarded(RemoteAction.run, timeout)
    return timeout
