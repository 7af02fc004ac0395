"""Numbered options for text-only channels, and picking a button by its number."""

from __future__ import annotations

from types import SimpleNamespace

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from channels.buttons import (
    buttons_awaiting_reply,
    chosen_payload,
    numbered_options,
    resolve_numbered_reply,
)

YES_NO_UNSURE = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/not_sure"},
]


def test_buttons_are_listed_under_the_text_with_numbers() -> None:
    assert numbered_options("Did it start with an injury?", YES_NO_UNSURE) == (
        "Did it start with an injury?\n\n1. Yes\n2. No\n3. Not sure")


def test_a_number_picks_the_matching_payload() -> None:
    assert chosen_payload("1", YES_NO_UNSURE) == "/affirm"
    assert chosen_payload(" 3. ", YES_NO_UNSURE) == "/not_sure"
    assert chosen_payload("2)", YES_NO_UNSURE) == "/deny"


def test_anything_else_is_not_a_choice() -> None:
    for reply in ("0", "4", "yes", "1 2", "12 weeks", ""):
        assert chosen_payload(reply, YES_NO_UNSURE) is None
    assert chosen_payload("1", []) is None


def test_only_buttons_since_the_person_last_spoke_count() -> None:
    question = BotUttered("Injury?", {"buttons": YES_NO_UNSURE})
    events = [UserUttered("hi"), ActionExecuted("utter_ask_injury"), question]
    assert buttons_awaiting_reply(events) == YES_NO_UNSURE
    assert buttons_awaiting_reply([*events, UserUttered("2"), BotUttered("How long?")]) == []
    assert buttons_awaiting_reply([]) == []


def test_the_latest_message_with_buttons_wins() -> None:
    book = [{"title": "How do I book?", "payload": "/book_appointment"}]
    events = [BotUttered("A", {"buttons": YES_NO_UNSURE}), BotUttered("B", {"buttons": book}),
              BotUttered("C", {"buttons": None})]
    assert buttons_awaiting_reply(events) == book


def request_with_tracker(events: list) -> SimpleNamespace:
    async def retrieve(_: str) -> SimpleNamespace:
        return SimpleNamespace(events=events)

    agent = SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)))


async def test_a_numbered_reply_is_resolved_from_the_tracker() -> None:
    request = request_with_tracker([BotUttered("Injury?", {"buttons": YES_NO_UNSURE})])
    assert await resolve_numbered_reply(request, "+447700900000", "2") == "/deny"
    assert await resolve_numbered_reply(request, "+447700900000", "no idea") == "no idea"


async def test_without_a_tracker_store_the_text_is_kept() -> None:
    request = SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace()))
    assert await resolve_numbered_reply(request, "+447700900000", "2") == "2"
