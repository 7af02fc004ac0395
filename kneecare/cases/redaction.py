"""Redaction: phone numbers, e-mail addresses and names kept out of text and logs.

``redact`` replaces phone numbers and e-mail addresses in free text with
``[phone]`` and ``[email]`` (and names given in passing with a placeholder);
``RedactingFilter`` applies it to log records and ``install_log_redaction``
applies it to every record a process logs.
"""

from __future__ import annotations

import logging
import re
import string
import traceback
from collections.abc import Callable
from typing import Any, Final

import phonenumbers

from kneecare.cases.contact_patterns import DEFAULT_REGION, EMAIL_IN_TEXT
from kneecare.names_in_text import redact_names

# a string value inside an /intent{...} payload, and the values that are safe codes
_PAYLOAD_VALUE: Final = re.compile(r'("[\w-]{1,64}"\s*:\s*)"((?:[^"\\]|\\.){0,500})"')
_CODE_VALUE: Final = re.compile(r"[a-z][a-z0-9_]{0,40}|\d{1,3}(?:\.\d+)?")
# a conversation or request id (uuid4 hex, 16+ hex characters with a letter): its digit
# runs are not phone numbers, and log lines must stay matchable to a conversation
_HEX_ID: Final = re.compile(r"[0-9a-fA-F]{16,}")
# Runs of digits that the phone matcher may take for a number but are dates.
_DATE_LIKE: Final = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
# A possible (not provably valid) number is redacted from this many digits on:
# national UK numbers have 10 or 11, so made-up or test numbers are caught too.
_MIN_DIGITS_WHEN_ONLY_POSSIBLE: Final = 10


def redact(text: str) -> str:
    """``text`` with e-mail addresses, phone numbers and names given in passing
    (``kneecare.names_in_text``) replaced by placeholders, and the values in an
    ``/intent{...}`` payload kept only when they are plain codes ("knee_hot")."""
    text = _PAYLOAD_VALUE.sub(_payload_value, text) if "{" in text else text
    text = redact_names(EMAIL_IN_TEXT.sub("[email]", text))
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
    return (
        right - left > end - start
        and _HEX_ID.fullmatch(token) is not None
        and not token.isdigit()
        and text[start:end].isalnum()
    )


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
