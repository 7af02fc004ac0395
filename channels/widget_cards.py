"""Which bot messages the website widget shows as cards, and the output channel that marks them.

A triage outcome (``utter_outcome_<level>``) and the advice to call 999 now are
the messages a person must not miss. Rasa tells the output channel which
response a message came from (``utter_action``); the socket.io channel adds
``"card": "<level>"`` to those messages, and the widget (web/widget/) shows them
as a card headed by their first sentence, the emergency card in red, scrolled
into view at its start. Such a message is sent whole, not split at blank lines
as Rasa's socket.io output does, so the card holds all of it.
"""

from __future__ import annotations

from typing import Any

from rasa.core.channels.socketio import SocketIOOutput

OUTCOME_PREFIX = "utter_outcome_"
EMERGENCY_ADVICE = frozenset({"utter_emergency_advice_first", "utter_callback_emergency_first"})


def card_for(response: object) -> str | None:
    """The card a response is shown as ("physio", "emergency", ...), None for a plain message.

    >>> card_for("utter_outcome_same_day"), card_for("utter_greet")
    ('same_day', None)
    """
    if not isinstance(response, str):
        return None
    if response in EMERGENCY_ADVICE:
        return "emergency"
    if response.startswith(OUTCOME_PREFIX) and response != OUTCOME_PREFIX:
        return response.removeprefix(OUTCOME_PREFIX)
    return None


class CardSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output, with ``card`` on outcome and emergency messages."""

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        card = card_for(kwargs.get("utter_action"))
        if card is None:
            await super().send_text_message(recipient_id, text, **kwargs)
            return
        await self._send_message(recipient_id, {"text": text.strip(), "card": card})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        card = card_for(kwargs.get("utter_action"))
        if card is None:
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
            return
        replies = [
            {"content_type": "text", "title": button["title"], "payload": button["payload"]}
            for button in buttons
        ]
        await self._send_message(
            recipient_id, {"text": text.strip(), "card": card, "quick_replies": replies}
        )
