"""What the staff routes share: the store, the accounts, the templates, cookies, sessions.

``Pages`` is made once per app by ``create_app`` and handed to each group of
routes. Its ``signed_in`` decorator guards a route: pages redirect to the
sign-in form without a session, form POSTs and the CSV export answer 401.
Cookies are HttpOnly, SameSite=Strict, and Secure over HTTPS (or as
``STAFF_COOKIE_SECURE`` says).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect

from kneecare.cases.records import utc_now
from kneecare.cases.store import CaseStore
from kneecare.cases.summary import level_label, reason_words
from kneecare.clinic import ClinicSettings
from kneecare.staff_words import (
    channel_label,
    duration_words,
    moment_words,
    national_phone,
    shown_text,
    tel_href,
)
from staff.auth import Accounts, StaffSession
from staff.settings import StaffSettings
from staff.web import Unauthorised

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "kc_staff_session"
SIGNIN_COOKIE = "kc_staff_signin"

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class Pages:
    """The staff view's settings, store, accounts and templates, with the helpers over them."""

    def __init__(self, settings: StaffSettings, store: CaseStore, clinic: ClinicSettings):
        self.settings = settings
        self.store = store
        self.clinic = clinic
        self.clinic_zone = ZoneInfo(clinic.timezone)
        self.accounts = Accounts(
            store,
            settings.secret_key,
            session_hours=settings.session_hours,
            idle_minutes=settings.idle_minutes,
        )
        self.templates = templates(self.clinic_zone)

    def render(self, template: str, http_status: int = 200, **values: Any) -> HTTPResponse:
        return html(self.templates.get_template(template).render(**values), status=http_status)

    def set_cookie(
        self, request: Request, response: HTTPResponse, name: str, value: str, max_age: int
    ) -> None:
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


def templates(clinic_zone: ZoneInfo) -> Environment:
    """The page templates, escaping everything, with the filters they use."""
    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    environment.filters["local"] = lambda moment: (
        moment.astimezone(clinic_zone).strftime("%a %d %b %Y %H:%M") if moment else ""
    )
    environment.filters["waited"] = waited
    environment.filters["near"] = lambda moment, now: moment_words(moment, now, clinic_zone)
    environment.filters.update(
        channel=channel_label, days=duration_words, phone=national_phone, tel=tel_href,
        shown=shown_text,
    )
    environment.globals.update(level_label=level_label, reason_words=reason_words)
    return environment


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
