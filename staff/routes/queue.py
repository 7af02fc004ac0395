"""The queue page, its "new since" count, and the filters it shares with the CSV export.

Filters come from the query string: ``show`` (callbacks, the default: the
people to call; or all cases), ``status`` (open, one status, or all) and
``level`` (all or one triage level); ``page`` picks 50 rows. Anything else
is a 400. ``/queue/count`` answers how many cases joined the same view since
the page was made (``after``: the newest case id then, ``since``: the time
then, in Unix seconds); the page's script asks it every 30 seconds.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from kneecare.cases.call_queue import page_of, queue_rows
from kneecare.cases.outbox import Outbox
from kneecare.cases.queue import count_queue, newest_case_id
from kneecare.cases.records import LEVELS, OPEN_STATUSES, STATUSES, utc_now
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore
from staff.pages import Pages
from staff.web import BadRequest

SHOW_FILTERS = {"callbacks": "Call-backs to make", "all": "All cases"}
STATUS_FILTERS = ("open", *STATUSES, "all")
LEVEL_FILTERS = ("all", *LEVELS)
MAX_NUMBER_DIGITS = 12


def filters(request: Request) -> tuple[str, str, str]:
    """(status, level, show) filters of the request; 400 for an unknown one."""
    status = request.args.get("status", "open")
    level = request.args.get("level", "all")
    show = request.args.get("show", "callbacks")
    if status not in STATUS_FILTERS:
        raise BadRequest(f"Unknown status filter. Use one of: {', '.join(STATUS_FILTERS)}.")
    if level not in LEVEL_FILTERS:
        raise BadRequest(f"Unknown level filter. Use one of: {', '.join(LEVEL_FILTERS)}.")
    if show not in SHOW_FILTERS:
        raise BadRequest(f"Unknown show filter. Use one of: {', '.join(SHOW_FILTERS)}.")
    return status, level, show


def query(status: str, level: str, show: str) -> dict[str, Any]:
    """The store's arguments for these filters."""
    return {
        "status": None if status == "all" else OPEN_STATUSES if status == "open" else status,
        "level": None if level == "all" else level,
        "kind": "callback" if show == "callbacks" else None,
    }


def whole_number(request: Request, name: str) -> int:
    """A required whole-number query argument; 400 otherwise."""
    text = request.args.get(name, "")
    if not (text.isdecimal() and text.isascii() and len(text) <= MAX_NUMBER_DIGITS):
        raise BadRequest(f"'{name}' must be a whole number, such as {name}=12.")
    return int(text)


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
        status, level, show = filters(request)
        wanted = query(status, level, show)
        now = utc_now()
        engine = pages.store.engine
        try:
            page = page_of(request.args.get("page"), count_queue(engine, **wanted))
        except ValueError as error:
            raise BadRequest(str(error)) from None
        found = pages.store.list_queue(**wanted, limit=page.size, offset=page.offset)
        view = {"show": show, "status": status, "level": level}
        since = {"after": newest_case_id(engine), "since": int(now.timestamp())}
        return pages.render(
            "queue.html",
            staff=request.ctx.staff,
            rows=queue_rows(found, pages.clinic, now),
            page=page,
            view_query=urlencode(view),
            count_url="/queue/count?" + urlencode({**view, **since}),
            outbox_waiting=outbox_waiting(pages.store),
            status=status,
            level=level,
            show=show,
            show_filters=SHOW_FILTERS,
            status_filters=STATUS_FILTERS,
            level_filters=LEVEL_FILTERS,
            now=now,
        )

    @app.get("/queue/count")
    @pages.signed_in(api=True)
    async def queue_count(request: Request) -> HTTPResponse:
        status, level, show = filters(request)
        after, since = whole_number(request, "after"), whole_number(request, "since")
        try:
            moment = datetime.fromtimestamp(since, timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise BadRequest("'since' must be a time in Unix seconds.") from None
        new = count_queue(pages.store.engine, **query(status, level, show),
                          newer_than=(after, moment))
        return json({"new": new})
