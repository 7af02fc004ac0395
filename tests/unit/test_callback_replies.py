"""Names and contact routes inside call-back replies (table-driven)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kneecare.callback_replies import (
    means_this_number,
    read_contact_route,
    read_name,
    texting_number,
)
from kneecare.cases.contact import ContactDetails

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sam Patel", "Sam Patel"),
        ("my name is sam", "sam"),
        ("it's Aoife O'Brien", "Aoife O'Brien"),
        ("I'm Dr. Jane Smith", "Dr. Jane Smith"),
        ("07700 900123", None),
        ("sam@example.com", None),
        ("", None),
        ("please just call me back whenever you have a moment thanks a lot", None),
    ],
)
def test_read_name(text: str, expected: str | None) -> None:
    assert read_name(text) == expected


@pytest.mark.parametrize(
    "text, phone, email",
    [
        ("020 7946 0018", "+442079460018", None),
        ("call me on 07911 123456 after 5", "+447911123456", None),
        ("+44 7911 123456", "+447911123456", None),
        ("+1 415 555 2671", "+14155552671", None),
        ("+33 1 42 68 53 00", "+33142685300", None),
        ("Sam.Patel@Example.com", None, "Sam.Patel@example.com"),
        ("email me at sam@example.co.uk please", None, "sam@example.co.uk"),
    ],
)
def test_read_contact_route(text: str, phone: str | None, email: str | None) -> None:
    contact = read_contact_route(text)
    assert contact is not None
    assert (contact.phone, contact.email) == (phone, email)


@pytest.mark.parametrize("text", ["12345", "call me", "sam@", "0000 000000", "not telling"])
def test_unusable_routes_are_refused(text: str) -> None:
    assert read_contact_route(text) is None


@pytest.mark.parametrize(("text", "means"), [
    ("call me on this number", True),
    ("this number is fine", True),
    ("same number", True),
    ("the number I'm texting from", True),
    ("just ring me here", True),
    ("my mobile please", True),
    ("call me on 07911 123456", False),  # a number of its own
    ("jo@example.com", False),
    ("after 5pm please", False),
    ("I don't have a number", False),
])
def test_call_me_on_this_number(text: str, means: bool) -> None:
    assert means_this_number(text) is means


def test_the_texting_number_is_validated() -> None:
    assert texting_number("whatsapp:+447911123456") == ContactDetails("-", "+447911123456")
    assert texting_number("+447700900123") is None  # a drama number: not in use


def test_every_example_number_the_chat_offers_is_one_it_accepts() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    texts = [variation["text"] for variation in domain["responses"]["utter_ask_contact_route"]]
    examples = [example.strip(" .:") for text in texts if "for example" in text
                for example in re.split(r",| or ", text.split("for example", 1)[1])
                if example.strip(" .:")]
    assert len(examples) >= 3
    for example in examples:
        assert read_contact_route(example) is not None, example
