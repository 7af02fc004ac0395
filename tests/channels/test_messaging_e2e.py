"""Messaging that fits the medium, through the real servers and the fake provider APIs.

A Telegram photo whose caption reports red flags gets 999; "Call me on this
number" by SMS files the call-back with the number texted from; a key of an
answered question is refused; and, with clinic.yml's ``session_hours`` made
short, a person who comes back part-way through the questions chooses to carry
on (their answers kept) or start again, and an old numbered reply is never
read against the old question.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.store import CaseStore
from kneecare.sms_segments import segments
from runner.services import ROOT, Assistant, Ports, latest_model
from tests.channels.drivers import TelegramDriver, TwilioDriver, recognise, run_triage
from tests.channels.fakes import (
    fake_telegram,
    fake_twilio,
    inline_keyboard,
    telegram_button_update,
    telegram_method,
    telegram_text_update,
)
from tests.channels.servers import ChannelServers, credentials_for_tests
from tests.ports import shifted

pytestmark = pytest.mark.e2e
SHORT_SESSION_SECONDS = 15
PORTS = shifted(Ports(rasa=6405, actions=6455, web=6480, staff=6481))


def test_a_telegram_photo_captioned_with_red_flags_gets_999(
        channel_servers: ChannelServers) -> None:
    chat = TelegramDriver(channel_servers)
    update = telegram_text_update(chat.chat_id, "", update_id=int(time.time()))
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": "p", "file_unique_id": "up", "width": 640,
                                   "height": 480}]
    update["message"]["caption"] = "this is my knee, it's hot and swollen and I have a fever"
    replies = chat.send(update)
    assert any("999" in reply for reply in replies), replies


def test_call_me_on_this_number_files_the_number_texted_from(
        channel_servers: ChannelServers) -> None:
    sms = TwilioDriver(channel_servers, sender="+447911123459")
    assert recognise(sms.say("can someone call me back"))[-1] == "utter_ask_callback_consent"
    assert recognise(sms.say("yes"))[-1] == "utter_ask_contact_name"
    question = sms.say("Sam Okafor")[-1]
    assert recognise([question]) == ["utter_ask_contact_route"]
    assert question.endswith("1. Call me on this number")
    assert "utter_callback_confirmed" in recognise(sms.say("1"))
    store = CaseStore(os.environ["DATABASE_URL"],
                      ContactCipher(os.environ["CASE_DATA_KEY"].encode()))
    (case,) = [c for c in store.list_queue() if c.conversation_id == sms.conversation_id]
    assert case.contact is not None and case.contact.phone == "+447911123459"


def test_a_key_of_an_answered_question_is_refused(channel_servers: ChannelServers) -> None:
    chat = TelegramDriver(channel_servers)
    chat.say("/start_triage")
    first = chat.sent_to_me()[-1]
    [keys] = inline_keyboard(first)
    no = keys[1]["callback_data"]
    assert recognise(chat.send(telegram_button_update(chat.chat_id, no, update_id=9101)))[
        -1] == "utter_ask_screen_same_day"
    yes_to_the_old_question = keys[0]["callback_data"]
    replies = chat.send(telegram_button_update(chat.chat_id, yes_to_the_old_question,
                                               update_id=9102))
    assert replies == []  # nothing answered the current question
    notices = channel_servers.telegram.received(
        lambda r: telegram_method("answerCallbackQuery")(r)
        and "already been answered" in str(r.params.get("text")))
    assert notices
    assert channel_servers.slot(chat.conversation_id, "screen_emergency") == "no"
    assert channel_servers.slot(chat.conversation_id, "screen_same_day") is None


@pytest.fixture(scope="module")
def short_sessions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChannelServers]:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    workdir: Path = tmp_path_factory.mktemp("short-sessions")
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    clinic["session_hours"] = SHORT_SESSION_SECONDS / 3600
    (workdir / "clinic.yml").write_text(yaml.safe_dump(clinic), encoding="utf-8")
    twilio, telegram = fake_twilio(), fake_telegram()
    assistant = Assistant(
        ports=PORTS, tracker_db=workdir / "tracker.db", log_dir=workdir / "log",
        model=latest_model(), api_token=secrets.token_hex(16),
        credentials=credentials_for_tests(workdir / "credentials.yml", PORTS.rasa,
                                          twilio, telegram),
        environment={"KNEE_CLINIC_FILE": str(workdir / "clinic.yml"),
                     "REST_WEBHOOK_TOKEN": secrets.token_hex(16)},
    )
    try:
        assistant.start(timeout=240)
        yield ChannelServers(assistant, twilio, telegram)
    finally:
        assistant.stop()
        twilio.stop()
        telegram.stop()


def part_way(servers: ChannelServers) -> TwilioDriver:
    sms = TwilioDriver(servers)
    assert recognise(sms.say("/start_triage"))[-1] == "utter_ask_screen_emergency"
    assert recognise(sms.say("2"))[-1] == "utter_ask_screen_same_day"  # No
    time.sleep(SHORT_SESSION_SECONDS + 2)
    return sms


def test_back_after_the_session_time_a_number_is_not_read_against_the_old_question(
        short_sessions: ChannelServers) -> None:
    sms = part_way(short_sessions)
    offer = sms.say("1")  # would have been "Yes" to the red-flag list
    assert recognise(offer) == ["utter_resume_offer"], offer
    assert offer[-1].endswith("1. Carry on\n2. Start again")
    assert short_sessions.slot(sms.conversation_id, "screen_same_day") is None
    # carry on: the answer given before is kept and the next question is asked
    after = recognise(sms.say("1"))
    assert after[-1] == "utter_ask_screen_same_day", after
    assert short_sessions.slot(sms.conversation_id, "screen_emergency") == "no"


def test_back_after_the_session_time_the_person_can_start_again(
        short_sessions: ChannelServers) -> None:
    sms = part_way(short_sessions)
    assert recognise(sms.say("hello again"))[-1] == "utter_resume_offer"
    restarted = recognise(sms.say("2"))  # Start again
    assert "utter_restarting" in restarted, restarted
    assert short_sessions.slot(sms.conversation_id, "screen_emergency") is None
    assert short_sessions.slot(sms.conversation_id, "previous_answers") is None


def test_back_after_the_session_time_with_a_red_flag_it_is_acted_on_first(
        short_sessions: ChannelServers) -> None:
    sms = part_way(short_sessions)
    replies = sms.say("my calf has swollen right up and I keep getting short of breath")
    assert any("999" in reply for reply in replies), replies


def test_sms_answers_are_short_and_more_sends_the_rest(channel_servers: ChannelServers) -> None:
    sms = TwilioDriver(channel_servers)
    [short] = [text for text in sms.say("why does my knee hurt when I walk?")
               if "Reply MORE" in text]
    assert short.endswith("Reply MORE for details.") and segments(short) <= 3
    [full] = sms.say("MORE")
    assert "183 studies" in full and len(full) > len(short)


def test_whatsapp_gets_the_full_answer_with_a_bold_headline(
        channel_servers: ChannelServers) -> None:
    whatsapp = TwilioDriver(channel_servers, sender="whatsapp:+447911123460",
                            to="whatsapp:+14155238886")
    [answer] = [text for text in whatsapp.say("why does my knee hurt when I walk?")
                if "183 studies" in text]
    assert "Reply MORE" not in answer
    assert answer.startswith("*") and "*" in answer[1:]


def test_a_whole_visit_by_sms_costs_at_most_20_segments(
        channel_servers: ChannelServers) -> None:
    """Two questions, a symptom check and a call-back, counted as Twilio is sent them."""
    sms = TwilioDriver(channel_servers, sender="+447911123461")
    sms.say("why does my knee hurt when I walk?")
    sms.say("what can I do at home to ease it?")
    run = run_triage(sms)
    assert run.outcome == "utter_outcome_physio", run
    assert recognise(sms.say("can someone call me back"))[-1] == "utter_ask_callback_consent"
    sms.say("yes")
    sms.say("Sam Okafor")
    assert "utter_callback_confirmed" in recognise(sms.say("call me on this number"))
    sent = [request.params["Body"] for request in sms.sent_to_me()]
    costs = "\n".join(f"{segments(body)} {len(body)} {body!r}" for body in sent)
    assert sum(segments(body) for body in sent) <= 20, costs
