"""What the assistant does when a call to the action server fails or hangs.

Plain, typed decisions with no Rasa import; ``core_plugins/action_safety_net.py``
reads a ``Situation`` from Rasa's tracker and carries out the ``SafetyReply``.

- ``action_session_start`` and ``action_restart_conversation`` only copy the
  clinic's settings into the slots: they are replayed from clinic.yml, so a
  greeting still works while the action server is down;
- an active form is ended, since its answers cannot be checked (the answer to
  the question in hand is dropped; those already checked stay, so asking again
  later asks only what is missing); a call-back's contact details are forgotten;
- a possible red flag (the red-flag intent, a red flag already found or heard,
  or an answer to an urgent screening question that was not "no") gets the
  urgent message with 999 and NHS 111; a call-back gets
  ``utter_callback_not_saved``; anything else ``utter_service_unavailable``;
- then the assistant listens, instead of predicting actions that cannot run.

Which screening questions are urgent comes from the criteria: those covering
a red flag whose level is ``same_day`` or more urgent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from kneecare.cases.contact import CONTACT_SLOTS
from kneecare.language.message_route import RED_FLAG_INTENT
from kneecare.triage.criteria import Criteria, load_criteria

TIMEOUT_VARIABLE: Final = "ACTION_TIMEOUT_SECONDS"
DEFAULT_TIMEOUT_SECONDS: Final = 10.0
MAX_TIMEOUT_SECONDS: Final = 300.0
# the least urgent level whose screening question cannot wait for the action server
URGENT_UP_TO_LEVEL: Final = "same_day"
POSITIVE_SCREEN_ANSWERS: Final = ("yes", "unsure")
NOT_AN_ANSWER_INTENTS: Final = ("deny", "stop")
CALLBACK_FORM: Final = "callback_form"
CALLBACK_ACTIONS: Final = ("validate_callback_form", "action_submit_callback_request")
REPLAYED_HERE: Final = {
    "action_session_start": "session_start",
    "action_restart_conversation": "restart",
}


def urgent_screens_of(criteria: Criteria) -> tuple[str, ...]:
    """The screening questions covering a red flag of level ``same_day`` or more urgent."""
    limit = criteria.urgency(URGENT_UP_TO_LEVEL)
    return tuple(
        screen.id for screen in criteria.screens.values()
        if any(criteria.urgency(criteria.red_flags[flag].level) <= limit
               for flag in screen.covers)
    )


@cache
def urgent_screens() -> tuple[str, ...]:
    return urgent_screens_of(load_criteria())


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
        urgent = urgent_screens()
        if any(self.screens.get(screen) in POSITIVE_SCREEN_ANSWERS for screen in urgent):
            return True
        # the unchecked reply to a red-flag question
        return (
            self.active_loop is not None
            and self.requested_slot in urgent
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
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds above 0 and"
                         f" at most {MAX_TIMEOUT_SECONDS:g}, not {raw!r}")
    return seconds
