"""Conversation ids: a prefix per channel, keyed pseudonyms for phone numbers and chat ids."""

from __future__ import annotations

import hashlib

import pytest

from kneecare.cases.crypto import ContactCipher
from kneecare.conversation_ids import (
    channel_label,
    kind_of,
    pseudonyms_of_phone,
    rest_id,
    telegram_id,
    twilio_id,
    widget_id,
)

KEY = ContactCipher(b"k" * 43 + b"=")
OTHER_KEY = ContactCipher(b"j" * 43 + b"=")


@pytest.mark.parametrize(("conversation_id", "input_channel", "kind", "label"), [
    (rest_id("alice"), "rest", "rest", "REST API"),
    (widget_id("ab" * 16), "socketio", "web", "website chat"),
    (twilio_id("+447700900123", KEY), "twilio", "sms", "SMS"),
    (twilio_id("whatsapp:+447700900123", KEY), "twilio", "whatsapp", "WhatsApp"),
    (telegram_id("7000123", KEY), "telegram", "telegram", "Telegram"),
    ("0123abcd" * 4, "socketio", "web", "website chat"),  # stored before ids had a prefix
    ("+447700900123", "twilio", None, "twilio"),  # an SMS id not yet pseudonymised
])
def test_the_channel_is_read_from_the_id(conversation_id: str, input_channel: str,
                                         kind: str | None, label: str) -> None:
    assert kind_of(conversation_id, input_channel) == kind
    assert channel_label(conversation_id, input_channel) == label


def test_a_rest_sender_cannot_name_another_channels_conversation() -> None:
    others = [widget_id("ab" * 16), twilio_id("+447700900123", KEY), telegram_id("7", KEY)]
    for other in others:
        assert rest_id(other) != other and rest_id(other).startswith("rest:")
        assert kind_of(rest_id(other)) == "rest"


@pytest.mark.parametrize("address", ["+447700900123", "whatsapp:+447700900123", "7000123"])
def test_pseudonyms_hide_the_address_and_depend_on_the_key(address: str) -> None:
    made = twilio_id(address, KEY) if "+" in address else telegram_id(address, KEY)
    digits = address.split(":")[-1].lstrip("+")
    assert digits not in made
    assert made == (twilio_id(address, KEY) if "+" in address else telegram_id(address, KEY))
    again = twilio_id(address, OTHER_KEY) if "+" in address else telegram_id(address, OTHER_KEY)
    assert again != made
    # keyed: not the plain (unkeyed) hash of the address, which anyone could compute
    for plain in (hashlib.sha256(address.encode()).hexdigest(),
                  hashlib.sha256(digits.encode()).hexdigest()):
        assert plain[:32] not in made


def test_sms_and_whatsapp_of_one_number_are_different_conversations() -> None:
    sms, whatsapp = pseudonyms_of_phone("+447700900123", KEY)
    assert sms == twilio_id("+447700900123", KEY)
    assert whatsapp == twilio_id("whatsapp:+447700900123", KEY)
    assert sms != whatsapp


def test_the_contact_lookup_hash_is_keyed() -> None:
    phone = "+447700900123"
    assert KEY.lookup_hash(phone) != OTHER_KEY.lookup_hash(phone)
    assert KEY.lookup_hash(phone) != hashlib.sha256(phone.encode()).hexdigest()
    # a separate key per purpose: a look-up hash is not a pseudonym's digest
    assert KEY.keyed_digest("contact-lookup", phone) == KEY.lookup_hash(phone)
    assert KEY.keyed_digest("conversation-pseudonym", phone) != KEY.lookup_hash(phone)
