"""How long a conversation stays open between messages (clinic.yml ``session_hours``).

Within ``session_hours`` (24 by default) a person carries on where they left
off: an SMS answered the next morning is still an answer. After it, a
question's numbered options and keys lapse (``is_stale``), and someone who
was part-way through the symptom questions is asked whether to carry on or
start again (the messaging channels send ``/offer_resume``; see
actions/session.py). Rasa's own session (domain.yml) lasts longer than any
clinic setting, so it never cuts a conversation short.
"""

from __future__ import annotations

from typing import Final

MAX_SESSION_HOURS: Final = 720.0  # 30 days: domain.yml's session_expiration_time


def is_stale(at: float | None, now: float, session_hours: float) -> bool:
    """A message sent longer ago than a conversation stays open."""
    return at is not None and now - at >= session_hours * 3600
