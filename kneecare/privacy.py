"""Keeps people's contact details out of stored conversations.

A conversation is stored event by event. User messages can carry a phone
number or an e-mail address anywhere, and the reply to "what name should we
ask for?" is a name: those are replaced by placeholders before anything is
written, while the live conversation (and the encrypted call-back request)
keeps what it needs. Slots that quote the person's words (the words behind
each sign, and the "why" that quotes them) are redacted the same way as the
messages. Works on plain event dictionaries, so it has no Rasa
import and can be tested alone.
"""

from __future__ import annotations

from typing import Any

from kneecare.cases.contact import redact

# questions whose whole reply is personal: replace it, don't just redact it
PERSONAL_ANSWER_SLOTS = {"contact_name": "[name]", "contact_route": "[contact details]"}
# slots that hold the person's own words: redacted like their messages
QUOTING_SLOTS = frozenset({"sign_evidence", "triage_why", "triage_why_brief"})


def redact_user_text(text: str, asked_slot: str | None) -> str:
    """The text as it may be stored."""
    if asked_slot in PERSONAL_ANSWER_SLOTS:
        return PERSONAL_ANSWER_SLOTS[asked_slot]
    return redact(text)


def redact_event(data: dict[str, Any], asked_slot: str | None) -> dict[str, Any]:
    """A copy of a serialised event without contact details.

    Only what may change is copied (the event, its parse data and entities):
    ``data`` shares its parse data with the live event, which must not change.
    """
    if data.get("event") == "slot" and data.get("name") in QUOTING_SLOTS:
        return {**data, "value": _redacted_words(data.get("value"))}
    if data.get("event") != "user":
        return data
    clean = dict(data)
    if isinstance(clean.get("text"), str):
        clean["text"] = redact_user_text(clean["text"], asked_slot)
    if isinstance(clean.get("parse_data"), dict):
        parse_data = clean["parse_data"] = dict(clean["parse_data"])
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redact_user_text(parse_data["text"], asked_slot)
        if isinstance(parse_data.get("entities"), list):
            parse_data["entities"] = [_redacted_entity(entity) for entity in parse_data["entities"]]
    return clean


def _redacted_entity(entity: Any) -> Any:
    if isinstance(entity, dict) and isinstance(entity.get("value"), str):
        return {**entity, "value": redact(entity["value"])}
    return entity


def _redacted_words(value: Any) -> Any:
    """Every string in a slot value, redacted (lists and mappings copied)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted_words(item) for item in value]
    if isinstance(value, dict):
        return {key: _redacted_words(item) for key, item in value.items()}
    return value
