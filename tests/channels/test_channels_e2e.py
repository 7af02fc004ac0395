"""The same triage over REST, socket.io, Twilio and Telegram ends the same way (real servers)."""

from __future__ import annotations

import pytest

from tests.channels.drivers import (
    RestDriver,
    SocketIODriver,
    TelegramDriver,
    TwilioDriver,
    recognise,
    run_triage,
)
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    inline_keyboard,
    telegram_button_update,
    telegram_method,
)
from tests.channels.servers import ChannelServers

pytestmark = pytest.mark.e2e


def test_one_triage_gives_the_same_outcome_on_every_channel(
        channel_servers: ChannelServers) -> None:
    socket = SocketIODriver(channel_servers)
    drivers = [RestDriver(channel_servers), socket, TwilioDriver(channel_servers),
               TelegramDriver(channel_servers)]
    try:
        runs = {driver.name: run_triage(driver) for driver in drivers}
    finally:
        socket.close()
    levels = {driver.name: channel_servers.slot(driver.conversation_id, "triage_level")
              for driver in drivers}

    assert {name: run.outcome for name, run in runs.items()} == dict.fromkeys(
        runs, "utter_outcome_physio"), runs
    assert levels == dict.fromkeys(runs, "physio")
    assert len({tuple(run.said) for run in runs.values()}) == 1, runs  # same texts everywhere
    assert len({tuple(run.asked) for run in runs.values()}) == 1, runs


def test_sms_questions_list_numbered_options_and_numbers_answer_them(
        channel_servers: ChannelServers) -> None:
    sms = TwilioDriver(channel_servers)
    [question] = sms.say("/start_triage")[-1:]
    assert recognise([question]) == ["utter_ask_screen_emergency"]
    assert question.endswith("\n\n1. Yes\n2. No\n3. Not sure")

    next_question = sms.say("2")  # "No"
    assert recognise(next_question)[-1] == "utter_ask_screen_same_day"
    events = channel_servers.tracker(sms.conversation_id)["events"]
    said = [event["text"] for event in events if event["event"] == "user"]
    assert said[-1] == "/deny"
    assert channel_servers.slot(sms.conversation_id, "screen_emergency") == "no"


def test_telegram_questions_have_an_inline_keyboard_that_answers_them(
        channel_servers: ChannelServers) -> None:
    chat = TelegramDriver(channel_servers)
    chat.say("/start_triage")
    question = chat.sent_to_me()[-1]
    assert recognise([question.params["text"]]) == ["utter_ask_screen_emergency"]
    [keys] = inline_keyboard(question)
    assert [key["text"] for key in keys] == ["Yes", "No", "Not sure"]
    replies = chat.send(telegram_button_update(chat.chat_id, keys[1]["callback_data"],
                                               update_id=424242))
    assert recognise(replies)[-1] == "utter_ask_screen_same_day"
    assert channel_servers.slot(chat.conversation_id, "screen_emergency") == "no"
    assert channel_servers.telegram.received(telegram_method("answerCallbackQuery"))


def test_the_telegram_webhook_was_registered_with_its_secret(
        channel_servers: ChannelServers) -> None:
    registrations = channel_servers.telegram.received(telegram_method("setWebhook"))
    assert registrations
    assert registrations[-1].params["secret_token"] == TEST_TELEGRAM_SECRET
