"""The CSV export of the filtered queue (401 without a session; every export is audited)."""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw

from kneecare.cases.store import utc_now
from staff.auth import StaffSession
from staff.pages import Pages, client_of
from staff.routes.filters import filters, query


def add_routes(app: Sanic, pages: Pages) -> None:
    @app.get("/export.csv")
    @pages.signed_in(api=True)
    async def export(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        status, level = filters(request)
        body = pages.store.export_csv(**query(status, level))
        rows = max(body.count("\n") - 1, 0)
        pages.store.audit(session.username, "export",
                          detail=f"status={status} level={level} rows={rows}",
                          remote_addr=client_of(request))
        stamp = utc_now().strftime("%Y%m%d-%H%M")
        return raw(
            body.encode("utf-8"),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="cases-{stamp}.csv"'},
        )
