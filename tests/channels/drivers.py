"""One person's conversation over each channel: say a text, get the bot's message texts back.

REST posts to the webhook; socket.io uses python-socketio's client like the
widget does (session_request, user_uttered, bot_uttered); Twilio posts signed
form-encoded webhooks and reads the replies the fake Twilio API received;
Telegram posts Updates with the secret header and reads the fake Bot API's
sendMessage calls.
"""

from __future__ import annotations

import itertools
import json
import queue
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any, Protocol

import socketio

from kneecare.conversation_ids import rest_id, telegram_id, twilio_id, widget_id
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    TEST_TWILIO_NUMBER,
    Recorded,
    telegram_method,
    telegram_text_update,
    twilio_form,
    twilio_signature,
)
from tests.channels.servers import ChannelServers
from tests.e2e.chat import recognise

_ids = itertools.count(1000)


class Driver(Protocol):
    name: str
    sender: str

    @property
    def conversation_id(self) -> str: ...

    def say(self, text: str) -> list[str]: ...




def post(url: str, data: bytes, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=120) as answer:
        return bytes(answer.read())


@dataclass
class RestDriver:
    servers: ChannelServers
    name: str = "rest"
    sender: str = field(default_factory=lambda: f"rest-{uuid.uuid4().hex[:10]}")

    @property
    def conversation_id(self) -> str:
        return rest_id(self.sender)

    def say(self, text: str) -> list[str]:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        replies = json.loads(post(f"{self.servers.rasa_url}/webhooks/rest/webhook", body,
                                  {"Content-Type": "application/json",
                                   "Authorization": f"Bearer {self.servers.rest_token}"})
                             or b"[]")
        return [reply["text"] for reply in replies if reply.get("text")]


@dataclass
class SocketIODriver:
    servers: ChannelServers
    name: str = "socketio"
    sender: str = ""  # the session id the server issues
    quiet_seconds: float = 1.5

    def __post_init__(self) -> None:
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.client = socketio.Client()
        confirmed: queue.Queue[str] = queue.Queue()
        self.client.on("session_confirm", confirmed.put)
        self.client.on("bot_uttered", self.inbox.put)
        # polling only: engineio's websocket client needs a newer aiohttp than Rasa pins
        self.client.connect(self.servers.rasa_url, transports=["polling"])
        self.client.emit("session_request", {"session_id": None})
        self.sender = confirmed.get(timeout=30)

    @property
    def conversation_id(self) -> str:
        return widget_id(self.sender.split(".")[0])

    def say(self, text: str) -> list[str]:
        self.client.emit("user_uttered", {"message": text, "session_id": self.sender})
        messages = [self.inbox.get(timeout=60)]
        while True:
            try:
                messages.append(self.inbox.get(timeout=self.quiet_seconds))
            except queue.Empty:
                break
        return [message["text"] for message in messages if message.get("text")]

    def close(self) -> None:
        self.client.disconnect()


@dataclass
class TwilioDriver:
    servers: ChannelServers
    name: str = "twilio"
    sender: str = field(default_factory=lambda: f"+4477009{next(_ids):05d}")
    to: str = TEST_TWILIO_NUMBER  # the clinic's number (or whatsapp: sender) written to

    @property
    def conversation_id(self) -> str:
        return twilio_id(self.sender, self.servers.cipher)

    def sent_to_me(self) -> list[Recorded]:
        return self.servers.twilio.received(lambda r: r.params.get("To") == self.sender)

    def say(self, text: str) -> list[str]:
        before = len(self.sent_to_me())
        form = twilio_form(self.sender, text, to=self.to)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": twilio_signature(self.servers.twilio_webhook, form)}
        # Rasa sends every reply before the webhook returns
        post(self.servers.twilio_webhook, urllib.parse.urlencode(form).encode(), headers)
        return [request.params["Body"] for request in self.sent_to_me()[before:]]


@dataclass
class TelegramDriver:
    servers: ChannelServers
    name: str = "telegram"
    chat_id: int = field(default_factory=lambda: 7_000_000 + next(_ids))

    @property
    def sender(self) -> str:
        return str(self.chat_id)

    @property
    def conversation_id(self) -> str:
        return telegram_id(self.sender, self.servers.cipher)

    def sent_to_me(self) -> list[Recorded]:
        return self.servers.telegram.received(
            lambda r: telegram_method("sendMessage")(r) and r.params.get("chat_id") == self.sender)

    def say(self, text: str) -> list[str]:
        return self.send(telegram_text_update(self.chat_id, text, next(_ids)))

    def send(self, update: dict[str, Any]) -> list[str]:
        before = len(self.sent_to_me())
        post(f"{self.servers.rasa_url}/webhooks/telegram/webhook", json.dumps(update).encode(),
             {"Content-Type": "application/json",
              "X-Telegram-Bot-Api-Secret-Token": TEST_TELEGRAM_SECRET})
        return [request.params["text"] for request in self.sent_to_me()[before:]]


# Answers to each triage question, chosen for a "see a physiotherapist" outcome:
# no red flags, no injury, 3 weeks, limits activity, moderate pain.
PHYSIO_ANSWERS = {
    "utter_ask_screen_emergency": "no",
    "utter_ask_screen_same_day": "no",
    "utter_ask_injury": "no",
    "utter_ask_screen_ottawa": "no",
    "utter_ask_screen_gp_soon": "no",
    "utter_ask_pain_duration_days": "3 weeks",
    "utter_ask_limits_activity": "yes",
    "utter_ask_alters_gait": "no",
    "utter_ask_pain_score": "4",
    "utter_ask_age": "45",
}


@dataclass
class TriageRun:
    said: list[str]
    asked: list[str]
    outcome: str | None
    outcome_text: str | None


def run_triage(driver: Driver, answers: dict[str, str] = PHYSIO_ANSWERS,
               opening: str = "/start_triage", max_turns: int = 14) -> TriageRun:
    """Start the questions, answer each from ``answers``, stop at the outcome."""
    said, asked = [opening], []
    texts = driver.say(opening)
    for _ in range(max_turns):
        for text in texts:
            for name in recognise([text]):
                if name.startswith("utter_outcome_"):
                    return TriageRun(said, asked, name, text)
        names = recognise(texts)
        questions = [name for name in names if name in answers]
        if not questions:
            break
        asked.append(questions[-1])
        said.append(answers[questions[-1]])
        texts = driver.say(said[-1])
        time.sleep(0.05)
    return TriageRun(said, asked, None, None)
