"""What every response shares: the database upgrade at start, security headers, errors.

Bad input gets a plain 4xx page; an unexpected error gets a 500 page with no
details (they go to the log, redacted). Every response carries a strict
content security policy (scripts only from the app's own files, no inline
script; fetches only to the app) and is not cached, but the static files.
"""

from __future__ import annotations

import logging
from typing import Any

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import BaseHTTPResponse, HTTPResponse, raw, redirect

from kneecare.cases.database import upgrade_database
from staff.pages import HERE, Pages
from staff.web import NotFound

logger = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATIC_FILES = {"staff.css": "text/css", "queue.js": "text/javascript"}


def register(app: Sanic, pages: Pages) -> None:
    @app.before_server_start
    async def migrate(_app: Sanic, _loop: Any) -> None:
        upgrade_database(pages.store.url)

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
        response = pages.render(
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

    @app.get("/static/<name:str>")
    async def static_file(request: Request, name: str) -> HTTPResponse:
        if name not in STATIC_FILES:
            raise NotFound("There is no such file.")
        return raw(
            (HERE / "static" / name).read_bytes(),
            content_type=STATIC_FILES[name],
            headers={"Cache-Control": "max-age=3600"},
        )

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        return redirect("/queue", status=303)
