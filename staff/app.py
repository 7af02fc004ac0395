"""The staff view as a Sanic app: sign-in, queue, case page, status changes, CSV export.

Every page but the sign-in form needs a session; the CSV export answers 401
without one, pages redirect to the sign-in form. Every form POST carries a
CSRF token (the session's, or for the sign-in form one bound to a nonce
cookie); a POST without a valid one gets 403. Bad input gets a plain 4xx page;
an unexpected error gets a 500 page with no details (they go to the log,
redacted). Database calls are short and synchronous: this is a small internal
tool with a handful of users. The routes are in ``staff.routes``, one module
per concern; what they share is in ``staff.pages`` and ``staff.web``.
"""

from __future__ import annotations

import logging

from sanic import Sanic

from kneecare.cases.contact import install_log_redaction
from kneecare.cases.crypto import cipher_from_settings
from kneecare.cases.settings import case_settings
from kneecare.cases.store import CaseStore
from kneecare.clinic import load_settings as load_clinic
from staff.pages import Pages
from staff.routes import register_routes
from staff.settings import StaffSettings

logger = logging.getLogger(__name__)


def create_app(
    settings: StaffSettings, store: CaseStore | None = None, name: str = "kneecare_staff"
) -> Sanic:
    """The app for these settings (the store defaults to the settings' databases)."""
    if store is None:
        store = CaseStore(
            settings.database_url, cipher_from_settings(case_settings()), settings.tracker_db_url
        )
    pages = Pages(settings, store, load_clinic())
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.config.KEEP_ALIVE_TIMEOUT = 5
    register_routes(app, pages)
    return app


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
