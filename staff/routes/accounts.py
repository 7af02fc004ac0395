"""The Accounts page: a practice manager unlocks and disables accounts.

Other staff get a clear 403 page. Every unlock and disable is audited with
who did it; disabling ends that person's sessions. A manager cannot disable
their own account here (so that one manager is always left).
"""

from __future__ import annotations

from urllib.parse import urlencode

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from staff.auth import StaffSession
from staff.pages import Pages
from staff.passwords import AccountError
from staff.web import BadRequest, Forbidden, check_csrf, client_of

DONE = {"unlock": "unlocked", "disable": "disabled"}


def register(app: Sanic, pages: Pages) -> None:
    accounts = pages.accounts

    def manager(request: Request) -> StaffSession:
        session: StaffSession = request.ctx.staff
        if not accounts.is_manager(session.username):
            raise Forbidden("Only the practice manager can manage staff accounts.")
        return session

    @app.get("/accounts")
    @pages.signed_in()
    async def accounts_page(request: Request) -> HTTPResponse:
        session = manager(request)
        done = request.args.get("done", "")[:80]
        return pages.render(
            "accounts.html", staff=session, people=accounts.overview(), done=done
        )

    @app.post("/accounts/<username:str>/<action:str>")
    @pages.signed_in()
    async def change_account(request: Request, username: str, action: str) -> HTTPResponse:
        session = manager(request)
        check_csrf(request, session.csrf_token)
        if action not in DONE:
            raise BadRequest(f"Unknown account action {action[:20]!r}.")
        if action == "disable" and username == session.username:
            raise BadRequest("You cannot disable your own account.")
        by = f"{session.username} from {client_of(request) or 'the staff view'}"
        try:
            if action == "unlock":
                accounts.unlock(username, by=by)
            else:
                accounts.disable(username, by=by)
        except AccountError as error:
            raise BadRequest(str(error).capitalize() + ".") from error
        done = urlencode({"done": f"{DONE[action]} {username}"})
        return redirect(f"/accounts?{done}", status=303)
