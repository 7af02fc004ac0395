"""Conversation ids: the channel is part of the id, and no phone number or chat id is one.

Every channel prefixes the ids it gives Rasa, so an id sent through one
channel can never name a conversation of another (a REST client that sends
``"sender": "sms:..."`` reaches ``rest:sms:...``, a conversation of its own):

==============  =========================================================
``rest:``       the sender the REST client gave
``web:``        a widget session the socket.io channel issued
``sms:``        a pseudonym of the phone number (Twilio SMS)
``whatsapp:``   a pseudonym of the WhatsApp number (Twilio WhatsApp)
``telegram:``   a pseudonym of the Telegram chat id
==============  =========================================================

A pseudonym is a keyed HMAC-SHA256 of the address (``ContactCipher.
keyed_digest``, key derived from ``CASE_DATA_KEY``): the same for every
message of one person, so the conversation carries on, and meaningless
without the key. The address needed to reply is never stored in the clear.
"""

from __future__ import annotations

import re
from typing import Final, Protocol

REST: Final = "rest"
WIDGET: Final = "web"
SMS: Final = "sms"
WHATSAPP: Final = "whatsapp"
TELEGRAM: Final = "telegram"
PSEUDONYM_PURPOSE: Final = "conversation-pseudonym"
PSEUDONYM_LENGTH: Final = 32  # hex characters: 128 bits

# how staff see each kind of conversation
CHANNEL_LABELS: Final = {
    REST: "REST API",
    WIDGET: "website chat",
    SMS: "SMS",
    WHATSAPP: "WhatsApp",
    TELEGRAM: "Telegram",
}
_HEX_ID: Final = re.compile(f"[0-9a-f]{{{PSEUDONYM_LENGTH}}}")
# Rasa's input channel names, for conversations stored before ids had a prefix
_LEGACY_CHANNEL_KINDS: Final = {"rest": REST, "socketio": WIDGET, "telegram": TELEGRAM}


class KeyedDigest(Protocol):
    def keyed_digest(self, purpose: str, value: str) -> str: ...


def rest_id(sender: str) -> str:
    return f"{REST}:{sender}"


def widget_id(session: str) -> str:
    return f"{WIDGET}:{session}"


def twilio_id(address: str, keys: KeyedDigest) -> str:
    """``sms:<pseudonym>`` for ``+447...``, ``whatsapp:<pseudonym>`` for ``whatsapp:+447...``."""
    kind, _, number = address.partition(":") if address.startswith("whatsapp:") else ("", "", "")
    if kind:
        return pseudonym(WHATSAPP, number.strip(), keys)
    return pseudonym(SMS, address.strip(), keys)


def telegram_id(chat_id: str, keys: KeyedDigest) -> str:
    return pseudonym(TELEGRAM, chat_id.strip(), keys)


def pseudonym(kind: str, address: str, keys: KeyedDigest) -> str:
    digest = keys.keyed_digest(PSEUDONYM_PURPOSE, f"{kind}:{address}")
    return f"{kind}:{digest[:PSEUDONYM_LENGTH]}"


def pseudonyms_of_phone(phone_e164: str, keys: KeyedDigest) -> list[str]:
    """The conversation ids a person texting from this number has (SMS and WhatsApp)."""
    return [pseudonym(SMS, phone_e164, keys), pseudonym(WHATSAPP, phone_e164, keys)]


def kind_of(conversation_id: str, input_channel: str | None = None) -> str | None:
    """The kind of conversation (``sms``, ``web``, ...), or None when it cannot be told.

    Only ``rest:`` takes any text after the prefix; the others are followed by
    32 hex characters (a pseudonym or a session), so an id stored before
    pseudonyms, such as ``whatsapp:+447...``, is not taken for a new one.
    """
    prefix, separator, rest = conversation_id.partition(":")
    if separator and prefix == REST:
        return REST
    if separator and prefix in CHANNEL_LABELS and _HEX_ID.fullmatch(rest):
        return prefix
    return _LEGACY_CHANNEL_KINDS.get(input_channel or "")


def channel_label(conversation_id: str, input_channel: str | None = None) -> str:
    """"SMS", "website chat", ...; the input channel's name when the id does not say."""
    kind = kind_of(conversation_id, input_channel)
    return CHANNEL_LABELS[kind] if kind else (input_channel or "unknown")
