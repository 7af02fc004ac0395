"""An axe-core audit of the widget (WCAG 2.0 to 2.2, levels A and AA) and the README's pictures.

axe-core comes from npm (web/package.json, installed by `npm ci`) and is
injected into the demo page (a context that bypasses the page's CSP, which
rightly refuses scripts it did not serve). The widget is audited closed, open,
and showing an outcome card, at a desktop and a phone size; no serious or
critical violation may remain. The pictures in docs/images/ are taken here, so
they show the widget as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
IMAGES = ROOT / "docs" / "images"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}
PICTURES = {"desktop": IMAGES / "widget-desktop.png", "phone": IMAGES / "widget-phone.png"}


@pytest.fixture(params=sorted(SIZES))
def sized(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[str, Page]]:
    phone = request.param == "phone"
    context: BrowserContext = browser.new_context(
        viewport=SIZES[request.param], bypass_csp=True, is_mobile=phone, has_touch=phone
    )
    yield request.param, context.new_page()
    context.close()


def audit(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page, the widget's shadow root included."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(' '))}));
    }""",
        WCAG_TAGS,
    )
    return [found for found in results if found["impact"] in ("serious", "critical")]


def chat_until_an_outcome(page: Page, url: str) -> Locator:
    chat = page.locator("#knee-widget")
    chat.get_by_role("button", name="Chat:").click()
    chat.get_by_role("button", name="Check my symptoms").click()
    expect(chat.get_by_role("button", name="No", exact=True)).to_be_enabled()
    chat.get_by_role("button", name="No", exact=True).click()
    chat.get_by_label("Your message").fill("About 3 weeks, and I'm limping")
    chat.get_by_label("Your message").press("Enter")
    expect(chat.locator(".kw-card").get_by_role("heading")).to_be_visible()
    return chat


def test_axe_core_is_pinned_and_installed() -> None:
    assert AXE.is_file(), "run `npm ci` in web/ (make test does)"
    package = (ROOT / "web" / "package.json").read_text(encoding="utf-8")
    assert '"axe-core": "4.' in package  # an exact version, recorded in package-lock.json


def test_no_serious_accessibility_problems_closed_open_and_with_an_outcome(
    sized: tuple[str, Page], demo_url: str
) -> None:
    size, page = sized
    page.goto(demo_url)
    chat = page.locator("#knee-widget")
    expect(chat.get_by_role("button", name="Chat:")).to_be_visible()
    assert audit(page) == [], f"{size}, closed"

    chat.get_by_role("button", name="Chat:").click()
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_visible()
    assert audit(page) == [], f"{size}, open"

    chat.get_by_role("button", name="Start over").click()
    expect(chat.get_by_role("button", name="Keep this chat")).to_be_visible()
    assert audit(page) == [], f"{size}, asking before starting over"
    chat.get_by_role("button", name="Keep this chat").click()

    chat.get_by_role("button", name="Close chat").click()
    chat_until_an_outcome(page, demo_url)
    page.wait_for_timeout(400)  # the typing dots and the scroll settle
    assert audit(page) == [], f"{size}, with an outcome card"
    page.screenshot(path=str(PICTURES[size]), caret="hide", animations="disabled")
    assert PICTURES[size].stat().st_size > 10_000
