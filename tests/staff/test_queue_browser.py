"""Reception reads the call queue in Chromium: order, call-by times, an overdue call,
and the "N new — show" notice that appears without the page reloading.

Skipped, saying so, where Debian's Chromium is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from kneecare.staff_words import moment_words
from tests.browser.test_widget_accessibility import SIZES, audit
from tests.staff import queue_cases
from tests.staff.conftest import PASSWORD
from tests.staff.queue_cases import CLINIC, QueueServer, callback
from tests.staff.test_browser import CHROMIUM, CHROMIUM_ARGS

queue_server = queue_cases.queue_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def sign_in(context: BrowserContext, base_url: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.clock.install()  # the 30-second poll runs when the test says
    page.goto(base_url + "/signin")
    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    return page


@pytest.fixture
def queue_page(browser: Browser, queue_server: QueueServer) -> Iterator[Page]:
    context = browser.new_context()  # the real content security policy
    yield sign_in(context, queue_server.base_url)
    context.close()


def test_the_queue_shows_the_calls_to_make_in_order_with_call_by_times(
    queue_page: Page, queue_server: QueueServer
) -> None:
    ids = queue_server.ids
    links = queue_page.locator("table.queue tbody tr td:first-child a")
    first = [int(text.lstrip("#")) for text in links.all_inner_texts()[:6]]
    assert first == [ids["emergency"], ids["same_day_first"], ids["same_day_later"],
                     ids["overdue"], ids["rang"], ids["joined"]]
    expect(queue_page.get_by_text("Showing rows 1–50 of")).to_be_visible()
    now = datetime.now(timezone.utc)
    for name in ("emergency", "overdue"):
        case = queue_server.store.get_case(ids[name])
        assert case is not None
        due = CLINIC.call_by(case.requested_at)
        assert due is not None
        cell = queue_page.locator("tr", has=queue_page.get_by_role(
            "link", name=f"#{case.id}", exact=True)).locator("td.call-by time")
        expect(cell).to_have_text(moment_words(due, now, ZoneInfo(CLINIC.timezone)))


def test_an_overdue_call_is_marked_in_words(queue_page: Page, queue_server: QueueServer) -> None:
    overdue = queue_page.locator("tr", has=queue_page.get_by_role(
        "link", name=f"#{queue_server.ids['overdue']}", exact=True))
    expect(overdue).to_have_class("level-physio overdue")
    expect(overdue.locator(".badge.overdue")).to_have_text("Overdue")
    expect(overdue.locator(".badge.overdue")).to_be_visible()
    rang = queue_page.locator("tr", has=queue_page.get_by_role(
        "link", name=f"#{queue_server.ids['rang']}", exact=True))
    expect(rang.get_by_text("Overdue")).to_have_count(0)


def test_new_calls_are_announced_without_reloading(queue_page: Page,
                                                   queue_server: QueueServer) -> None:
    queue_page.evaluate("window.notReloaded = true")
    news = queue_page.locator("#queue-news")
    expect(news).to_have_attribute("aria-live", "polite")
    queue_page.clock.run_for(31_000)
    expect(news).to_be_empty()
    new_id = callback(queue_server.store, "browser-new", datetime.now(timezone.utc), "gp_soon")
    queue_page.clock.run_for(31_000)
    link = news.get_by_role("link", name="1 new — show")
    expect(link).to_be_visible()
    assert queue_page.evaluate("window.notReloaded") is True
    link.click()
    expect(queue_page.get_by_role("link", name=f"#{new_id}", exact=True)).to_be_visible()
    assert queue_page.evaluate("window.notReloaded") is None


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_queue_with_an_overdue_call_and_pages_passes_axe_core(
    browser: Browser, queue_server: QueueServer, size: str
) -> None:
    context = browser.new_context(viewport=SIZES[size], bypass_csp=True)  # lets axe-core in
    page = sign_in(context, queue_server.base_url)
    failures = {}
    for path in ("/queue", "/queue?page=2", "/queue?show=all&status=all"):
        page.goto(queue_server.base_url + path)
        found = audit(page)
        if found:
            failures[path] = found
    context.close()
    assert failures == {}
