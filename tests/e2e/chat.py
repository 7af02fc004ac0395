"""A small client that talks to the running assistant like a person would.

It sends messages to the REST channel, recognises which question or outcome
the assistant gave by comparing the replies with the response texts in
domain.yml, and reads slots through Rasa's token-protected HTTP API.
"""

from __future__ import annotations

import json
import re
import urllib.request
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from channels.sms_text import plain_sms

ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def response_openings() -> dict[str, str]:
    """The fixed opening words of each response (before any {placeholder})."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    openings = {}
    for name, variations in domain["responses"].items():
        opening = re.split(r"\{", variations[0]["text"])[0].strip()
        openings[name] = opening[:60]
    return openings


def recognise(texts: list[str]) -> list[str]:
    """Names of the domain responses whose fixed opening starts one of ``texts``.

    Compared as plain SMS text, since the SMS channel sends bullets and curly
    quotes as their GSM-7 look-alikes (channels/sms_text.py).
    """
    names = []
    for text in texts:
        for name, opening in response_openings().items():
            if opening and plain_sms(text).startswith(plain_sms(opening)):
                names.append(name)
                break
    return names


def post_json(url: str, payload: dict[str, Any], timeout: float = 60) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@dataclass
class Conversation:
    """One person's conversation with the assistant over REST."""

    base_url: str
    api_token: str | None = None
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    transcript: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    def say(self, text: str) -> list[dict[str, Any]]:
        replies = post_json(
            f"{self.base_url}/webhooks/rest/webhook", {"sender": self.sender, "message": text}
        )
        self.transcript.append((text, replies))
        return replies

    def responses(self, replies: list[dict[str, Any]]) -> list[str]:
        """Names of the domain responses recognised in these replies."""
        return recognise([reply.get("text", "") for reply in replies])

    def tracker(self) -> dict[str, Any]:
        url = f"{self.base_url}/conversations/{self.sender}/tracker?token={self.api_token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())

    def slot(self, name: str) -> Any:
        return self.tracker()["slots"].get(name)
