"""A receptionist signs in, finds a case, marks it contacted and downloads the CSV (Chromium)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.staff.conftest import PASSWORD, StaffServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def test_a_receptionist_marks_a_case_contacted_and_downloads_the_csv(
    browser: Browser, staff_server: StaffServer
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(staff_server.base_url + "/queue")
    expect(page).to_have_url(staff_server.base_url + "/signin")

    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    page.get_by_label("Show", exact=True).select_option("all")  # a triage without a call-back
    page.get_by_role("button", name="Show").click()

    case_link = page.get_by_role("link", name=f"#{staff_server.physio_case}", exact=True)
    expect(case_link).to_be_visible()
    row = page.locator("tr", has=case_link)
    expect(row).to_contain_text("Physio: pain for 14 days or more")
    case_link.click()

    expect(page.get_by_role("heading", name=f"Case #{staff_server.physio_case}")).to_be_visible()
    expect(page.locator(".summary-box")).to_contain_text("score 8/10")
    expect(page.locator(".transcript")).to_contain_text("I'm limping")
    page.get_by_label("Note").fill("Spoke to her, will book online")
    page.get_by_role("button", name="Mark contacted").click()
    expect(page.locator(".history")).to_contain_text("new → contacted by reception")
    expect(page.locator("h1 .status")).to_have_text("contacted")

    page.get_by_role("link", name="← Queue").click()
    page.get_by_label("Show", exact=True).select_option("all")
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Show").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("cases-")
    with open(download.path(), encoding="utf-8") as handle:
        rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(handle.read()))}
    assert rows[staff_server.physio_case]["status"] == "contacted"
    context.close()
