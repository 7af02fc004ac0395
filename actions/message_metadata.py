"""What the channels attach to a message: the keyed hash of the client's address.

The REST and socket.io channels set ``client_key`` themselves (a client's
own metadata cannot supply it); the case store uses it to limit how many new
cases one address files.
"""

from __future__ import annotations

from rasa_sdk import Tracker

CLIENT_KEY = "client_key"


def client_key_of(tracker: Tracker) -> str | None:
    """The latest message's client key, or None (messaging channels, tests)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    value = metadata.get(CLIENT_KEY) if isinstance(metadata, dict) else None
    return value if isinstance(value, str) and value else None
