"""The queue page, and the filters it shares with the CSV export.

Filters come from the query string: ``status`` (open, one status, or all) and
``level`` (all, one triage level, or callback); anything else is a 400.
"""

from __future__ import annotations

from typing import Any

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from kneecare.cases.outbox import Outbox
from kneecare.cases.records import LEVELS, OPEN_STATUSES, STATUSES, utc_now
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore
from staff.pages import Pages
from staff.web import BadRequest

STATUS_FILTERS = ("open", *STATUSES, "all")
LEVEL_FILTERS = ("all", *LEVELS, "callback")


def filters(request: Request) -> tuple[str, str]:
    """(status, level) filters of the request; 400 for an unknown one."""
    status = request.args.get("status", "open")
    level = request.args.get("level", "all")
    if status not in STATUS_FILTERS:
        raise BadRequest(f"Unknown status filter. Use one of: {', '.join(STATUS_FILTERS)}.")
    if level not in LEVEL_FILTERS:
        raise BadRequest(f"Unknown level filter. Use one of: {', '.join(LEVEL_FILTERS)}.")
    return status, level


def query(status: str, level: str) -> dict[str, Any]:
    """The store's arguments for these filters."""
    return {
        "status": None if status == "all" else OPEN_STATUSES if status == "open" else status,
        "level": None if level in ("all", "callback") else level,
        "kind": "callback" if level == "callback" else None,
    }


def outbox_waiting(store: CaseStore) -> int:
    """Cases the action server kept while the database was down, not in the queue yet."""
    try:
        return len(Outbox(case_settings().outbox_dir, store.cipher).files())
    except OSError:
        return 0


def register(app: Sanic, pages: Pages) -> None:
    @app.get("/queue")
    @pages.signed_in()
    async def queue(request: Request) -> HTTPResponse:
        status, level = filters(request)
        found = pages.store.list_queue(**query(status, level))
        return pages.render(
            "queue.html",
            staff=request.ctx.staff,
            cases=found,
            outbox_waiting=outbox_waiting(pages.store),
            status=status,
            level=level,
            status_filters=STATUS_FILTERS,
            level_filters=LEVEL_FILTERS,
            now=utc_now(),
        )
