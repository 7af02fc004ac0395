"""The widget on a phone and at the moments that matter (headless Chromium, scripted server).

Phone numbers are tel: links, an outcome is a card read from its headline (the
emergency one in red), a reload reopens at the latest message, "Start over"
asks first, and on a phone the header is one line and the launcher a small
button.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Locator, Page, expect

from kneecare.clinic import load_settings
from tests.browser.test_widget import open_chat, widget

PHONE = {"width": 375, "height": 667}


def say(chat: Locator, text: str) -> None:
    before = chat.locator(".kw-bot").count()
    chat.get_by_label("Your message").fill(text)
    chat.get_by_label("Your message").press("Enter")
    expect(chat.locator(".kw-bot")).not_to_have_count(before)


def fill_the_panel(chat: Locator, turns: int = 6) -> None:
    """Enough messages that the conversation scrolls."""
    for turn in range(turns):
        say(chat, f"message number {turn} that makes the conversation long enough to scroll")


def in_view(page: Page, selector: str) -> dict[str, Any]:
    """Where the element is in the message list's visible area (pixels from its top)."""
    return page.evaluate(
        """(selector) => {
        const root = document.querySelector('#knee-widget').shadowRoot;
        const list = root.querySelector('.kw-messages').getBoundingClientRect();
        const all = root.querySelectorAll(selector);
        const box = all[all.length - 1].getBoundingClientRect();
        const scroller = root.querySelector('.kw-messages');
        return {top: box.top - list.top, bottom: box.bottom - list.top, height: list.height,
                scrolled: scroller.scrollTop,
                atEnd: scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2};
    }""",
        selector,
    )


def test_phone_numbers_in_the_assistants_messages_are_tel_links(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    say(chat, "/outcome")
    card = chat.locator(".kw-card")
    assert card.get_by_role("link", name="020 7946 0321").get_attribute("href") == "tel:02079460321"
    assert card.get_by_role("link", name="111", exact=True).get_attribute("href") == "tel:111"
    assert card.get_by_role("link", name="999", exact=True).get_attribute("href") == "tel:999"
    # a number inside a web address stays text; the address is its own link
    hrefs = card.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == [load_settings().booking_link, "tel:02079460321", "tel:111", "tel:999"]
    # the person's own message is shown as typed
    say(chat, "ring me on 020 7946 0321")
    assert chat.locator(".kw-user a").count() == 0


def test_phone_number_forms_that_become_links(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    links = page.evaluate(
        """(text) => KneeWidget.segments(text, true)
        .filter(p => p.type === 'link').map(p => p.href)""",
        "Call +44 (0)20 7946 0321, 07911 123456 or 0161-496-0000; NHS 111."
        " Not 111.nhs.uk, ref A999, 2024, 7/10 or 020 7946 03210.",
    )
    assert links == ["tel:+442079460321", "tel:07911123456", "tel:01614960000", "tel:111"]


def test_an_outcome_is_a_card_scrolled_into_view_at_its_headline(
    browser: Browser, demo_url: str
) -> None:
    # a short window: the outcome and what follows it are taller than the message list
    context = browser.new_context(viewport={"width": 1280, "height": 540})
    try:
        page = context.new_page()
        chat = open_chat(page, demo_url)
        fill_the_panel(chat)
        say(chat, "/outcome")
        card = chat.locator(".kw-card")
        expect(card.get_by_role("button", name="How do I book?")).to_be_visible()
        expect(card.get_by_role("heading")).to_have_text("I'd suggest seeing a physiotherapist.")
        expect(card).to_contain_text("Why: the pain has lasted about 3 weeks")
        page.wait_for_timeout(300)
        where = in_view(page, ".kw-card-headline")
        assert 0 <= where["top"] <= 24, where  # the headline at the top of the visible list
        assert not where["atEnd"], where  # not scrolled past it to the last message
        # once the person writes again, the newest message is shown as usual
        say(chat, "thanks")
        page.wait_for_timeout(300)
        assert in_view(page, ".kw-msg")["atEnd"]
    finally:
        context.close()


def test_an_emergency_card_stands_out(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    say(chat, "/outcome")
    say(chat, "/emergency")
    style = """(element) => { const s = getComputedStyle(element);
        return {border: s.borderTopWidth, colour: s.borderTopColor, background: s.backgroundColor,
                text: s.color}; }"""
    emergency = chat.locator(".kw-card-emergency")
    expect(emergency.get_by_role("heading")).to_have_text("Please call 999 or go to A&E now.")
    headline = emergency.locator(".kw-card-headline").evaluate(style)
    other = chat.locator(".kw-card-physio .kw-card-headline").evaluate(style)
    assert headline["background"] == "rgb(164, 22, 26)" and headline["text"] == "rgb(255, 255, 255)"
    assert other["background"] != headline["background"]
    card, physio = emergency.evaluate(style), chat.locator(".kw-card-physio").evaluate(style)
    assert card["border"] == "3px" and card["colour"] == "rgb(164, 22, 26)"
    assert (card["border"], card["colour"]) != (physio["border"], physio["colour"])


def test_a_reload_reopens_at_the_latest_message(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    fill_the_panel(chat)
    expect(chat.locator(".kw-bot .kw-text").last).to_have_text(
        "You said: message number 5 that makes the conversation long enough to scroll"
    )
    page.reload()
    chat = widget(page)
    expect(chat.locator(".kw-panel")).to_be_visible()
    page.wait_for_timeout(300)
    where = in_view(page, ".kw-msg")
    assert where["scrolled"] > 0 and where["atEnd"], where
    assert where["top"] >= 0 and where["bottom"] <= where["height"], where


def test_start_over_asks_first(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    say(chat, "hello")
    chat.get_by_role("button", name="Start over").click()
    question = chat.get_by_role("group", name="Start over? This clears the chat")
    expect(question).to_be_visible()
    expect(chat.get_by_role("button", name="Keep this chat")).to_be_focused()
    chat.get_by_role("button", name="Keep this chat").click()
    expect(question).to_be_hidden()
    expect(chat.locator(".kw-user")).to_have_count(1)
    expect(chat.get_by_role("button", name="Start over")).to_be_focused()

    chat.get_by_role("button", name="Start over").click()
    page.keyboard.press("Escape")  # Escape answers "no" and leaves the chat open
    expect(question).to_be_hidden()
    expect(chat.locator(".kw-panel")).to_be_visible()
    expect(chat.locator(".kw-user")).to_have_count(1)

    chat.get_by_role("button", name="Start over").click()
    chat.get_by_role("button", name="Clear and start again").click()
    expect(chat.locator(".kw-user")).to_have_count(0)
    expect(question).to_be_hidden()
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_enabled()
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_on_a_phone_the_header_is_one_line_and_the_launcher_small(
    browser: Browser, demo_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(demo_url)
        chat = widget(page)
        launcher = chat.get_by_role("button", name="Chat:")
        assert launcher.inner_text().strip() == "Chat"  # the title is in its name only
        box = launcher.bounding_box()
        assert box and box["width"] < PHONE["width"] / 3 and box["height"] < 56, box
        launcher.click()
        expect(chat.get_by_role("button", name="Check my symptoms")).to_be_visible()
        header = chat.locator(".kw-header").bounding_box()
        title = chat.locator(".kw-title").bounding_box()
        assert header and header["height"] < 52, header
        assert title and title["height"] < 26, title  # one line
        for name in ("Start over", "Close chat"):
            button = chat.get_by_role("button", name=name).bounding_box()
            assert button and button["height"] >= 24 and button["width"] >= 24  # WCAG 2.5.8
    finally:
        context.close()
