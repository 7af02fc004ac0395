"""A Sanic server with only the messaging connectors and a scripted bot (no model needed).

The connector tests start it as a subprocess, exactly as Rasa mounts the
channels (``/webhooks/<name>/webhook``), with the fake Twilio and Telegram
APIs as their REST endpoints. The scripted bot records every message it gets
(GET /received), answers "show buttons" with Yes / No / Not sure buttons and
echoes anything else; a small in-memory tracker store lets numbered replies be
resolved the way they are against Rasa's tracker.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import BotUttered, Event, UserUttered
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.telegram_secure import TelegramSecureInput
from channels.twilio_signed import TwilioSignedInput
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    TEST_TELEGRAM_TOKEN,
    TEST_TWILIO_NUMBER,
    TEST_TWILIO_SID,
    TEST_TWILIO_TOKEN,
)

YES_NO_UNSURE = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/not_sure"},
]
TELEGRAM_WEBHOOK = "https://assistant.example/webhooks/telegram/webhook"


class ScriptedBot:
    """Stands in for Rasa's agent: records messages, keeps events, replies."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.events: dict[str, list[Event]] = defaultdict(list)
        self.tracker_store = self

    async def retrieve(self, sender_id: str) -> Any:
        return SimpleNamespace(events=list(self.events[sender_id]))

    async def handle(self, message: UserMessage) -> None:
        self.received.append({"text": message.text, "sender": message.sender_id,
                              "channel": message.input_channel})
        self.events[message.sender_id].append(UserUttered(message.text))
        if message.text == "show buttons":
            reply: dict[str, Any] = {"text": "Pick one", "buttons": list(YES_NO_UNSURE)}
        else:
            reply = {"text": f"echo: {message.text}"}
        self.events[message.sender_id].append(
            BotUttered(reply["text"], {"buttons": reply.get("buttons")}))
        await message.output_channel.send_response(message.sender_id, reply)


def build_app(port: int, twilio_api: str, telegram_api: str) -> Sanic:
    app = Sanic("channel_harness")
    app.config.MOTD = False
    bot = ScriptedBot()
    app.ctx.agent = bot
    channels = [
        TwilioSignedInput(TEST_TWILIO_SID, TEST_TWILIO_TOKEN, TEST_TWILIO_NUMBER,
                          public_url=f"http://127.0.0.1:{port}/webhooks/twilio/webhook",
                          api_base_url=twilio_api),
        TelegramSecureInput(TEST_TELEGRAM_TOKEN, None, TELEGRAM_WEBHOOK,
                            secret_token=TEST_TELEGRAM_SECRET, api_base_url=telegram_api),
    ]
    for channel in channels:
        app.blueprint(channel.blueprint(bot.handle), url_prefix=f"/webhooks/{channel.url_prefix()}")

    @app.get("/received")
    async def received(_: Request) -> HTTPResponse:
        return response.json(bot.received)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--twilio-api", required=True)
    parser.add_argument("--telegram-api", required=True)
    args = parser.parse_args()
    build_app(args.port, args.twilio_api, args.telegram_api).run(
        host="127.0.0.1", port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
