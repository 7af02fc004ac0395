"""Every staff page, in Chromium: no codes, tappable phone numbers, and axe-core clean.

The pages are found by following every link from the queue (so a new page is
covered without listing it here). The codes are read from the data: domain.yml
slot names, the sign ids of kneecare/signs.yml and the rule ids of the
criteria; a code counts when it is a snake_case identifier (a one-word id
such as ``fever`` is also plain English). Channel names that are not words
(``socketio``, ``twilio``) are checked too. axe-core (web/node_modules, see
tests/browser/test_widget_accessibility.py) audits each page at desktop and
phone sizes against WCAG 2.2 A and AA: no serious or critical violation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from playwright.sync_api import Browser, Page

from kneecare.triage.criteria import load_criteria
from staff.auth import Accounts
from tests.browser.test_widget_accessibility import SIZES, audit
from tests.staff.conftest import PASSWORD, StaffServer
from tests.staff.test_browser import browser  # noqa: F401 - the module's Chromium fixture

ROOT = Path(__file__).resolve().parents[2]
MANAGER = "pages.manager"
PHONE_LIKE = re.compile(r"(?<![\d+])\+?\d[\d ]{8,}\d")


def codes() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    signs = yaml.safe_load((ROOT / "kneecare" / "signs.yml").read_text(encoding="utf-8"))
    criteria = load_criteria()
    found = {*domain["slots"], *signs["signs"], *criteria.red_flags, *criteria.physio_criteria}
    return {code for code in found if "_" in code} | {"socketio", "twilio"}


def test_the_code_list_is_read_from_the_data() -> None:
    found = codes()
    assert {"limits_activity", "infection_signs", "pain_duration_days"} <= found


def staff_pages(page: Page, base_url: str) -> list[str]:
    """Every same-site page reachable from the queue by links (not downloads)."""
    seen: list[str] = []
    waiting = ["/queue", "/queue?show=all", "/accounts", "/outcomes"]
    while waiting:
        path = waiting.pop(0)
        if path in seen or len(seen) > 40:
            continue
        seen.append(path)
        page.goto(base_url + path)
        links = "as => as.map(a => a.getAttribute('href'))"
        for href in page.eval_on_selector_all("a[href]:not([download])", links):
            target = urlparse(urljoin(base_url + path, href))
            if target.netloc == urlparse(base_url).netloc and not target.path.endswith(".csv"):
                waiting.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.fixture(scope="module")
def signed_in(browser: Browser, staff_server: StaffServer) -> Iterator[Page]:  # noqa: F811
    accounts = Accounts(staff_server.store, "unused")
    accounts.create(MANAGER, PASSWORD)
    accounts.set_role(MANAGER, "practice_manager")
    context = browser.new_context(bypass_csp=True)  # lets the test add axe-core
    page = context.new_page()
    page.goto(staff_server.base_url + "/signin?signed_out=1")
    page.get_by_label("Username").fill(MANAGER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/queue")
    yield page
    context.close()


def test_no_staff_page_shows_a_code(signed_in: Page, staff_server: StaffServer) -> None:
    pages = staff_pages(signed_in, staff_server.base_url)
    assert f"/cases/{staff_server.callback_case}" in pages and "/accounts" in pages
    assert "/outcomes" in pages
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, codes()))) + r")\b")
    shown = {}
    for path in [*pages, "/cases/999999"]:
        signed_in.goto(staff_server.base_url + path)
        text = signed_in.inner_text("body")
        shown[path] = sorted(set(pattern.findall(text)))
    assert {path: found for path, found in shown.items() if found} == {}


def test_phone_numbers_on_staff_pages_are_tel_links(signed_in: Page,
                                                    staff_server: StaffServer) -> None:
    signed_in.goto(f"{staff_server.base_url}/cases/{staff_server.callback_case}")
    link = signed_in.locator('a[href^="tel:"]')
    assert link.first.inner_text() == "07911 123456"
    assert link.first.get_attribute("href") == "tel:+447911123456"
    for path in staff_pages(signed_in, staff_server.base_url):
        signed_in.goto(staff_server.base_url + path)
        linked = " ".join(signed_in.locator('a[href^="tel:"]').all_inner_texts())
        for number in PHONE_LIKE.findall(signed_in.inner_text("main")):
            assert number.strip() in linked, f"{number!r} on {path} is not a tel: link"


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_staff_page_passes_axe_core(signed_in: Page, staff_server: StaffServer,
                                          size: str) -> None:
    signed_in.set_viewport_size(SIZES[size])
    failures = {}
    for path in [*staff_pages(signed_in, staff_server.base_url), "/cases/999999"]:
        signed_in.goto(staff_server.base_url + path)
        found = audit(signed_in)
        if found:
            failures[path] = found
    assert failures == {}
