"""Answers to everyday clinic questions, from clinic.yml's ``clinic_questions``.

The NLU names the topic (``clinic/fees``, ``clinic/parking``...); the answer is
rendered here from the clinic's own settings, so a clinic changes it by editing
clinic.yml, without retraining. A value the clinic left empty gets an honest
"please call us" with the clinic's phone number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from kneecare.clinic import ClinicSettings

TOPICS = (
    "fees",
    "insurance",
    "hours",
    "address",
    "parking",
    "what_to_bring",
    "cancellation",
    "self_referral",
    "gp_referral",
)
# insurers a person may name, by the name they would type
KNOWN_INSURERS = (
    "Bupa", "AXA", "Vitality", "WPA", "Aviva", "Simplyhealth", "Cigna", "Allianz",
    "Freedom", "Saga", "Benenden", "Westfield", "Healthshield", "Howdens",
)


def _call_us(settings: ClinicSettings, about: str) -> str:
    return f"I don't have the details about {about} here: please call us on {settings.phone}."


def _text(info: Mapping[str, object], key: str) -> str:
    value = info.get(key)
    return value.strip() if isinstance(value, str) else ""


def insurers_named(text: str) -> list[str]:
    """The insurers a message names, as written in KNOWN_INSURERS."""
    return [name for name in KNOWN_INSURERS if re.search(rf"\b{name}\b", text, re.IGNORECASE)]


def _insurance(settings: ClinicSettings, info: Mapping[str, object], text: str) -> str:
    insurers = info.get("insurers")
    listed = [str(name) for name in insurers if str(name).strip()] if isinstance(
        insurers, list
    ) else []
    note = _text(info, "insurance")
    if not listed and not note:
        return _call_us(settings, "insurance")
    parts: list[str] = []
    for name in insurers_named(text):
        accepted = any(name.lower() in insurer.lower() for insurer in listed)
        parts.append(
            f"Yes, we are registered with {name}." if accepted else
            f"We are not registered with {name}, so please check with them or call us on "
            f"{settings.phone}; you can always pay for yourself."
        )
    if listed and not parts:
        parts.append(f"We are registered with {', '.join(listed)}.")
    if note:
        parts.append(note)
    return " ".join(parts)


def answer(topic: str, settings: ClinicSettings, text: str = "") -> str:
    """The clinic's answer to one topic of TOPICS; ``text`` is the person's message."""
    info = settings.questions
    if topic == "insurance":
        return _insurance(settings, info, text)
    if topic == "hours":
        if not settings.opening_hours:
            return _call_us(settings, "our opening hours")
        return f"We are open {settings.opening_hours_text()} (UK time)."
    if topic == "address":
        return f"We are at {settings.address}." if settings.address else _call_us(
            settings, "how to find us"
        )
    if topic == "parking":
        found = " ".join(part for part in (_text(info, "parking"), _text(info, "access")) if part)
        if not found:
            return _call_us(settings, "parking and access")
        # getting here: the address first, then where to park
        return f"We are at {settings.address}. {found}" if settings.address else found
    names = {
        "fees": "our fees",
        "what_to_bring": "what to bring",
        "cancellation": "cancelling",
        "self_referral": "booking without a referral",
        "gp_referral": "referrals",
    }
    if topic not in names:
        return _call_us(settings, "that")
    return _text(info, topic) or _call_us(settings, names[topic])


def answers(topics: Sequence[str], settings: ClinicSettings, text: str = "") -> str:
    """One reply for one or two topics ("how much is it, and do you take AXA?")."""
    if not topics:
        return _call_us(settings, "that")
    if "parking" in topics:  # the parking answer already gives the address
        topics = [topic for topic in topics if topic != "address"]
    return " ".join(answer(topic, settings, text) for topic in dict.fromkeys(topics))


# a second topic is answered too when the model gives it at least this share
SECOND_TOPIC_SHARE = 0.3


def topics_to_answer(ranking: Sequence[tuple[str, float]], text: str) -> list[str]:
    """The best topic, a close second one, and insurance when an insurer is named."""
    topics = [topic for topic, _ in ranking[:1]]
    topics += [topic for topic, share in ranking[1:2] if share >= SECOND_TOPIC_SHARE]
    if insurers_named(text) and "insurance" not in topics:
        topics.append("insurance")
    return [topic for topic in topics if topic in TOPICS]
