"""The staff view's routes, one module per concern, each with a ``register(app, pages)``.

- ``site``: the database upgrade at start, security headers, the error page,
  health, the stylesheet and ``/``;
- ``signin``: the sign-in form (throttled), signing in and out;
- ``queue``: the queue with its filters;
- ``case``: one case with its transcript, and status changes;
- ``export``: the queue as CSV;
- ``outcomes``: the Outcomes page (anonymous triage outcomes) and its CSV;
- ``accounts``: the practice manager's Accounts page (unlock, disable).
"""

from __future__ import annotations

from sanic import Sanic

from staff.pages import Pages
from staff.routes import accounts, case, export, outcomes, queue, signin, site


def register_routes(app: Sanic, pages: Pages) -> None:
    """Every route, middleware and error handler of the staff view."""
    for concern in (site, signin, queue, case, export, outcomes, accounts):
        concern.register(app, pages)
