"""A person uses the widget on the demo page against the real assistant (headless Chromium)."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.channels.drivers import PHYSIO_ANSWERS, recognise
from tests.channels.servers import ChannelServers
from tests.e2e.chat import response_openings

pytestmark = pytest.mark.e2e
XSS = "<img src=x onerror=alert(1)>"
BUTTON_ANSWERS = {"yes": "Yes", "no": "No"}


# a card's headline is its text's first sentence, shown apart from the rest
BOT_TEXTS = """items => items.map(item => Array.from(
    item.querySelectorAll('.kw-card-headline, .kw-text'), part => part.innerText).join(' '))"""


def bot_texts(chat: Locator) -> list[str]:
    return chat.locator(".kw-bot").evaluate_all(BOT_TEXTS)


def until_answered(
    chat: Locator, before: int, settle: float = 1.2, timeout: float = 60
) -> list[str]:
    """The bot's new messages, once more arrived and none came for ``settle`` seconds."""
    expect(chat.locator(".kw-bot")).not_to_have_count(before, timeout=timeout * 1000)
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < settle:
        now = chat.locator(".kw-bot").count()
        if now != count:
            count, quiet_since = now, time.monotonic()
        time.sleep(0.1)
    return bot_texts(chat)[before:]


def type_message(chat: Locator, text: str) -> list[str]:
    before = chat.locator(".kw-bot").count()
    chat.get_by_label("Your message").fill(text)
    chat.get_by_label("Your message").press("Enter")
    return until_answered(chat, before)


def click_reply(chat: Locator, title: str) -> list[str]:
    before = chat.locator(".kw-bot").count()
    chat.locator(".kw-reply:enabled").filter(has_text=title).get_by_text(title, exact=True).click()
    return until_answered(chat, before)


@pytest.fixture
def chat(page: Page, channel_servers: ChannelServers) -> Locator:
    page.goto(channel_servers.demo_url)
    widget = page.locator("#knee-widget")
    widget.get_by_role("button", name="Chat:").click()
    expect(widget.get_by_role("button", name="Check my symptoms")).to_be_enabled(timeout=60_000)
    return widget


def test_an_faq_a_full_triage_and_a_reload(page: Page, chat: Locator) -> None:
    answer = type_message(chat, "what shoes are best for knee pain?")
    assert "utter_faq/footwear" in recognise(answer), answer
    assert response_openings()["utter_faq/footwear"] in " ".join(answer)

    texts = click_reply(chat, "Check my symptoms")
    outcome = None
    for _ in range(14):
        names = recognise(texts)
        outcome = next((text for text in texts if text.startswith("I'd suggest")), None)
        if outcome or any(name.startswith("utter_outcome_") for name in names):
            break
        questions = [name for name in names if name in PHYSIO_ANSWERS]
        if not questions:
            # the question can arrive a moment after the intro on a busy machine
            texts = texts + until_answered(chat, len(bot_texts(chat)))
            continue
        question = questions[-1]
        reply = PHYSIO_ANSWERS[question]
        if reply in BUTTON_ANSWERS:
            texts = click_reply(chat, BUTTON_ANSWERS[reply])
        else:
            texts = type_message(chat, reply)
    assert outcome is not None and outcome.startswith("I'd suggest seeing a physiotherapist"), texts
    # the real channel marks the outcome, and the widget shows it as a card with tel: links
    card = chat.locator(".kw-card-physio")
    expect(card.get_by_role("heading")).to_have_text("I'd suggest seeing a physiotherapist.")
    assert card.locator("a[href='tel:999']").count() == 1
    transcript = bot_texts(chat)

    page.reload()
    widget = page.locator("#knee-widget")
    expect(widget.locator(".kw-panel")).to_be_visible()
    expect(widget.locator(".kw-bot")).to_have_count(len(transcript))
    assert bot_texts(widget) == transcript
    expect(widget.locator(".kw-user .kw-text").filter(has_text="3 weeks")).to_have_count(1)
    # the outcome's own buttons still work after the reload
    expect(widget.locator(".kw-reply:enabled").filter(has_text="How do I book?")).to_be_visible()


def test_html_typed_by_a_person_is_shown_as_text_and_never_runs(page: Page, chat: Locator) -> None:
    type_message(chat, XSS)
    expect(chat.locator(".kw-user .kw-text").last).to_have_text(XSS)
    assert chat.locator(".kw-messages img").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
