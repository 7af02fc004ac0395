"""A person's triage and call-back, from a real REST conversation, worked in the staff view.

The assistant (tests/conftest.py's channel servers) and a staff server share
the case database and the tracker store, as under `make run`. The person
does the triage, then asks for a call-back in the same conversation: one
case, at the call queue with its call-by time, whose page shows the answers,
the reasons, the call-back and the transcript. A receptionist marks it
contacted and downloads the CSV. With SAVE_SCREENSHOTS=1 it also saves the
queue screenshot used in the README (docs/staff-queue.png).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.store import CaseStore
from tests.channels.servers import ChannelServers
from tests.e2e.chat import Conversation
from tests.e2e.triage_run import run_case
from tests.staff.conftest import PASSWORD, free_port, run_accounts
from tests.staff.test_browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
PERSISTENT_LIMITING = "my knee has been aching for about five weeks and I can't manage the stairs"


@pytest.fixture(scope="module")
def live_staff(
    channel_servers: ChannelServers, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TRACKER_DB_URL": f"sqlite:///{channel_servers.assistant.tracker_db}",
        "STAFF_SECRET_KEY": "live-test-secret-" + "y" * 40,
        "STAFF_PORT": str(port),
        "STAFF_COOKIE_SECURE": "false",
    }
    created = run_accounts(env, "create", "reception", "--password-stdin", password=PASSWORD)
    assert created.returncode in (0, 1), created.stderr  # 1: the account already exists
    log = open(tmp_path_factory.mktemp("live-staff") / "staff.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "staff"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):
                    break
            except OSError:
                assert process.poll() is None, "staff server exited"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def test_a_triage_then_a_call_back_is_one_case_worked_in_the_staff_view(
    channel_servers: ChannelServers, live_staff: str, browser: Browser
) -> None:
    chat = Conversation(base_url=channel_servers.rasa_url, rest_token=channel_servers.rest_token)
    assert run_case_without_api(chat) == "physio"
    ask_for_a_call_back(chat)
    (case_id,) = cases_of(chat.conversation_id)

    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 700})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_staff + "/signin")
    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    case_link = page.get_by_role("link", name=f"#{case_id}", exact=True)
    row = page.locator("tr", has=case_link)
    expect(row).to_contain_text("Physio")
    expect(row.locator(".call-by time")).to_have_text(re.compile(r"\d\d:\d\d"))
    if os.environ.get("SAVE_SCREENSHOTS"):
        (ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "staff-queue.png"), full_page=True)
    case_link.click()
    expect(page.locator(".summary-box")).to_contain_text("Asked for a call-back")
    expect(page.locator("dt:has-text('Name') + dd")).to_have_text("Taylor Morgan")
    expect(page.locator('a[href="tel:+447911123456"]')).to_have_text("07911 123456")
    # the triage's answers and reasons stay on the case
    expect(page.locator("dt:has-text('Pain for') + dd")).to_have_text("5 weeks")
    expect(page.locator("ul.reasons li").first).to_be_visible()
    expect(page.locator(".transcript")).to_contain_text("stairs")
    expect(page.locator(".transcript")).not_to_contain_text("/request_callback")
    page.get_by_label("Note").fill("Called back, booking Thursday")
    page.get_by_role("button", name="Mark contacted").click()
    expect(page.locator("h1 .status")).to_have_text("contacted")

    page.get_by_role("link", name="Call queue").click()
    page.get_by_label("Status").select_option("all")
    page.get_by_role("button", name="Show").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    (ours,) = [r for r in rows if int(r["id"]) == case_id]
    assert (ours["status"], ours["level"], ours["kind"]) == ("contacted", "physio", "callback")
    assert cases_of(chat.conversation_id) == [case_id]
    context.close()


def ask_for_a_call_back(chat: Conversation) -> None:
    """The call-back request after the outcome, as the buttons and a person would answer."""
    assert chat.responses(chat.say("/request_callback"))[-1] == "utter_ask_callback_consent"
    assert chat.responses(chat.say("/affirm"))[-1] == "utter_ask_contact_name"
    assert chat.responses(chat.say("Taylor Morgan"))[-1] == "utter_ask_contact_route"
    assert "utter_callback_confirmed" in chat.responses(chat.say("07911 123456"))


def cases_of(conversation_id: str) -> list[int]:
    """The ids of the cases the conversation filed, read from the shared database."""
    store = CaseStore(
        os.environ["DATABASE_URL"], ContactCipher(os.environ["CASE_DATA_KEY"].encode())
    )
    return [c.id for c in store.list_queue() if c.conversation_id == conversation_id]


def run_case_without_api(chat: Conversation) -> str | None:
    """The REST conversation; the outcome is read from the replies (no API token here)."""
    chat.slot = lambda name: None  # type: ignore[method-assign]
    return run_case(chat, PERSISTENT_LIMITING).level
