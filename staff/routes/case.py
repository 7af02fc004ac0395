"""One case: its page (with the transcript) and its status changes.

Viewing a case and changing its status are both written to the audit log.
"""

from __future__ import annotations

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from kneecare.cases.opt_outs import opted_out
from kneecare.cases.records import STATUSES, CaseError, utc_now
from staff.auth import StaffSession
from staff.pages import Pages
from staff.web import BadRequest, NotFound, check_csrf, client_of, form_value

MAX_CASE_ID = 2**31 - 1


def case_id_or_404(case_id: int) -> int:
    if not 0 < case_id <= MAX_CASE_ID:
        raise NotFound("There is no such case.")
    return case_id


def register(app: Sanic, pages: Pages) -> None:
    store = pages.store

    @app.get("/cases/<case_id:int>")
    @pages.signed_in()
    async def case_page(request: Request, case_id: int) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        case = store.get_case(case_id_or_404(case_id))
        if case is None:
            raise NotFound(
                "There is no such case. It may have been erased or deleted by the retention policy."
            )
        store.audit(session.username, "view_case", case_id=case.id, remote_addr=client_of(request))
        return pages.render(
            "case.html",
            staff=session,
            case=case,
            opted_out_of_texts=case.conversation_id
            in opted_out(store.engine, [case.conversation_id]),
            transcript=store.transcript(case),
            statuses=STATUSES,
            now=utc_now(),
        )

    @app.post("/cases/<case_id:int>/status")
    @pages.signed_in()
    async def change_status(request: Request, case_id: int) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        check_csrf(request, session.csrf_token)
        status = form_value(request, "status", 16)
        note = form_value(request, "note", 2000)
        try:
            case = store.set_status(case_id_or_404(case_id), status, session.username, note)
        except CaseError as error:
            raise BadRequest(str(error)) from None
        except LookupError:
            raise NotFound("There is no such case.") from None
        previous = case.history[-1].from_status if case.history else "?"
        store.audit(
            session.username,
            "status_change",
            case_id=case.id,
            detail=f"{previous} -> {status}",
            remote_addr=client_of(request),
        )
        return redirect(f"/cases/{case.id}", status=303)
