"""The Outcomes page and its CSV: anonymous triage outcomes by level, reasons and channels.

The figures come from ``kneecare.cases.outcome_stats`` for the clinic's
calendar; the page draws them as inline SVG charts (``staff.outcome_chart``)
with the same figures in tables. The CSV needs a session (401 without one,
like the queue's export) and every download is audited.
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse

from kneecare.cases.outcome_stats import DAYS, WEEKS, outcome_stats, outcomes_csv
from kneecare.cases.records import LEVELS
from staff.auth import StaffSession
from staff.outcome_chart import stacked_bars
from staff.pages import Pages
from staff.web import client_of, csv_download


def register(app: Sanic, pages: Pages) -> None:
    @app.get("/outcomes")
    @pages.signed_in()
    async def outcomes(request: Request) -> HTTPResponse:
        stats = outcome_stats(pages.store.engine, pages.clinic_zone)
        return pages.render(
            "outcomes.html",
            staff=request.ctx.staff,
            stats=stats,
            daily=stacked_bars(stats.days),
            weekly=stacked_bars(stats.weeks),
            levels=LEVELS,
            days=DAYS,
            weeks=WEEKS,
        )

    @app.get("/outcomes.csv")
    @pages.signed_in(api=True)
    async def outcomes_download(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        stats = outcome_stats(pages.store.engine, pages.clinic_zone)
        pages.store.audit(
            session.username,
            "export",
            detail=f"outcomes {stats.since.isoformat()} to {stats.until.isoformat()}",
            remote_addr=client_of(request),
        )
        return csv_download(outcomes_csv(stats), "outcomes")
