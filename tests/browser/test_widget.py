"""The chat widget in headless Chromium against a scripted socket.io server (no model needed).

Covers what the widget itself is responsible for: rendering text safely,
links, quick replies used once, the typing indicator, history after a reload,
keyboard use, aria-live and contrast. tests/browser/test_widget_e2e.py runs a
real conversation against Rasa.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.browser.fake_rasa import FakeRasa

XSS = "<img src=x onerror=alert(1)>"


def widget(page: Page) -> Locator:
    return page.locator("#knee-widget")


def open_chat(page: Page, url: str) -> Locator:
    page.goto(url)
    chat = widget(page)
    chat.get_by_role("button", name="Chat:").click()
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_visible()
    return chat


def render(page: Page, text: str) -> dict[str, Any]:
    """Calls the widget's rendering function on ``text`` and describes the result."""
    return page.evaluate(
        """(text) => {
        const box = document.createElement('div');
        KneeWidget.renderText(box, text);
        return {
            text: box.textContent,
            elements: Array.from(box.querySelectorAll('*')).map(e => e.tagName.toLowerCase()),
            links: Array.from(box.querySelectorAll('a')).map(a => ({
                href: a.getAttribute('href'), text: a.textContent,
                rel: a.rel, target: a.target})),
        };
    }""",
        text,
    )


def test_the_rendering_function_never_turns_message_text_into_html(
    page: Page, demo_url: str
) -> None:
    page.goto(demo_url)
    result = render(page, f"{XSS} <b>bold</b> <script>alert(2)</script>")
    assert result["text"] == f"{XSS} <b>bold</b> <script>alert(2)</script>"
    assert result["elements"] == []
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_line_breaks_and_only_http_links_are_rendered(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    result = render(
        page,
        "Book at https://clinic.example/book.\nOr call 111."
        " javascript:alert(1) http://a.example/x?y=1&z=<b>",
    )
    assert result["elements"] == ["a", "br", "a"]
    assert result["links"] == [
        {
            "href": "https://clinic.example/book",
            "text": "https://clinic.example/book",
            "rel": "noopener noreferrer",
            "target": "_blank",
        },
        {
            "href": "http://a.example/x?y=1&z=",
            "text": "http://a.example/x?y=1&z=",
            "rel": "noopener noreferrer",
            "target": "_blank",
        },
    ]
    assert result["text"].endswith("&z=<b>")


def test_a_bot_message_with_html_is_shown_as_text(
    page: Page, demo_url: str, fake_rasa: FakeRasa
) -> None:
    chat = open_chat(page, demo_url)
    chat.get_by_label("Your message").fill("send html")
    chat.get_by_label("Your message").press("Enter")
    message = chat.locator(".kw-bot .kw-text").filter(has_text="onerror")
    expect(message).to_contain_text(XSS)
    assert chat.locator(".kw-messages img, .kw-messages b").count() == 0
    link = message.get_by_role("link", name="https://example.org/page")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_have_attribute("target", "_blank")
    assert message.locator("a").count() == 1  # javascript: is not a link
    assert message.locator("br").count() == 1
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_user_message_with_html_is_shown_as_text(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    chat.get_by_label("Your message").fill(XSS)
    chat.get_by_role("button", name="Send").click()
    expect(chat.locator(".kw-user .kw-text").last).to_have_text(XSS)
    expect(chat.locator(".kw-bot .kw-text").last).to_have_text(f"You said: {XSS}")
    assert chat.locator(".kw-messages img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_quick_reply_sends_its_payload_shows_its_title_and_is_used_once(
    page: Page, demo_url: str, fake_rasa: FakeRasa
) -> None:
    chat = open_chat(page, demo_url)
    button = chat.get_by_role("button", name="Check my symptoms")
    button.click()
    expect(chat.locator(".kw-user .kw-text").last).to_have_text("Check my symptoms")
    expect(chat.get_by_role("button", name="Yes")).to_be_enabled()
    expect(button).to_be_disabled()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(chat.get_by_role("button", name="How do I book?")).to_be_disabled()
    assert fake_rasa.messages()[-1] == "/start_triage"
    # typing instead of clicking retires the open suggestions too
    chat.get_by_label("Your message").fill("no")
    chat.get_by_label("Your message").press("Enter")
    expect(chat.get_by_role("button", name="Yes")).to_be_disabled()


def test_a_typing_indicator_shows_until_the_answer_arrives(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    typing = chat.locator(".kw-typing")
    expect(typing).to_be_hidden()
    page.evaluate(
        "() => { window.__typingSeen = false; new MutationObserver(() => {"
        " const t = document.querySelector('#knee-widget').shadowRoot"
        ".querySelector('.kw-typing'); if (!t.hidden) window.__typingSeen = true;"
        " }).observe(document.querySelector('#knee-widget').shadowRoot,"
        " {attributes: true, subtree: true}); }"
    )
    chat.get_by_label("Your message").fill("hello")
    chat.get_by_label("Your message").press("Enter")
    expect(chat.locator(".kw-bot .kw-text").last).to_have_text("You said: hello")
    assert page.evaluate("() => window.__typingSeen")
    expect(typing).to_be_hidden()


def test_the_conversation_is_still_there_after_a_reload_and_on_another_page(
    page: Page, demo_url: str, fake_rasa: FakeRasa
) -> None:
    chat = open_chat(page, demo_url)
    chat.get_by_role("button", name="Check my symptoms").click()
    expect(chat.get_by_role("button", name="Yes")).to_be_visible()
    session_id = page.evaluate(
        "() => Object.entries(localStorage).find(([k]) => k.includes(':session:'))[1]"
    )

    page.reload()
    chat = widget(page)
    expect(chat.locator(".kw-panel")).to_be_visible()  # stays open across pages
    expect(chat.locator(".kw-user .kw-text")).to_have_text(["Check my symptoms"])
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_disabled()
    expect(chat.get_by_role("button", name="Yes")).to_be_enabled()
    page.goto(demo_url + "?page=2")
    expect(widget(page).locator(".kw-bot .kw-text").last).to_have_text(
        "Did it start with an injury?"
    )
    widget(page).get_by_role("button", name="No", exact=True).click()
    expect(widget(page).locator(".kw-user .kw-text").last).to_have_text("No")
    assert fake_rasa.received[-1] == {"message": "/deny", "session_id": session_id}
    assert fake_rasa.sessions[-1] == session_id  # the same Rasa conversation continues


def test_start_over_clears_the_chat_from_this_device(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    chat.get_by_role("button", name="Check my symptoms").click()
    expect(chat.locator(".kw-user")).to_have_count(1)
    chat.get_by_role("button", name="Start over").click()
    chat.get_by_role("button", name="Clear and start again").click()
    expect(chat.locator(".kw-user")).to_have_count(0)
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_enabled()
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('transcript'))")
    assert len(stored) == 1


def test_the_widget_works_with_the_keyboard_alone(page: Page, demo_url: str) -> None:
    page.goto(demo_url)
    chat = widget(page)
    launcher = chat.get_by_role("button", name="Chat:")
    launcher.focus()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Enter")
    expect(launcher).to_have_attribute("aria-expanded", "true")
    expect(chat.get_by_label("Your message")).to_be_focused()
    expect(chat.get_by_role("button", name="Check my symptoms")).to_be_visible()
    # reach a quick reply with Shift+Tab and use it with the space bar
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if (
            page.evaluate(
                "() => document.querySelector('#knee-widget').shadowRoot.activeElement?.textContent"
            )
            == "Check my symptoms"
        ):
            break
    else:
        raise AssertionError("could not reach the quick reply with the keyboard")
    outline = page.evaluate(
        "() => getComputedStyle(document.querySelector('#knee-widget')"
        ".shadowRoot.activeElement).outlineStyle"
    )
    assert outline == "solid"  # the focus is visible
    page.keyboard.press("Space")
    expect(chat.locator(".kw-user .kw-text").last).to_have_text("Check my symptoms")
    expect(chat.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    expect(chat.locator(".kw-bot .kw-text").last).to_have_text("You said: hello")
    page.keyboard.press("Escape")
    expect(chat.locator(".kw-panel")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_the_message_list_is_a_polite_live_region(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    log = chat.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log.locator(".kw-bot").first).to_be_visible()


CONTRAST_OF = """(selector) => {
    const root = document.querySelector('#knee-widget').shadowRoot;
    const element = root.querySelector(selector);
    const rgb = (value) => value.match(/\\d+/g).slice(0, 3).map(Number);
    const lum = (c) => { const s = c.map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2]; };
    let node = element, background = 'rgba(0, 0, 0, 0)';
    while (node && node.nodeType === 1) {
        background = getComputedStyle(node).backgroundColor;
        if (!background.startsWith('rgba(0, 0, 0, 0)') && background !== 'transparent') break;
        node = node.parentNode;
    }
    if (background.startsWith('rgba(0, 0, 0, 0)')) background = 'rgb(255, 255, 255)';
    const a = lum(rgb(getComputedStyle(element).color)), b = lum(rgb(background));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_text_meets_wcag_aa_contrast(page: Page, demo_url: str) -> None:
    chat = open_chat(page, demo_url)
    chat.get_by_label("Your message").fill("https://example.org")
    chat.get_by_label("Your message").press("Enter")
    expect(chat.locator(".kw-bot .kw-text a")).to_have_count(1)
    for selector in (
        ".kw-launcher",
        ".kw-title",
        ".kw-header-button",
        ".kw-bot .kw-text",
        ".kw-bot .kw-text a",
        ".kw-user .kw-text",
        ".kw-reply:disabled",
        ".kw-send",
        ".kw-input",
    ):
        assert chat.locator(selector).count(), selector
        ratio = page.evaluate(CONTRAST_OF, selector)
        assert ratio >= 4.5, (selector, ratio)


def test_text_on_any_primary_colour_is_black_or_white_with_aa_contrast(
    page: Page, demo_url: str
) -> None:
    page.goto(demo_url)
    for colour in (
        "#005eb8",
        "#ffdd00",
        "#777777",
        "#808080",
        "#00ff00",
        "#ff0000",
        "#000",
        "#fff",
        "#3d7dca",
    ):
        ratio = page.evaluate(
            "(c) => KneeWidget.contrastRatio(c, KneeWidget.readableTextColour(c))", colour
        )
        assert ratio >= 4.5, (colour, ratio)
