"""The Twilio and Telegram connectors over real HTTP, with fake provider APIs and no model.

Requests are built the way Twilio and Telegram send them; replies are read
from what the fake Twilio REST API and fake Bot API received.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kneecare.cases.crypto import ContactCipher
from kneecare.conversation_ids import telegram_id, twilio_id
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    TEST_TWILIO_NUMBER,
    FakeApi,
    fake_telegram,
    fake_twilio,
    free_port,
    inline_keyboard,
    telegram_button_update,
    telegram_method,
    telegram_text_update,
    twilio_form,
    twilio_signature,
)

ROOT = Path(__file__).resolve().parents[2]


def sms_conversation(address: str) -> str:
    """The pseudonymous conversation id the channel gives Rasa for this number."""
    return twilio_id(address, ContactCipher(os.environ["CASE_DATA_KEY"].encode()))


def texts_of(harness: Harness, conversation_id: str) -> list[str]:
    return [m["text"] for m in harness.received() if m["sender"] == conversation_id]


def telegram_conversation(chat: int) -> str:
    return telegram_id(str(chat), ContactCipher(os.environ["CASE_DATA_KEY"].encode()))


@dataclass
class Harness:
    url: str
    twilio: FakeApi
    telegram: FakeApi

    def received(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/received", timeout=10) as answer:
            return list(json.loads(answer.read()))

    def post_twilio(self, form: dict[str, str], signature: str | None) -> int:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return post(f"{self.url}/webhooks/twilio/webhook",
                    urllib.parse.urlencode(form).encode(), headers)

    def twilio_url(self) -> str:
        return f"{self.url}/webhooks/twilio/webhook"

    def post_telegram(self, update: dict[str, Any], secret: str | None) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return post(f"{self.url}/webhooks/telegram/webhook", json.dumps(update).encode(), headers)


def post(url: str, data: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    twilio, telegram = fake_twilio(), fake_telegram()
    port = free_port()
    log = open(tmp_path_factory.mktemp("harness") / "harness.log", "wb")  # noqa: SIM115
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.channels.harness", "--port", str(port),
         "--twilio-api", twilio.base_url, "--telegram-api", telegram.base_url],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    running = Harness(f"http://127.0.0.1:{port}", twilio, telegram)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"harness exited; see {log.name}"
            try:
                running.received()
                break
            except OSError:
                assert time.monotonic() < deadline, f"harness not ready; see {log.name}"
                time.sleep(0.2)
        yield running
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()
        twilio.stop()
        telegram.stop()


def messages_to(harness: Harness, recipient: str, count: int = 1) -> list[dict[str, Any]]:
    found = harness.twilio.wait_for(lambda r: r.params.get("To") == recipient, count)
    return [request.params for request in found]


def test_a_signed_twilio_sms_is_answered_through_the_rest_api(harness: Harness) -> None:
    form = twilio_form("+447700900001", "hello there")
    assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form)) == 200

    [sent] = messages_to(harness, "+447700900001")
    assert sent["Body"] == "echo: hello there"
    assert sent["From"] == TEST_TWILIO_NUMBER
    request = harness.twilio.received(lambda r: r.params.get("To") == "+447700900001")[0]
    assert request.path.endswith("/Accounts/AC" + "0" * 32 + "/Messages.json")


def test_rasa_never_sees_the_number_only_a_keyed_pseudonym(harness: Harness) -> None:
    number = "+447700900011"
    form = twilio_form(number, "is anyone there")
    assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form)) == 200
    messages_to(harness, number)  # answered, at the number itself

    [message] = [m for m in harness.received() if m["text"] == "is anyone there"]
    assert message["sender"] == sms_conversation(number)
    assert message["sender"].startswith("sms:") and "7700900011" not in message["sender"]
    other_key = ContactCipher(b"x" * 43 + b"=")  # the pseudonym depends on the key
    assert twilio_id(number, other_key) != message["sender"]
    assert twilio_id("whatsapp:" + number, other_key).startswith("whatsapp:")


def test_a_twilio_request_sent_again_is_handled_once(harness: Harness) -> None:
    number = "+447700900012"
    form = twilio_form(number, "only once please")
    signature = twilio_signature(harness.twilio_url(), form)
    for _ in range(3):  # Twilio's retry after a timeout, or a captured request replayed
        assert harness.post_twilio(form, signature) == 200
    messages_to(harness, number)
    time.sleep(1)
    assert texts_of(harness, sms_conversation(number)) == ["only once please"]
    assert len(harness.twilio.received(lambda r: r.params.get("To") == number)) == 1
    again = twilio_form(number, "only once please")  # the same words, a new message
    assert harness.post_twilio(again, twilio_signature(harness.twilio_url(), again)) == 200
    messages_to(harness, number, count=2)
    assert texts_of(harness, sms_conversation(number)) == ["only once please"] * 2


def test_unsigned_or_wrongly_signed_twilio_requests_get_403_and_nothing_happens(
        harness: Harness) -> None:
    sender = "+447700900002"
    form = twilio_form(sender, "should be ignored")
    good = twilio_signature(harness.twilio_url(), form)
    tampered = {**form, "Body": "something else"}

    assert harness.post_twilio(form, None) == 403
    assert harness.post_twilio(form, "bm90IGEgc2lnbmF0dXJl") == 403
    assert harness.post_twilio(tampered, good) == 403
    assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form, "wrong")) == 403
    assert harness.post_twilio(form, twilio_signature(
        "http://elsewhere.example/webhooks/twilio/webhook", form)) == 403

    time.sleep(1)
    assert [m for m in harness.received() if m["sender"] == sms_conversation(sender)] == []
    assert harness.twilio.received(lambda r: r.params.get("To") == sender) == []


def test_twilio_buttons_become_numbered_options_and_a_number_picks_one(
        harness: Harness) -> None:
    sender = "whatsapp:+447700900003"
    ours = "whatsapp:+14155238886"
    for body in ("show buttons", "2"):
        form = twilio_form(sender, body, to=ours)
        assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form)) == 200

    options, echo = messages_to(harness, sender, count=2)
    assert options["Body"] == "Pick one\n\n1. Yes\n2. No\n3. Not sure"
    assert options["From"] == ours  # replies come from the WhatsApp sender written to
    assert echo["Body"] == "echo: /deny"
    assert [m["text"] for m in harness.received() if m["sender"] == sms_conversation(sender)] == [
        "show buttons", "/deny"]


def test_a_number_without_buttons_to_pick_is_passed_on_as_text(harness: Harness) -> None:
    sender = "+447700900004"
    form = twilio_form(sender, "7")
    assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form)) == 200
    [sent] = messages_to(harness, sender)
    assert sent["Body"] == "echo: 7"


def test_the_telegram_webhook_is_registered_with_the_secret_token(harness: Harness) -> None:
    [registration] = harness.telegram.wait_for(telegram_method("setWebhook"))
    assert registration.params["secret_token"] == TEST_TELEGRAM_SECRET
    assert registration.params["url"].endswith("/webhooks/telegram/webhook")


def test_a_telegram_update_with_the_secret_is_answered(harness: Harness) -> None:
    chat = 5550001
    assert harness.post_telegram(telegram_text_update(chat, "hello"), TEST_TELEGRAM_SECRET) == 200
    [sent] = harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert sent.params["text"] == "echo: hello"


def test_telegram_updates_without_the_right_secret_get_403_and_nothing_happens(
        harness: Harness) -> None:
    chat = 5550002
    update = telegram_text_update(chat, "should be ignored")
    assert harness.post_telegram(update, None) == 403
    assert harness.post_telegram(update, "wrong-secret") == 403
    assert harness.post_telegram(update, TEST_TELEGRAM_SECRET + "x") == 403
    time.sleep(1)
    assert [m for m in harness.received() if m["sender"] == telegram_conversation(chat)] == []
    assert harness.telegram.received(lambda r: r.params.get("chat_id") == str(chat)) == []


def test_telegram_buttons_are_an_inline_keyboard_and_a_press_sends_the_payload(
        harness: Harness) -> None:
    chat = 5550003
    assert harness.post_telegram(telegram_text_update(chat, "show buttons"),
                                 TEST_TELEGRAM_SECRET) == 200
    [question] = harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert question.params["text"] == "Pick one"
    assert inline_keyboard(question) == [[
        {"text": "Yes", "callback_data": "/affirm"},
        {"text": "No", "callback_data": "/deny"},
        {"text": "Not sure", "callback_data": "/not_sure"},
    ]]

    assert harness.post_telegram(telegram_button_update(chat, "/deny", update_id=7),
                                 TEST_TELEGRAM_SECRET) == 200
    replies = harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat), 2)
    assert replies[-1].params["text"] == "echo: /deny"
    assert harness.telegram.received(telegram_method("answerCallbackQuery"))
    assert texts_of(harness, telegram_conversation(chat)) == ["show buttons", "/deny"]


def test_telegram_start_command_greets(harness: Harness) -> None:
    chat = 5550004
    assert harness.post_telegram(telegram_text_update(chat, "/start"), TEST_TELEGRAM_SECRET) == 200
    harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert texts_of(harness, telegram_conversation(chat)) == ["/greet"]


def test_sms_replies_are_plain_and_whatsapp_keeps_the_original(harness: Harness) -> None:
    fancy = "• it’s “fine” — really"
    for sender, ours, expected in [
        ("+447700900077", None, "echo: - it's \"fine\" - really"),
        ("whatsapp:+447700900078", "whatsapp:+14155238886", f"echo: {fancy}"),
    ]:
        form = twilio_form(sender, fancy, to=ours) if ours else twilio_form(sender, fancy)
        assert harness.post_twilio(form, twilio_signature(harness.twilio_url(), form)) == 200
        [sent] = messages_to(harness, sender)
        assert sent["Body"] == expected
