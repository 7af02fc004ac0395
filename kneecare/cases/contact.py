"""Contact details for call-back requests: validation, normalisation, redaction.

Phone numbers are parsed with ``phonenumbers`` (national numbers are read as
UK numbers unless they start with ``+`` or ``00``) and stored in E.164
(``+447911123456``); e-mail addresses are checked against a plain pattern, no
network look-up. ``redact`` replaces phone numbers and e-mail addresses in free
text with ``[phone]`` and ``[email]``; ``RedactingFilter`` applies it to log
records and ``install_log_redaction`` applies it to every record a process logs.
"""

from __future__ import annotations

import logging
import re
import string
import traceback
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import phonenumbers

from kneecare.names_in_text import redact_names

DEFAULT_REGION: Final = "GB"
# the call-back form's slots that hold contact details (forgotten when it cannot be saved)
CONTACT_SLOTS: Final = ("callback_consent", "contact_name", "contact_route")
MAX_NAME_LENGTH: Final = 100
MAX_EMAIL_LENGTH: Final = 254

_LOCAL_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TLD = r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})"
EMAIL_PATTERN: Final = re.compile(rf"^{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@(?:{_LABEL}\.)+{_TLD}$")
_EMAIL_IN_TEXT: Final = re.compile(rf"{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*@(?:{_LABEL}\.)+{_TLD}\b")
# a string value inside an /intent{...} payload, and the values that are safe codes
_PAYLOAD_VALUE: Final = re.compile(r'("[\w-]{1,64}"\s*:\s*)"((?:[^"\\]|\\.){0,500})"')
_CODE_VALUE: Final = re.compile(r"[a-z][a-z0-9_]{0,40}|\d{1,3}(?:\.\d+)?")
# Runs of digits that the phone matcher may take for a number but are dates.
# a conversation or request id (uuid4 hex, 16+ hex characters with a letter): its digit
# runs are not phone numbers, and log lines must stay matchable to a conversation
_HEX_ID: Final = re.compile(r"[0-9a-fA-F]{16,}")
_DATE_LIKE: Final = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
# A possible (not provably valid) number is redacted from this many digits on:
# national UK numbers have 10 or 11, so made-up or test numbers are caught too.
_MIN_DIGITS_WHEN_ONLY_POSSIBLE: Final = 10


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


def redact(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and names given in passing
    (``kneecare.names_in_text``) replaced by placeholders, and the values in an
    ``/intent{...}`` payload kept only when they are plain codes ("knee_hot")."""
    text = _PAYLOAD_VALUE.sub(_payload_value, text) if "{" in text else text
    text = redact_names(_EMAIL_IN_TEXT.sub("[email]", text))
    if not any(char.isdigit() for char in text):
        return text
    spans: list[tuple[int, int]] = []
    matcher = phonenumbers.PhoneNumberMatcher(
        text, DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE
    )
    for match in matcher:
        digits = sum(char.isdigit() for char in match.raw_string)
        if _DATE_LIKE.match(match.raw_string) or _inside_hex_id(text, match.start, match.end):
            continue
        if phonenumbers.is_valid_number(match.number) or digits >= _MIN_DIGITS_WHEN_ONLY_POSSIBLE:
            spans.append((match.start, match.end))
    for start, end in reversed(spans):
        text = text[:start] + "[phone]" + text[end:]
    return text


def _payload_value(match: re.Match[str]) -> str:
    value = match.group(2)
    return match.group(0) if _CODE_VALUE.fullmatch(value) else f'{match.group(1)}"[redacted]"'


def _inside_hex_id(text: str, start: int, end: int) -> bool:
    """The digits at ``text[start:end]`` are part of one longer hex token with letters in it."""
    left, right = start, end
    while left > 0 and text[left - 1] in string.hexdigits:
        left -= 1
    while right < len(text) and text[right] in string.hexdigits:
        right += 1
    token = text[left:right]
    return (right - left > end - start and _HEX_ID.fullmatch(token) is not None
            and not token.isdigit() and text[start:end].isalnum())


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with ``redact``; never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact the record in place (message, arguments, traceback, stack)."""
    if not getattr(record, "_redacted", False):
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep logging's own error path
            return record
        record.msg, record.args = redact(message), ()
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._redacted = True
    if record.exc_text:  # formatted by a handler that ran before this filter
        record.exc_text = redact(record.exc_text)
    elif record.exc_info:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    return record


def install_log_redaction() -> None:
    """Redact every log record this process creates, whichever logger or handler."""
    factory: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(factory, "_redacting", False):
        return

    def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(factory(*args, **kwargs))

    redacting_factory._redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(redacting_factory)
