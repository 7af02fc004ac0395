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
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic.request import Request

logger = logging.getLogger(__name__)

Button = dict[str, Any]
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


def buttons_awaiting_reply(events: Iterable[Event]) -> list[Button]:
    """The buttons of the bot's latest message with buttons since the person last spoke."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            return []
        if isinstance(event, BotUttered):
            buttons = (event.data or {}).get("buttons")
            if buttons:
                return list(buttons)
    return []


async def tracker_buttons(request: Request, sender_id: str) -> list[Button]:
    """Buttons the person may be answering, read from the running agent's tracker store."""
    agent = getattr(request.app.ctx, "agent", None)
    tracker_store = getattr(agent, "tracker_store", None)
    if tracker_store is None:
        return []
    try:
        tracker = await tracker_store.retrieve(sender_id)
    except Exception:  # a broken store must not stop the message itself
        logger.exception("Could not read the tracker of %s to resolve a numbered reply", sender_id)
        return []
    return buttons_awaiting_reply(tracker.events) if tracker else []


async def resolve_numbered_reply(request: Request, sender_id: str, text: str) -> str:
    """``text``, or the payload of the button it picks when it is just a number."""
    if not NUMBER_REPLY.fullmatch(text or ""):
        return text
    payload = chosen_payload(text, await tracker_buttons(request, sender_id))
    return payload if payload is not None else text
