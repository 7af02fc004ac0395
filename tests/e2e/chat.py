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
from kneecare.conversation_ids import rest_id

ROOT = Path(__file__).resolve().parents[2]


OPENING_CHARS = 120  # how much of each response's wording is compared


@lru_cache(maxsize=1)
def response_patterns() -> tuple[tuple[str, int, re.Pattern[str]], ...]:
    """For every wording of every response: its name, how much fixed text it
    has, and a pattern for its opening (a {placeholder} matches anything)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    patterns = []
    for name, variations in domain["responses"].items():
        for variation in variations:
            opening = plain_sms(str(variation.get("text") or "").strip())[:OPENING_CHARS]
            parts = re.split(r"\{[a-z_]+\}?", opening)
            fixed = sum(len(part) for part in parts)
            if fixed:
                pattern = re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)
                patterns.append((name, fixed, pattern))
    return tuple(patterns)


def response_openings() -> dict[str, str]:
    """The fixed opening words of each response's first wording (before any {placeholder})."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return {name: re.split(r"\{", variations[0]["text"])[0].strip()[:60]
            for name, variations in domain["responses"].items()}


def recognise(texts: list[str]) -> list[str]:
    """Names of the domain responses whose wording starts each of ``texts``; when
    several fit, the one whose fixed wording matches furthest.

    Compared as plain SMS text, since the SMS channel sends bullets and curly
    quotes as their GSM-7 look-alikes (channels/sms_text.py).
    """
    names = []
    for text in texts:
        plain = plain_sms(text)
        fitting = [(fixed, name) for name, fixed, pattern in response_patterns()
                   if pattern.match(plain)]
        if fitting:
            names.append(max(fitting)[1])
    return names


def post_json(url: str, payload: dict[str, Any], timeout: float = 60,
              bearer: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


@dataclass
class Conversation:
    """One person's conversation with the assistant over REST."""

    base_url: str
    api_token: str | None = None
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:12]}")
    transcript: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    rest_token: str | None = None  # the REST webhook's bearer token, where one is set

    def say(self, text: str) -> list[dict[str, Any]]:
        replies = post_json(
            f"{self.base_url}/webhooks/rest/webhook", {"sender": self.sender, "message": text},
            bearer=self.rest_token,
        )
        self.transcript.append((text, replies))
        return list(replies)

    def responses(self, replies: list[dict[str, Any]]) -> list[str]:
        """Names of the domain responses recognised in these replies."""
        return recognise([reply.get("text", "") for reply in replies])

    @property
    def conversation_id(self) -> str:
        """The id Rasa stores this conversation under (the REST channel's prefix added)."""
        return rest_id(self.sender)

    def tracker(self) -> dict[str, Any]:
        url = (f"{self.base_url}/conversations/{self.conversation_id}/tracker"
               f"?token={self.api_token}")
        with urllib.request.urlopen(url, timeout=30) as response:
            tracker: dict[str, Any] = json.loads(response.read())
            return tracker

    def slot(self, name: str) -> Any:
        return self.tracker()["slots"].get(name)
