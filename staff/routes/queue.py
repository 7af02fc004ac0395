"""The queue: the cases to work on, filtered, with the cases still waiting in the outbox."""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from kneecare.cases.outbox import Outbox
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore, utc_now
from staff.pages import Pages
from staff.routes.filters import LEVEL_FILTERS, STATUS_FILTERS, filters, query


def outbox_waiting(store: CaseStore) -> int:
    """Cases the action server kept while the database was down, not in the queue yet."""
    try:
        return len(Outbox(case_settings().outbox_dir, store.cipher).files())
    except OSError:
        return 0


def add_routes(app: Sanic, pages: Pages) -> None:
    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/queue", status=303)

    @app.get("/queue")
    @pages.signed_in()
    async def queue(request: Request) -> HTTPResponse:
        status, level = filters(request)
        return pages.render(
            "queue.html",
            staff=request.ctx.staff,
            cases=pages.store.list_queue(**query(status, level)),
            outbox_waiting=outbox_waiting(pages.store),
            status=status,
            level=level,
            status_filters=STATUS_FILTERS,
            level_filters=LEVEL_FILTERS,
            now=utc_now(),
        )
