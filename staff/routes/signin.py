"""Signing in and out.

The sign-in form's CSRF token is bound to a nonce cookie (there is no session
yet); failed sign-ins are throttled per computer (see ``staff.auth``), and the
form says how long to wait. Signing out ends the session on the server.
"""

from __future__ import annotations

import secrets

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from kneecare.cases.records import utc_now
from staff.auth import SignIn, StaffSession
from staff.pages import SESSION_COOKIE, SIGNIN_COOKIE, Pages
from staff.web import Forbidden, check_csrf, client_of, form_value


def register(app: Sanic, pages: Pages) -> None:
    accounts = pages.accounts

    def signin_form(
        request: Request, status: int = 200, error: str = "", notice: str = ""
    ) -> HTTPResponse:
        nonce = secrets.token_urlsafe(24)
        token = accounts.signin_form_token(nonce)
        response = pages.render(
            "signin.html", http_status=status, error=error, notice=notice, csrf_token=token
        )
        pages.set_cookie(request, response, SIGNIN_COOKIE, nonce, max_age=1800)
        return response

    @app.get("/signin")
    async def signin_page(request: Request) -> HTTPResponse:
        if pages.current(request) is not None:
            return redirect("/queue", status=303)
        signed_out = request.args.get("signed_out") == "1"
        return signin_form(request, notice="You have signed out." if signed_out else "")

    @app.post("/signin")
    async def signin(request: Request) -> HTTPResponse:
        nonce = request.cookies.get(SIGNIN_COOKIE, "")
        if not nonce:
            raise Forbidden(
                "Your browser did not send the sign-in cookie. Reload the page and"
                " try again (cookies must be allowed for this site)."
            )
        check_csrf(request, accounts.signin_form_token(nonce))
        username = form_value(request, "username", 64)
        password = form_value(request, "password", 256)
        result, token = accounts.sign_in(username, password, remote_addr=client_of(request))
        if result is SignIn.LOCKED:
            until = accounts.locked_until(
                username.strip().lower()[:64], remote_addr=client_of(request)
            )
            minutes = max(1, -(-int(((until or utc_now()) - utc_now()).total_seconds()) // 60))
            return signin_form(
                request,
                429,
                "Too many failed sign-ins from this computer. Try again in"
                f" {minutes} minute{'s' if minutes != 1 else ''}; colleagues signing in"
                " elsewhere are not affected.",
            )
        if result is SignIn.WRONG or token is None:
            return signin_form(request, 401, "Wrong username or password.")
        response = redirect("/queue", status=303)
        pages.set_cookie(
            request,
            response,
            SESSION_COOKIE,
            token,
            max_age=int(accounts.session_length.total_seconds()),
        )
        pages.clear_cookie(response, SIGNIN_COOKIE)
        return response

    @app.post("/signout")
    @pages.signed_in()
    async def signout(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        check_csrf(request, session.csrf_token)
        accounts.sign_out(request.cookies.get(SESSION_COOKIE, ""))
        pages.store.audit(session.username, "sign_out", remote_addr=client_of(request))
        response = redirect("/signin?signed_out=1", status=303)
        pages.clear_cookie(response, SESSION_COOKIE)
        return response
