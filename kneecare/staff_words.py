"""Plain words for the staff pages: channels, durations, phone numbers, times, buttons.

Staff never see codes: a channel name becomes "website chat" or "SMS", a
number of days becomes "3 weeks", an E.164 number becomes the UK national
form they dial, and a button payload in a transcript becomes the button title
the person tapped (read from the ``responses`` of domain.yml).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

import yaml

DOMAIN_FILE: Final = Path(__file__).resolve().parent.parent / "domain.yml"
CHANNEL_LABELS: Final = {
    "socketio": "website chat",
    "rest": "website chat",
    "twilio": "SMS",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
}
UK_E164: Final = re.compile(r"^\+44(\d{9,10})$")


def channel_label(channel: str | None) -> str:
    """'socketio' -> 'website chat'; a custom input class is matched by its last part."""
    name = (channel or "").rsplit(".", 1)[-1].lower()
    for code, label in CHANNEL_LABELS.items():
        if name == code or name.startswith(code):
            return label
    return "another channel" if name else "unknown channel"


def duration_words(days: float | None) -> str:
    """Days in words: '1 day', '10 days', '3 weeks', '2 months', '1 year'."""
    if days is None:
        return "not given"
    if days < 1:
        return "less than a day"
    for size, unit in ((365, "year"), (30, "month"), (7, "week")):
        if days >= 2 * size or (days >= size and days % size == 0):
            count = round(days / size)
            return f"{count} {unit}{'s' if count != 1 else ''}"
    whole = round(days)
    return f"{whole} day{'s' if whole != 1 else ''}"


def national_phone(number: str | None) -> str:
    """'+447911123456' -> '07911 123456'; '+442079460000' -> '020 7946 0000'."""
    found = UK_E164.match((number or "").replace(" ", ""))
    if found is None:
        return number or ""
    digits = "0" + found.group(1)
    if digits.startswith("02"):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith(("03", "08", "09")) or digits[:4] in ("0111", "0121", "0131", "0141",
                                                               "0151", "0161", "0191"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def moment_words(moment: datetime, now: datetime, zone: ZoneInfo) -> str:
    """A moment in the clinic's local time, near ``now``: 'today 20:00', 'tomorrow 13:00',
    'yesterday 18:00', else 'Mon 3 Dec, 20:00' (with the year when it is not this year)."""
    local, today = moment.astimezone(zone), now.astimezone(zone).date()
    near = {today: "today", today + timedelta(days=1): "tomorrow",
            today - timedelta(days=1): "yesterday"}
    if local.date() in near:
        return f"{near[local.date()]} {local:%H:%M}"
    year = "" if local.year == today.year else f" {local.year}"
    return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"


def tel_href(number: str | None) -> str:
    """A ``tel:`` link target: the digits with a leading +, no spaces."""
    compact = re.sub(r"[^\d+]", "", number or "")
    return f"tel:{compact}" if compact else ""


@lru_cache(maxsize=1)
def button_titles() -> dict[str, str]:
    """Every button payload in domain.yml's responses -> the title it carries (first seen)."""
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    titles: dict[str, str] = {}
    for variants in (domain.get("responses") or {}).values():
        for variant in variants or []:
            for button in variant.get("buttons") or []:
                titles.setdefault(str(button["payload"]), str(button["title"]))
    return titles


def shown_text(text: str) -> str:
    """What the person saw for a message: the button title for a payload, else the text."""
    stripped = text.strip()
    if not stripped.startswith("/"):
        return text
    title = button_titles().get(stripped)
    if title is not None:
        return title
    intent = stripped[1:].split("{", 1)[0]
    return f"(tapped a button: {intent.replace('_', ' ')})"
