"""Reads the replies to the call-back questions: a name, a phone number or e-mail.

People answer "it's Sam Patel", "my name is sam" or "call me on 07700 900123
after 5": this finds the name or the contact route inside the reply and
validates it with ``kneecare.cases.contact`` (UK and international numbers).
"""

from __future__ import annotations

import re

import phonenumbers

from kneecare.cases.contact import (
    DEFAULT_REGION,
    ContactDetails,
    InvalidContact,
    clean_name,
    normalise_email,
)

NAME_LEAD_INS = re.compile(
    r"^\s*(hi|hello|yes|ok|okay|sure)?[,!.\s]*"
    r"(my name is|my name's|name is|name's|i am|i'm|im|it is|it's|its|this is|call me)\s+",
    re.IGNORECASE,
)
EMAIL_IN_TEXT = re.compile(r"[^\s@<>(),;:]+@[^\s@<>(),;:]+\.[a-z]{2,}", re.IGNORECASE)
NOT_A_NAME = re.compile(r"\d|@|https?://", re.IGNORECASE)


THIS_NUMBER = re.compile(
    r"\b(?:this|same|that|my)\s+(?:phone\s+)?(?:number|one|phone|mobile)\b"
    r"|\bthe\s+(?:number|one|phone)\s+i(?:'m|\s+am)?\s+(?:texting|messaging|writing|using)\b"
    r"|\b(?:ring|call|text)\s+me\s+(?:back\s+)?(?:here|on\s+here)\b",
    re.IGNORECASE,
)


def means_this_number(text: str) -> bool:
    """The reply asks to be called on the number the person is texting from."""
    return bool(THIS_NUMBER.search(text)) and read_contact_route(text) is None


def texting_number(address: str) -> ContactDetails | None:
    """The number a text came from (``+447...`` or ``whatsapp:+447...``), validated."""
    try:
        return ContactDetails.create("-", phone=address.removeprefix("whatsapp:"))
    except InvalidContact:
        return None


def read_name(text: str) -> str | None:
    """The name in a reply, or None if it cannot be a name."""
    candidate = NAME_LEAD_INS.sub("", text).strip(" .!,")
    if not candidate or NOT_A_NAME.search(candidate) or len(candidate.split()) > 6:
        return None
    try:
        return clean_name(candidate)
    except InvalidContact:
        return None


def read_contact_route(text: str) -> ContactDetails | None:
    """A validated phone number or e-mail found in the reply, with a placeholder name."""
    email = EMAIL_IN_TEXT.search(text)
    if email:
        try:
            return ContactDetails(name="-", email=normalise_email(email.group(0)))
        except InvalidContact:
            return None
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        try:
            return ContactDetails.create("-", phone=number)
        except InvalidContact:
            continue
    return None
