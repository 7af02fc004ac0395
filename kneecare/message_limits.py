"""What an incoming message may look like before the assistant reads it: limits and checks.

Every channel adapter (REST, socket.io, Twilio, Telegram) passes the sender id
and the text it received to ``check_incoming`` and acts on the ``Problem`` it
gets back, so all channels agree on what is acceptable. A message longer than
``MAX_MESSAGE_CHARS`` is refused as a whole, never cut short: a red flag in
the part cut off would be missed. Where a person is typing, the channel
answers with ``too_long_reply``; the REST API answers 413 with the problem's
``detail``. ``check_rest_body`` checks the JSON body of the REST webhook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

# A few sentences about a knee fit easily; Twilio delivers at most 1,600
# characters of SMS and the widget's text box stops at 1,000, while Telegram
# and WhatsApp allow about 4,000.
MAX_MESSAGE_CHARS = 2000
# Channel ids are short (a uuid, a phone number, a chat id); Rasa's SQL
# tracker store keeps sender_id in a 255-character column.
MAX_SENDER_ID_CHARS = 128
# input_channel names a channel, e.g. "rest".
MAX_CHANNEL_NAME_CHARS = 64


class Kind(Enum):
    """Why an incoming message cannot be read."""

    MALFORMED = "malformed"  # missing, wrong type, characters that are not text
    EMPTY = "empty"  # nothing but white space
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a request, in words a developer can act on."""

    kind: Kind
    field: str
    detail: str

    @property
    def http_status(self) -> int:
        """413 when something is too long, 400 otherwise."""
        return 413 if self.kind is Kind.TOO_LONG else 400


def too_long_reply(emergency_number: str) -> str:
    """What a person who typed more than ``MAX_MESSAGE_CHARS`` characters is told."""
    return (
        f"That message is too long for me. Please send a shorter one, up to"
        f" {MAX_MESSAGE_CHARS:,} characters: a sentence or two about your knee is enough."
        f" In an emergency call {emergency_number}."
    )


def _is_text(value: str) -> bool:
    """False for lone surrogates, which can arrive through JSON escapes but are not text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _not_a_string(value: object, field: str) -> Problem:
    if value is None:
        return Problem(Kind.MALFORMED, field, f"{field} is missing")
    return Problem(Kind.MALFORMED, field, f"{field} must be a string, not {_json_type(value)}")


def check_sender(sender: object, field: str = "sender") -> Problem | None:
    """A non-empty string of printable characters, at most ``MAX_SENDER_ID_CHARS`` long."""
    if not isinstance(sender, str):
        return _not_a_string(sender, field)
    if not sender.strip():
        return Problem(Kind.MALFORMED, field, f"{field} is empty")
    if len(sender) > MAX_SENDER_ID_CHARS:
        return Problem(Kind.TOO_LONG, field,
                       f"{field} is {len(sender):,} characters long;"
                       f" the maximum is {MAX_SENDER_ID_CHARS}")
    if not sender.isprintable() or not _is_text(sender):
        return Problem(Kind.MALFORMED, field,
                       f"{field} may only contain printable characters")
    return None


def check_text(text: object, field: str = "message") -> Problem | None:
    """A string that is valid text, not blank, at most ``MAX_MESSAGE_CHARS`` long."""
    if not isinstance(text, str):
        return _not_a_string(text, field)
    if len(text) > MAX_MESSAGE_CHARS:
        return Problem(Kind.TOO_LONG, field,
                       f"{field} is {len(text):,} characters long;"
                       f" the maximum is {MAX_MESSAGE_CHARS:,}")
    if not _is_text(text):
        return Problem(Kind.MALFORMED, field,
                       f"{field} contains invalid characters (lone UTF-16 surrogates)")
    if not text.strip():
        return Problem(Kind.EMPTY, field, f"{field} is empty")
    return None


def check_incoming(sender: object, text: object) -> Problem | None:
    """The first problem with a message from ``sender``, or None when it can be read."""
    return check_sender(sender) or check_text(text)


def check_rest_body(body: object) -> Problem | None:
    """The REST webhook's JSON body: ``{"sender", "message"}`` plus optional
    ``metadata`` (an object) and ``input_channel`` (a short string)."""
    if not isinstance(body, Mapping):
        return Problem(Kind.MALFORMED, "body",
                       "the body must be a JSON object like"
                       ' {"sender": "someone", "message": "hello"},'
                       f" not {_json_type(body)}")
    problem = check_incoming(body.get("sender"), body.get("message"))
    if problem:
        return problem
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, Mapping):
        return Problem(Kind.MALFORMED, "metadata",
                       f"metadata must be an object, not {_json_type(metadata)}")
    channel = body.get("input_channel")
    if channel is not None:
        if not isinstance(channel, str) or not channel.strip():
            return Problem(Kind.MALFORMED, "input_channel",
                           "input_channel must be a non-empty string")
        if len(channel) > MAX_CHANNEL_NAME_CHARS or not channel.isprintable():
            return Problem(Kind.MALFORMED, "input_channel",
                           f"input_channel must be at most {MAX_CHANNEL_NAME_CHARS}"
                           " printable characters")
    return None


def _json_type(value: object) -> str:
    """The JSON name of a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__
