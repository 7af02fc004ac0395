"""The Rasa side of the action safety net: read the situation, carry out the reply.

Rasa 3.6 waits up to 300 s for the action server and, when a custom action
fails, logs it, drops the action's events and carries on: the person gets
silence. ``guarded`` wraps ``RemoteAction.run`` (attached by
``rasa_patches/attach_safety_net.py``) so that every call to the action server
(actions and form validations alike) is bounded by ``ACTION_TIMEOUT_SECONDS``
(default 10) and, when it times out, cannot connect, or gets an error status,
the person is told what to do instead. ``ActionExecutionRejection`` (a form's
"that was not an answer") passes through untouched: forms rely on it.

What to say and do is decided in ``kneecare/safety_net.py`` (plain, typed, from
the criteria). The clinic's phone, hours and emergency numbers come from
clinic.yml (``kneecare.clinic``), not from the slots: filling those is itself a
custom action, which may be what failed. Log lines name the action, the
conversation and the kind of failure, never what the person wrote.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from kneecare.safety_net import SafetyReply, Situation, decide, urgent_screens

if TYPE_CHECKING:
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)


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
        screens={screen: tracker.get_slot(screen) for screen in urgent_screens()},
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


def guarded(run: Callable[..., Any], timeout: float) -> Callable[..., Any]:
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
