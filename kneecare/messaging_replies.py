"""What the messaging channels answer by themselves: keywords (STOP, START, HELP) and media.

Texting services follow the carriers' keywords: STOP (and STOPALL,
UNSUBSCRIBE, CANCEL, END, QUIT) opts the sender out of every further
message, START (or UNSTOP) opts them back in, HELP (or INFO) says who is
texting and how to stop. A keyword counts only as the whole message, in any
case, so "I want to stop the pain" is a message about a knee.

Pictures, voice notes and empty messages cannot be read: the person is asked
to describe it in words, with the emergency number, never left unanswered.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Final


class Keyword(Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"


KEYWORDS: Final = {
    **dict.fromkeys(("stop", "stopall", "unsubscribe", "cancel", "end", "quit"), Keyword.STOP),
    **dict.fromkeys(("start", "unstop"), Keyword.START),
    **dict.fromkeys(("help", "info"), Keyword.HELP),
}
_TRIM: Final = re.compile(r"^[\s\"'“”‘’]+|[\s.!\"'“”‘’]+$")


def keyword_of(text: str | None) -> Keyword | None:
    """The keyword a whole message is, or None."""
    return KEYWORDS.get(_TRIM.sub("", text or "").lower())


def stop_confirmation(clinic_name: str, clinic_phone: str) -> str:
    return (f"You won't get any more texts from the {clinic_name} knee assistant. Reply START"
            f" to use it again, or call us on {clinic_phone}. In an emergency call 999.")


def start_confirmation(clinic_name: str) -> str:
    return (f"Welcome back to the {clinic_name} knee assistant. Reply STOP at any time"
            " to stop texts.")


def help_reply(clinic_name: str, clinic_phone: str, emergency_number: str) -> str:
    return (f"This is the {clinic_name} knee assistant, an automated service. To speak to"
            f" someone, call {clinic_phone}. Reply STOP to stop texts, START to begin again."
            f" In an emergency call {emergency_number}.")


def media_reply(emergency_number: str) -> str:
    return ("I can't see pictures or hear voice notes yet; please describe it in words."
            f" If it's an emergency, call {emergency_number}.")
