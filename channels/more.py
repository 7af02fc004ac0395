"""MORE: the full text behind a shortened SMS answer.

SMS gets shorter variants of the long responses (``channel: twilio`` in
domain.yml), ending "Reply MORE for details". A reply of MORE sends the full
text of the last such answer, rendered by Rasa's own response generator as for
the other channels; when the last answer was not shortened, MORE is passed on
as an ordinary message.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa.shared.core.events import BotUttered, UserUttered
from sanic.request import Request

from channels.buttons import tracker_of

logger = logging.getLogger(__name__)
MORE = re.compile(r"\s*more(?:\s+please)?[\s.!]*", re.IGNORECASE)
SHORTENED_FOR = "twilio"


def asks_for_more(text: str) -> bool:
    return bool(MORE.fullmatch(text or ""))


async def full_text_of_last_answer(request: Request, conversation_id: str) -> str | None:
    """The full text of the last shortened answer since the person last wrote, or None."""
    agent = getattr(request.app.ctx, "agent", None)
    tracker = await tracker_of(request, conversation_id)
    if agent is None or tracker is None:
        return None
    responses = getattr(getattr(agent, "domain", None), "responses", {}) or {}
    for event in reversed(list(tracker.events)):
        if isinstance(event, UserUttered) and not asks_for_more(event.text or ""):
            return None
        if not isinstance(event, BotUttered) or not (event.text or "").strip():
            continue  # an SMS variant left empty (nothing was sent) has nothing more
        name = (event.metadata or {}).get("utter_action")
        if name and _shortened(responses.get(name, [])):
            try:
                message: Any = await agent.nlg.generate(name, tracker, "rest")
            except Exception:  # a broken template must not stop the message
                logger.exception("could not render the full text of %s", name)
                return None
            return str(message.get("text") or "") if message else None
    return None


def _shortened(variations: list[dict[str, Any]]) -> bool:
    return any(variation.get("channel") == SHORTENED_FOR for variation in variations)
