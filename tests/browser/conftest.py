"""Headless Chromium (Debian's, driven by Playwright) and the widget's demo site."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from kneecare.clinic import load_settings
from tests.browser.fake_rasa import FakeRasa
from web.serve import Site, make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")  # a sync Playwright left open breaks later asyncio tests
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def fake_rasa() -> Iterator[FakeRasa]:
    server = FakeRasa().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo_url(fake_rasa: FakeRasa) -> Iterator[str]:
    """The demo page served by web/serve.py, talking to the fake Rasa."""
    server = make_server("127.0.0.1", 0, Site(load_settings(), fake_rasa.url))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (empty storage) per test; dialogs are recorded and dismissed."""
    context = browser.new_context()
    tab = context.new_page()
    tab.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog) -> None:  # noqa: ANN001
        tab.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    context.close()
