"""Buttons for text-only channels: shown as numbered options, chosen by replying with a number.

SMS and WhatsApp have no buttons, so "Do any of these apply?" with Yes / No /
Not sure goes out as::

    Do any of these apply?

    1. Yes
    2. No
    3. Not sure

and a reply of "2" is sent to Rasa as the second button's payload ("/deny").
Which buttons a number refers to is read from the conversation itself: the
buttons of the bot's messages since the person's last message, as stored in
the tracker (BotUttered events keep their buttons). That survives restarts and
works with several Rasa processes, with no extra state in the channel.
Options older than the clinic's ``session_hours`` are never read: a "2" sent
the next week is not an answer to last week's question.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic.request import Request

from kneecare.clinic import load_settings
from kneecare.sessions import is_stale

logger = logging.getLogger(__name__)

Button = dict[str, Any]
TRIAGE_FORM = "knee_triage_form"
OFFER_RESUME = "/offer_resume"
NUMBER_REPLY = re.compile(r"\s*(\d{1,2})\s*[.)]?\s*")


def numbered_options(text: str, buttons: Sequence[Button]) -> str:
    """The message text followed by one numbered line per button title."""
    options = "\n".join(f"{number}. {button['title']}"
                        for number, button in enumerate(buttons, start=1))
    return f"{text.strip()}\n\n{options}" if text and text.strip() else options


def chosen_payload(reply: str, buttons: Sequence[Button]) -> str | None:
    """The payload of the button a reply like "2" or "2." picks, else None."""
    match = NUMBER_REPLY.fullmatch(reply or "")
    if not match or not buttons:
        return None
    number = int(match.group(1))
    if not 1 <= number <= len(buttons):
        return None
    button = buttons[number - 1]
    return str(button.get("payload") or button.get("title") or "")


def buttons_awaiting_reply(events: Iterable[Event], now: float | None = None,
                           session_hours: float | None = None) -> list[Button]:
    """The buttons of the bot's latest message with buttons since the person last spoke;
    none once the question is older than the session (``kneecare.sessions.is_stale``)."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons")
            if buttons:
                if session_hours is not None and is_stale(event.timestamp, now or time.time(),
                                                          session_hours):
                    return []
                return list(buttons)
    return []


def returning_mid_questions(tracker: Any, now: float, session_hours: float) -> bool:
    """Back after the session time, part-way through the symptom questions."""
    if tracker is None or getattr(tracker, "active_loop_name", None) != TRIAGE_FORM:
        return False
    said = [event.timestamp for event in tracker.events if isinstance(event, UserUttered)]
    return bool(said) and is_stale(max(said), now, session_hours)


async def tracker_buttons(request: Request, sender_id: str) -> list[Button]:
    """Buttons the person may be answering, read from the running agent's tracker store."""
    tracker = await tracker_of(request, sender_id)
    if tracker is None:
        return []
    return buttons_awaiting_reply(tracker.events, session_hours=load_settings().session_hours)


async def resolve_numbered_reply(request: Request, sender_id: str, text: str) -> str:
    """``text``, or the payload of the button it picks when it is just a number."""
    if not NUMBER_REPLY.fullmatch(text or ""):
        return text
    payload = chosen_payload(text, await tracker_buttons(request, sender_id))
    return payload if payload is not None else text


async def messages_for_rasa(request: Request, sender_id: str, text: str) -> list[str]:
    """What to pass on for a text message: the text (a number resolved to its button).

    For someone back after the session time part-way through the questions:
    ``/offer_resume`` (the answers are set aside), their message unless it only
    answered the old question (which can no longer be read), and ``/offer_resume``
    again (carry on or start again?); see actions/session.py.
    """
    tracker = await tracker_of(request, sender_id)
    if returning_mid_questions(tracker, time.time(), load_settings().session_hours):
        answered_old_question = NUMBER_REPLY.fullmatch(text or "") or text.startswith("/")
        return [OFFER_RESUME, *([] if answered_old_question else [text]), OFFER_RESUME]
    return [await resolve_numbered_reply(request, sender_id, text)]


async def tracker_of(request: Request, sender_id: str) -> Any:
    agent = getattr(request.app.ctx, "agent", None)
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is None:
        return None
    try:
        return await tracker_store.retrieve(sender_id)
    except Exception:  # a broken store must not stop the message itself
        logger.exception("Could not read the tracker of %s", sender_id)
        return None
