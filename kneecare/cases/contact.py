"""Contact details for call-back requests: validation and normalisation.

Phone numbers are parsed with ``phonenumbers`` (national numbers are read as
UK numbers unless they start with ``+`` or ``00``) and stored in E.164
(``+447911123456``); e-mail addresses are checked against a plain pattern, no
network look-up. Redacting contact details from text and logs is in
``kneecare.cases.redaction``, whose functions are imported from here too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

import phonenumbers

from kneecare.cases.contact_patterns import DEFAULT_REGION, EMAIL_PATTERN
from kneecare.cases.redaction import (
    RedactingFilter,
    install_log_redaction,
    redact,
    redact_record,
)

# the call-back form's slots that hold contact details (forgotten when it cannot be saved)
CONTACT_SLOTS: Final = ("callback_consent", "contact_name", "contact_route")

__all__ = [
    "CONTACT_SLOTS",
    "DEFAULT_REGION",
    "ContactDetails",
    "InvalidContact",
    "RedactingFilter",
    "clean_name",
    "install_log_redaction",
    "is_valid_email",
    "normalise_email",
    "normalise_phone",
    "normalise_phone_or_email",
    "redact",
    "redact_record",
]

MAX_NAME_LENGTH: Final = 100
MAX_EMAIL_LENGTH: Final = 254


class InvalidContact(ValueError):
    """A phone number, e-mail address or name that cannot be used; says why."""


@dataclass(frozen=True)
class ContactDetails:
    """Validated contact details for a call-back: a name and a phone or e-mail."""

    name: str
    phone: str | None = None  # E.164
    email: str | None = None

    @classmethod
    def create(
        cls, name: str, phone: str | None = None, email: str | None = None
    ) -> ContactDetails:
        """Validate and normalise raw input; raises ``InvalidContact``."""
        clean_phone = normalise_phone(phone) if phone and phone.strip() else None
        clean_email = normalise_email(email) if email and email.strip() else None
        if clean_phone is None and clean_email is None:
            raise InvalidContact("a phone number or an e-mail address is needed")
        return cls(name=clean_name(name), phone=clean_phone, email=clean_email)


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """A diallable phone number in E.164 ('07911 123456' -> '+447911123456')."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise InvalidContact("that does not look like a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidContact("that phone number is not complete or not in use")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    """The address trimmed, with its domain in lower case; raises ``InvalidContact``."""
    text = raw.strip()
    if len(text) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.match(text):
        raise InvalidContact("that does not look like an e-mail address")
    local, domain = text.rsplit("@", 1)
    if len(local) > 64:
        raise InvalidContact("that does not look like an e-mail address")
    return f"{local}@{domain.lower()}"


def is_valid_email(raw: str) -> bool:
    try:
        normalise_email(raw)
    except InvalidContact:
        return False
    return True


def clean_name(raw: str) -> str:
    """A name with spacing tidied and control characters refused."""
    name = " ".join(raw.split())
    if not name:
        raise InvalidContact("a name is needed")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidContact(f"a name must be at most {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise InvalidContact("a name cannot contain control characters")
    return name


def normalise_phone_or_email(raw: str) -> tuple[str | None, str | None]:
    """(phone, email) for a value that is one of the two, as ``erase`` receives it."""
    if "@" in raw:
        return None, normalise_email(raw)
    return normalise_phone(raw), None
