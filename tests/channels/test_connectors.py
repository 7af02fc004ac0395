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
from contextlib import contextmanager
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


@contextmanager
def running_harness(folder: Path) -> Iterator[Harness]:
    """The channels in a process of their own, with fake provider APIs."""
    twilio, telegram = fake_twilio(), fake_telegram()
    port = free_port()
    log = open(folder / f"harness-{port}.log", "wb")  # noqa: SIM115
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


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    with running_harness(tmp_path_factory.mktemp("harness")) as running:
        yield running


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
    [keys] = inline_keyboard(question)
    assert [key["text"] for key in keys] == ["Yes", "No", "Not sure"]
    tags = {key["callback_data"].split(":")[0] for key in keys}
    assert len(tags) == 1 and [key["callback_data"].split(":")[1] for key in keys] == [
        "1", "2", "3"]  # every key names its question and its place

    no = keys[1]["callback_data"]
    assert harness.post_telegram(telegram_button_update(chat, no, update_id=7),
                                 TEST_TELEGRAM_SECRET) == 200
    replies = harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat), 2)
    assert replies[-1].params["text"] == "echo: /deny"
    assert harness.telegram.received(telegram_method("answerCallbackQuery"))
    [echoed] = harness.telegram.received(telegram_method("editMessageText"))
    assert echoed.params["text"].endswith("You chose: No")  # the choice stays in the chat
    assert "reply_markup" not in echoed.params or "inline_keyboard" not in str(
        echoed.params["reply_markup"])
    assert texts_of(harness, telegram_conversation(chat)) == ["show buttons", "/deny"]

    # the same old keyboard pressed again: refused politely, nothing reaches Rasa
    assert harness.post_telegram(telegram_button_update(chat, keys[0]["callback_data"],
                                                        update_id=8),
                                 TEST_TELEGRAM_SECRET) == 200
    notices = harness.telegram.wait_for(
        lambda r: telegram_method("answerCallbackQuery")(r) and "already been answered"
        in str(r.params.get("text")))
    assert notices
    time.sleep(0.5)
    assert texts_of(harness, telegram_conversation(chat)) == ["show buttons", "/deny"]


def test_a_telegram_photo_is_read_by_its_caption_and_media_alone_gets_a_reply(
        harness: Harness) -> None:
    chat = 5550005
    photo = telegram_text_update(chat, "", update_id=11)
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "f1", "file_unique_id": "u1", "width": 90,
                                  "height": 90}]
    photo["message"]["caption"] = "this is my knee, it's hot and swollen and I have a fever"
    assert harness.post_telegram(photo, TEST_TELEGRAM_SECRET) == 200
    harness.telegram.wait_for(
        lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == str(chat))
    assert texts_of(harness, telegram_conversation(chat)) == [photo["message"]["caption"]]

    for kind, content in (("photo", photo["message"]["photo"]),
                          ("voice", {"file_id": "v", "file_unique_id": "uv", "duration": 3}),
                          ("sticker", {"file_id": "s", "file_unique_id": "us", "width": 9,
                                       "height": 9, "is_animated": False})):
        update = telegram_text_update(chat, "", update_id=12 + len(kind))
        del update["message"]["text"]
        update["message"][kind] = content
        before = len(harness.telegram.received(telegram_method("sendMessage")))
        assert harness.post_telegram(update, TEST_TELEGRAM_SECRET) == 200
        sent = harness.telegram.wait_for(telegram_method("sendMessage"), before + 1)
        assert "describe it in words" in sent[-1].params["text"], kind
        assert "999" in sent[-1].params["text"]
    assert len(texts_of(harness, telegram_conversation(chat))) == 1  # none reached Rasa


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


def sms(harness: Harness, number: str, body: str, **extra: str) -> int:
    form = {**twilio_form(number, body), **extra}
    return harness.post_twilio(form, twilio_signature(harness.twilio_url(), form))


def bodies_to(harness: Harness, number: str) -> list[str]:
    return [request.params["Body"]
            for request in harness.twilio.received(lambda r: r.params.get("To") == number)]


def settled(harness: Harness, number: str, count: int) -> list[str]:
    if count:
        messages_to(harness, number, count)
    time.sleep(0.5)  # anything more would have come by now
    return bodies_to(harness, number)


@pytest.mark.parametrize("stop", ["STOP", "stop", "Unsubscribe.", "QUIT", "cancel", "End",
                                  "STOPALL"])
def test_stop_opts_out_until_start_and_help_is_always_answered(harness: Harness,
                                                               stop: str) -> None:
    number = f"+4479111{abs(hash(stop)) % 100000:05d}"
    assert sms(harness, number, "hello") == 200
    assert settled(harness, number, 1) == ["echo: hello"]
    assert sms(harness, number, stop) == 200
    sent = settled(harness, number, 2)
    assert "won't get any more texts" in sent[-1] and "START" in sent[-1]
    assert "999" in sent[-1]  # the last thing they get from us names the emergency route
    assert sms(harness, number, "my knee still hurts") == 200
    assert settled(harness, number, 0) == sent  # nothing more is sent
    assert sms(harness, number, "HELP") == 200
    help_text = settled(harness, number, 3)[-1]
    assert "Riverside" in help_text and "020 7946 0321" in help_text and "STOP" in help_text
    assert sms(harness, number, "Start") == 200
    after = settled(harness, number, 5)
    assert "Welcome back" in after[-2] and after[-1] == "echo: /greet"  # and the menu
    conversation = texts_of(harness, sms_conversation(number))
    assert conversation == ["hello", "/greet"]  # keywords and the ignored text never reached Rasa


def test_i_want_to_stop_the_pain_is_not_a_keyword(harness: Harness) -> None:
    number = "+447911200001"
    assert sms(harness, number, "I want to stop the pain") == 200
    assert settled(harness, number, 1) == ["echo: I want to stop the pain"]


def test_an_opt_out_survives_a_restart(tmp_path: Path) -> None:
    number = "+447911200002"
    with running_harness(tmp_path) as first:
        assert sms(first, number, "STOP") == 200
        assert len(settled(first, number, 1)) == 1
    with running_harness(tmp_path) as second:
        assert sms(second, number, "hello again") == 200
        assert settled(second, number, 0) == []
        assert texts_of(second, sms_conversation(number)) == []


@pytest.mark.parametrize(("body", "media"), [
    ("", {"NumMedia": "1", "MediaContentType0": "image/jpeg",
          "MediaUrl0": "https://api.twilio.com/media/ME1"}),
    ("", {"NumMedia": "1", "MediaContentType0": "audio/ogg",
          "MediaUrl0": "https://api.twilio.com/media/ME2"}),  # a WhatsApp voice note
    ("   ", {}),
])
def test_pictures_voice_notes_and_blank_texts_get_a_reply(harness: Harness, body: str,
                                                          media: dict[str, str]) -> None:
    number = f"+4479112{abs(hash(body + str(media))) % 100000:05d}"
    assert sms(harness, number, body, **media) == 200
    [reply] = settled(harness, number, 1)
    assert "describe it in words" in reply and "999" in reply
    assert texts_of(harness, sms_conversation(number)) == []


def test_a_picture_with_words_is_read_by_its_words(harness: Harness) -> None:
    number = "+447911200003"
    caption = "this is my knee, it's hot and swollen and I have a fever"
    assert sms(harness, number, caption, NumMedia="1", MediaContentType0="image/jpeg",
               MediaUrl0="https://api.twilio.com/media/ME3") == 200
    settled(harness, number, 1)
    assert texts_of(harness, sms_conversation(number)) == [caption]
