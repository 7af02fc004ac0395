"""The Outcomes page in Chromium: the charts' bars are drawn, coloured by level, and visible.

Uses Debian's Chromium (``make`` installs it); without it the test is skipped
and says why. With SAVE_SCREENSHOTS=1 it saves the picture used in
docs/staff.md (docs/staff-outcomes.png).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.staff.conftest import PASSWORD, OutcomesServer
from tests.staff.test_browser import CHROMIUM, browser  # noqa: F401 - the module's Chromium

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"Debian's Chromium is not at {CHROMIUM}: `apt-get install chromium` (make does it)",
)


def test_the_outcomes_charts_draw_their_bars(
    browser: Browser, outcomes_server: OutcomesServer  # noqa: F811
) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(outcomes_server.base_url + "/signin")
    page.get_by_label("Username").fill("reception")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()

    chart = page.get_by_role("img", name="Outcomes per day, last 14 days", exact=False)
    expect(chart).to_be_visible()
    yesterday = (outcomes_server.today - timedelta(days=1)).isoformat()
    bar = page.locator(f'#daily-chart g.bar[data-period="{yesterday}"] rect')
    expect(bar).to_have_count(2)  # 2 emergency, 1 physio
    heights = {}
    for rect in bar.all():
        expect(rect).to_be_visible()
        box = rect.bounding_box()
        assert box is not None and box["width"] > 10
        heights[rect.get_attribute("data-level")] = box["height"]
    assert heights["emergency"] == pytest.approx(2 * heights["physio"], rel=0.05)
    fill = page.locator(f'#daily-chart g.bar[data-period="{yesterday}"] rect.level-emergency')
    expect(fill).to_have_css("fill", "rgb(179, 38, 30)")  # the stylesheet applied (CSP)
    expect(page.locator("#weekly-chart rect").first).to_be_visible()
    expect(page.locator(".legend").first).to_contain_text("EMERGENCY")
    expect(page.get_by_role("table", name="Outcomes per day, by level")).to_be_visible()
    if os.environ.get("SAVE_SCREENSHOTS"):
        (ROOT / "docs").mkdir(exist_ok=True)
        page.screenshot(path=str(ROOT / "docs" / "staff-outcomes.png"))
    context.close()
