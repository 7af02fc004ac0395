"""The staff view as a Sanic app: sign-in, queue, case page, status changes, CSV export.

Every page but the sign-in form needs a session; the CSV export answers 401
without one, pages redirect to the sign-in form. Every form POST carries a
CSRF token (the session's, or for the sign-in form one bound to a nonce
cookie); a POST without a valid one gets 403. Bad input gets a plain 4xx page;
an unexpected error gets a 500 page with no details (they go to the log,
redacted). Database calls are short and synchronous: this is a small internal
tool with a handful of users.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse, html, raw, redirect

from kneecare.cases.contact import install_log_redaction
from kneecare.cases.crypto import cipher_from_settings
from kneecare.cases.database import upgrade_database
from kneecare.cases.opt_outs import opted_out
from kneecare.cases.outbox import Outbox
from kneecare.cases.settings import case_settings
from kneecare.cases.records import LEVELS, OPEN_STATUSES, STATUSES, CaseError, utc_now
from kneecare.cases.store import CaseStore
from kneecare.cases.summary import level_label, reason_words
from kneecare.client_address import client_address
from kneecare.clinic import load_settings as load_clinic
from staff.auth import Accounts, SignIn, StaffSession
from staff.settings import StaffSettings

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "kc_staff_session"
SIGNIN_COOKIE = "kc_staff_signin"
MAX_CASE_ID = 2**31 - 1
STATUS_FILTERS = ("open", *STATUSES, "all")
LEVEL_FILTERS = ("all", *LEVELS, "callback")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class BadRequest(SanicException):
    status_code = 400


class Forbidden(SanicException):
    status_code = 403


class Unauthorised(SanicException):
    status_code = 401


class NotFound(SanicException):
    status_code = 404


def outbox_waiting(store: CaseStore) -> int:
    """Cases the action server kept while the database was down, not in the queue yet."""
    try:
        return len(Outbox(case_settings().outbox_dir, store.cipher).files())
    except OSError:
        return 0


def client_of(request: Request) -> str:
    """The client's address (behind the local nginx: the one it forwarded)."""
    return client_address(request.ip, request.headers.get("X-Forwarded-For"))[:64]


def create_app(
    settings: StaffSettings, store: CaseStore | None = None, name: str = "kneecare_staff"
) -> Sanic:
    """The app for these settings (the store defaults to the settings' databases)."""
    if store is None:
        store = CaseStore(
            settings.database_url, cipher_from_settings(case_settings()), settings.tracker_db_url
        )
    accounts = Accounts(
        store,
        settings.secret_key,
        session_hours=settings.session_hours,
        idle_minutes=settings.idle_minutes,
    )
    clinic_zone = ZoneInfo(load_clinic().timezone)
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    templates.filters["local"] = lambda moment: (
        moment.astimezone(clinic_zone).strftime("%a %d %b %Y %H:%M") if moment else ""
    )
    templates.filters["waited"] = _waited
    templates.globals.update(level_label=level_label, reason_words=reason_words)

    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.config.KEEP_ALIVE_TIMEOUT = 5

    def render(template: str, http_status: int = 200, **values: Any) -> HTTPResponse:
        return html(templates.get_template(template).render(**values), status=http_status)

    def set_cookie(
        request: Request, response: HTTPResponse, name: str, value: str, max_age: int
    ) -> None:
        secure = settings.cookie_secure
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

    def clear_cookie(response: HTTPResponse, name: str) -> None:
        response.cookies[name] = ""
        response.cookies[name]["max-age"] = 0
        response.cookies[name]["path"] = "/"
        response.cookies[name]["httponly"] = True
        response.cookies[name]["samesite"] = "Strict"

    def current(request: Request) -> StaffSession | None:
        return accounts.session(request.cookies.get(SESSION_COOKIE))

    def signed_in(*, api: bool = False) -> Callable[[Handler], Handler]:
        """Pages redirect to the sign-in form without a session; ``api`` answers 401."""

        def decorate(handler: Handler) -> Handler:
            @wraps(handler)
            async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                session = current(request)
                if session is None:
                    if api or request.method != "GET":
                        raise Unauthorised("Please sign in first.")
                    return redirect("/signin", status=303)
                request.ctx.staff = session
                return await handler(request, *args, **kwargs)

            return wrapper

        return decorate

    def form_value(request: Request, name: str, max_length: int = 200) -> str:
        value = request.form.get(name, "") if request.form else ""
        if not isinstance(value, str) or len(value) > max_length:
            raise BadRequest(f"The field {name!r} is too long.")
        return value

    def check_csrf(request: Request, expected: str) -> None:
        if request.content_type.split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise Forbidden("This form must be sent from the staff pages.")
        given = form_value(request, "csrf_token", 200)
        if not given or not secrets.compare_digest(given, expected):
            raise Forbidden(
                "This form has expired or did not come from the staff pages."
                " Go back, reload the page and try again."
            )

    def filters(request: Request) -> tuple[str, str]:
        status = request.args.get("status", "open")
        level = request.args.get("level", "all")
        if status not in STATUS_FILTERS:
            raise BadRequest(f"Unknown status filter. Use one of: {', '.join(STATUS_FILTERS)}.")
        if level not in LEVEL_FILTERS:
            raise BadRequest(f"Unknown level filter. Use one of: {', '.join(LEVEL_FILTERS)}.")
        return status, level

    def query(status: str, level: str) -> dict[str, Any]:
        return {
            "status": None if status == "all" else OPEN_STATUSES if status == "open" else status,
            "level": None if level in ("all", "callback") else level,
            "kind": "callback" if level == "callback" else None,
        }

    def case_id_or_404(case_id: int) -> int:
        if not 0 < case_id <= MAX_CASE_ID:
            raise NotFound("There is no such case.")
        return case_id

    @app.before_server_start
    async def migrate(_app: Sanic, _loop: Any) -> None:
        upgrade_database(store.url)

    async def security_headers(request: Request, response: BaseHTTPResponse) -> None:
        for header, value in SECURITY_HEADERS.items():
            if header == "Cache-Control" and request.path.startswith("/static/"):
                continue
            response.headers.setdefault(header, value)

    app.register_middleware(security_headers, "response")

    @app.exception(Exception)  # type: ignore[untyped-decorator,no-untyped-call]
    async def error_page(request: Request, error: Exception) -> HTTPResponse:
        status = getattr(error, "status_code", 500) if isinstance(error, SanicException) else 500
        if status >= 500:
            logger.exception("staff view error on %s %s", request.method, request.path)
            message = "Something went wrong. The details are in the server log."
        else:
            message = str(error) or "That request could not be handled."
        response = render(
            "error.html",
            http_status=status,
            status_code=status,
            message=message,
            staff=getattr(request.ctx, "staff", None),
        )
        if status == 401:
            response.headers["WWW-Authenticate"] = 'FormSignIn realm="staff"'
        return response

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return raw(b"ok", content_type="text/plain")

    @app.get("/static/staff.css")
    async def stylesheet(request: Request) -> HTTPResponse:
        return raw(
            (HERE / "static" / "staff.css").read_bytes(),
            content_type="text/css",
            headers={"Cache-Control": "max-age=3600"},
        )

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/queue", status=303)

    def signin_form(request: Request, status: int = 200, error: str = "") -> HTTPResponse:
        nonce = secrets.token_urlsafe(24)
        token = accounts.signin_form_token(nonce)
        response = render("signin.html", http_status=status, error=error, csrf_token=token)
        set_cookie(request, response, SIGNIN_COOKIE, nonce, max_age=1800)
        return response

    @app.get("/signin")
    async def signin_page(request: Request) -> HTTPResponse:
        if current(request) is not None:
            return redirect("/queue", status=303)
        return signin_form(request)

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
            until = accounts.locked_until(username.strip().lower()[:64],
                                          remote_addr=client_of(request))
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
        set_cookie(
            request,
            response,
            SESSION_COOKIE,
            token,
            max_age=int(accounts.session_length.total_seconds()),
        )
        clear_cookie(response, SIGNIN_COOKIE)
        return response

    @app.post("/signout")
    @signed_in()
    async def signout(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        check_csrf(request, session.csrf_token)
        accounts.sign_out(request.cookies.get(SESSION_COOKIE, ""))
        store.audit(session.username, "sign_out", remote_addr=client_of(request))
        response = redirect("/signin", status=303)
        clear_cookie(response, SESSION_COOKIE)
        return response

    @app.get("/queue")
    @signed_in()
    async def queue(request: Request) -> HTTPResponse:
        status, level = filters(request)
        found = store.list_queue(**query(status, level))
        return render(
            "queue.html",
            staff=request.ctx.staff,
            cases=found,
            outbox_waiting=outbox_waiting(store),
            status=status,
            level=level,
            status_filters=STATUS_FILTERS,
            level_filters=LEVEL_FILTERS,
            now=utc_now(),
        )

    @app.get("/cases/<case_id:int>")
    @signed_in()
    async def case_page(request: Request, case_id: int) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        case = store.get_case(case_id_or_404(case_id))
        if case is None:
            raise NotFound(
                "There is no such case. It may have been erased or deleted by the retention policy."
            )
        store.audit(session.username, "view_case", case_id=case.id, remote_addr=client_of(request))
        return render(
            "case.html",
            staff=session,
            case=case,
            opted_out_of_texts=case.conversation_id in opted_out(store.engine,
                                                                 [case.conversation_id]),
            transcript=store.transcript(case),
            statuses=STATUSES,
            now=utc_now(),
        )

    @app.post("/cases/<case_id:int>/status")
    @signed_in()
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

    @app.get("/export.csv")
    @signed_in(api=True)
    async def export(request: Request) -> HTTPResponse:
        session: StaffSession = request.ctx.staff
        status, level = filters(request)
        body = store.export_csv(**query(status, level))
        rows = max(body.count("\n") - 1, 0)
        store.audit(
            session.username,
            "export",
            detail=f"status={status} level={level} rows={rows}",
            remote_addr=client_of(request),
        )
        stamp = utc_now().strftime("%Y%m%d-%H%M")
        return raw(
            body.encode("utf-8"),
            content_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="cases-{stamp}.csv"',
            },
        )

    return app


def _waited(since: datetime, now: datetime | None = None) -> str:
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


def serve(settings: StaffSettings) -> None:
    """Run the app in this process until interrupted."""
    install_log_redaction()
    if settings.ephemeral_secret:
        logger.warning("STAFF_SECRET_KEY is not set: sessions end when the app restarts")
    app = create_app(settings)
    app.run(
        host=settings.host,
        port=settings.port,
        workers=1,
        debug=False,
        access_log=True,
        auto_reload=False,
    )
