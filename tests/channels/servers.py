"""The real assistant with every channel on, for the channel and browser end-to-end tests.

Same runner as `make run` (runner.services.Assistant) on its own ports, with
Twilio and Telegram pointed at the fake APIs in tests/channels/fakes.py and
the widget's demo page served by web/serve.py. tests/conftest.py starts it
once per test session.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kneecare.cases.crypto import ContactCipher
from runner.services import ROOT, Assistant, Ports, latest_model
from tests.channels.fakes import (
    TEST_TELEGRAM_SECRET,
    TEST_TELEGRAM_TOKEN,
    TEST_TWILIO_NUMBER,
    TEST_TWILIO_SID,
    TEST_TWILIO_TOKEN,
    FakeApi,
)
from tests.ports import shifted

PORTS = shifted(Ports(rasa=5205, actions=5255, web=8180))


@dataclass
class ChannelServers:
    assistant: Assistant
    twilio: FakeApi
    telegram: FakeApi

    @property
    def cipher(self) -> ContactCipher:
        """The key the servers make pseudonyms with, to find a conversation by its address."""
        key = self.assistant.environment.get("CASE_DATA_KEY") or os.environ["CASE_DATA_KEY"]
        return ContactCipher(key.encode())

    @property
    def rest_token(self) -> str:
        return self.assistant.environment["REST_WEBHOOK_TOKEN"]

    @property
    def rasa_url(self) -> str:
        return f"http://localhost:{self.assistant.ports.rasa}"

    @property
    def demo_url(self) -> str:
        return f"http://localhost:{self.assistant.ports.web}/"

    @property
    def twilio_webhook(self) -> str:
        return f"http://127.0.0.1:{self.assistant.ports.rasa}/webhooks/twilio/webhook"

    def tracker(self, sender: str) -> dict[str, Any]:
        url = (f"{self.rasa_url}/conversations/{urllib.parse.quote(sender, safe='+:')}/tracker"
               f"?token={self.assistant.api_token}")
        with urllib.request.urlopen(url, timeout=30) as answer:
            return dict(json.loads(answer.read()))

    def slot(self, sender: str, name: str) -> Any:
        return self.tracker(sender)["slots"].get(name)


def credentials_for_tests(path: Path, rasa_port: int, twilio: FakeApi, telegram: FakeApi) -> Path:
    """credentials.yml plus both messaging channels, with test secrets and the fake APIs."""
    config = yaml.safe_load((ROOT / "credentials.yml").read_text()) or {}
    config["channels.twilio_signed.TwilioSignedInput"] = {
        "account_sid": TEST_TWILIO_SID, "auth_token": TEST_TWILIO_TOKEN,
        "twilio_number": TEST_TWILIO_NUMBER,
        "public_url": f"http://127.0.0.1:{rasa_port}/webhooks/twilio/webhook",
        "api_base_url": twilio.base_url,
    }
    config["channels.telegram_secure.TelegramSecureInput"] = {
        "access_token": TEST_TELEGRAM_TOKEN, "secret_token": TEST_TELEGRAM_SECRET,
        "webhook_url": "https://assistant.example/webhooks/telegram/webhook",
        "api_base_url": telegram.base_url,
    }
    # with messaging channels on, the REST webhook must have a token
    config["channels.rest_checked.CheckedRestInput"] = {"token": "${REST_WEBHOOK_TOKEN}"}
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def start(workdir: Path, twilio: FakeApi, telegram: FakeApi) -> ChannelServers:
    assistant = Assistant(
        ports=PORTS,
        tracker_db=workdir / "tracker.db",
        log_dir=workdir / "log",
        model=latest_model(),
        api_token=secrets.token_hex(16),
        credentials=credentials_for_tests(workdir / "credentials.yml", PORTS.rasa,
                                          twilio, telegram),
        environment={"REST_WEBHOOK_TOKEN": secrets.token_hex(16)},
    )
    try:
        assistant.start(timeout=240, with_web=True)
    except BaseException:
        assistant.stop()
        raise
    return ChannelServers(assistant, twilio, telegram)
