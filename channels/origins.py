"""Which websites may talk to the assistant from a browser (``ALLOWED_ORIGINS``).

Read by the Rasa server's CORS settings (runner/rasa_server.py) and by the
socket.io channel, which browsers do not subject to CORS when they open a
WebSocket, so it checks the ``Origin`` header itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

DEMO_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")


class OriginsError(ValueError):
    """``ALLOWED_ORIGINS`` holds something that is not an origin."""


def allowed_origins(env: Mapping[str, str]) -> list[str]:
    """The origins in ``ALLOWED_ORIGINS`` (spaces or commas between; the demo page's when unset)."""
    raw = env.get("ALLOWED_ORIGINS", "").replace(",", " ").split()
    if not raw:
        return list(DEMO_ORIGINS)
    bad = [origin for origin in raw if not ORIGIN.match(origin)]
    if bad:
        raise OriginsError(
            f"ALLOWED_ORIGINS must list origins like https://clinic.example (no path, no *);"
            f" not {', '.join(bad)}"
        )
    return raw


def origin_allowed(origin: str | None, allowed: list[str]) -> bool:
    """A browser's ``Origin`` is allowed if listed; no header means no browser, nothing to check."""
    return origin is None or origin in allowed
