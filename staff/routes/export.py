"""The queue as a CSV download, with the queue page's filters; every export is audited.

Without a session it answers 401 (no redirect: it is fetched, not browsed).
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from staff.auth import StaffSession
from staff.pages import Pages
from staff.routes.queue import filters, query
from staff.web import client_of, csv_download


def register(app: Sanic, pages: Pages) -> None:
    @app.get("/export.csv")
    @pages.signed_in(api=True)
    async def export(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        status, level, show = filters(request)
        body = pages.store.export_csv(**query(status, level, show))
        rows = max(body.count("\n") - 1, 0)
        pages.store.audit(
            session.username,
            "export",
            detail=f"show={show} status={status} level={level} rows={rows}",
            remote_addr=client_of(request),
        )
        return csv_download(body, "cases")
