"""What every staff route reads from a request (form fields, the CSRF token, the client),
and the CSV download every export answers with.

The errors here are Sanic exceptions with their HTTP status; the app's error
page shows their message. Every form POST carries a CSRF token and must be
sent as a plain URL-encoded form; anything else gets 403.
"""

from __future__ import annotations

import secrets

from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, raw

from kneecare.cases.records import utc_now
from kneecare.client_address import client_address


class BadRequest(SanicException):
    status_code = 400


class Forbidden(SanicException):
    status_code = 403


class Unauthorised(SanicException):
    status_code = 401


class NotFound(SanicException):
    status_code = 404


def form_value(request: Request, name: str, max_length: int = 200) -> str:
    """A form field ('' if missing); 400 if it is longer than ``max_length``."""
    value = request.form.get(name, "") if request.form else ""
    if not isinstance(value, str) or len(value) > max_length:
        raise BadRequest(f"The field {name!r} is too long.")
    return value


def check_csrf(request: Request, expected: str) -> None:
    """403 unless the request is a URL-encoded form carrying the ``expected`` token."""
    if request.content_type.split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise Forbidden("This form must be sent from the staff pages.")
    given = form_value(request, "csrf_token", 200)
    if not given or not secrets.compare_digest(given, expected):
        raise Forbidden(
            "This form has expired or did not come from the staff pages."
            " Go back, reload the page and try again."
        )


def client_of(request: Request) -> str:
    """The client's address (behind the local nginx: the one it forwarded)."""
    return client_address(request.ip, request.headers.get("X-Forwarded-For"))[:64]


def csv_download(body: str, name: str) -> HTTPResponse:
    """``body`` as a CSV attachment called ``name-YYYYmmdd-HHMM.csv`` (UTC)."""
    stamp = utc_now().strftime("%Y%m%d-%H%M")
    return raw(
        body.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'},
    )
