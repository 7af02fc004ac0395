"""What every staff page shares: templates, cookies, the session check, forms and CSRF.

``Pages`` is built once per app by ``staff.app.create_app``; the route
modules in ``staff/routes/`` take it. Bad input raises one of the 4xx
exceptions below, which the error page (``staff/routes/site.py``) shows.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from kneecare.cases.store import CaseStore, utc_now
from kneecare.client_address import client_address
from staff.auth import Accounts, StaffSession
from staff.settings import StaffSettings

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "kc_staff_session"
SIGNIN_COOKIE = "kc_staff_signin"

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class BadRequest(SanicException):
    status_code = 400


class Forbidden(SanicException):
    status_code = 403


class Unauthorised(SanicException):
    status_code = 401


class NotFound(SanicException):
    status_code = 404


def client_of(request: Request) -> str:
    """The client's address (behind the local nginx: the one it forwarded)."""
    return client_address(request.ip, request.headers.get("X-Forwarded-For"))[:64]


def waited(since: datetime, now: datetime | None = None) -> str:
    """'3 d 4 h', '2 h 5 min', '12 min'."""
    delta = max((now or utc_now()) - since, timedelta(0))
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@dataclass(frozen=True)
class Pages:
    """The app's settings, store, accounts and templates, and the helpers its routes use."""

    settings: StaffSettings
    store: CaseStore
    accounts: Accounts
    templates: Environment

    def render(self, template: str, http_status: int = 200, **values: Any) -> HTTPResponse:
        return html(self.templates.get_template(template).render(**values), status=http_status)

    def set_cookie(self, request: Request, response: HTTPResponse, name: str, value: str,
                   max_age: int) -> None:
        secure = self.settings.cookie_secure
        if secure is None:
            secure = request.scheme == "https"
        response.cookies[name] = value
        cookie = response.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        cookie["max-age"] = max_age
        if secure:
            cookie["secure"] = True

    @staticmethod
    def clear_cookie(response: HTTPResponse, name: str) -> None:
        response.cookies[name] = ""
        response.cookies[name]["max-age"] = 0
        response.cookies[name]["path"] = "/"
        response.cookies[name]["httponly"] = True
        response.cookies[name]["samesite"] = "Strict"

    def current(self, request: Request) -> StaffSession | None:
        return self.accounts.session(request.cookies.get(SESSION_COOKIE))

    def signed_in(self, *, api: bool = False) -> Callable[[Handler], Handler]:
        """Pages redirect to the sign-in form without a session; ``api`` answers 401."""

        def decorate(handler: Handler) -> Handler:
            @wraps(handler)
            async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                session = self.current(request)
                if session is None:
                    if api or request.method != "GET":
                        raise Unauthorised("Please sign in first.")
                    return redirect("/signin", status=303)
                request.ctx.staff = session
                return await handler(request, *args, **kwargs)

            return wrapper

        return decorate

    @staticmethod
    def form_value(request: Request, name: str, max_length: int = 200) -> str:
        value = request.form.get(name, "") if request.form else ""
        if not isinstance(value, str) or len(value) > max_length:
            raise BadRequest(f"The field {name!r} is too long.")
        return value

    def check_csrf(self, request: Request, expected: str) -> None:
        if request.content_type.split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise Forbidden("This form must be sent from the staff pages.")
        given = self.form_value(request, "csrf_token", 200)
        if not given or not secrets.compare_digest(given, expected):
            raise Forbidden(
                "This form has expired or did not come from the staff pages."
                " Go back, reload the page and try again."
            )
