"""The queue's and the export's filters: by status and by level (or call-backs)."""

from __future__ import annotations

from typing import Any

from sanic.request import Request

from kneecare.cases.store import LEVELS, OPEN_STATUSES, STATUSES
from staff.pages import BadRequest

STATUS_FILTERS = ("open", *STATUSES, "all")
LEVEL_FILTERS = ("all", *LEVELS, "callback")


def filters(request: Request) -> tuple[str, str]:
    status = request.args.get("status", "open")
    level = request.args.get("level", "all")
    if status not in STATUS_FILTERS:
        raise BadRequest(f"Unknown status filter. Use one of: {', '.join(STATUS_FILTERS)}.")
    if level not in LEVEL_FILTERS:
        raise BadRequest(f"Unknown level filter. Use one of: {', '.join(LEVEL_FILTERS)}.")
    return status, level


def query(status: str, level: str) -> dict[str, Any]:
    """The case store's query for these filters."""
    return {
        "status": None if status == "all" else OPEN_STATUSES if status == "open" else status,
        "level": None if level in ("all", "callback") else level,
        "kind": "callback" if level == "callback" else None,
    }
