"""Names and contact routes inside call-back replies (table-driven)."""

from __future__ import annotations

import pytest

from kneecare.callback_replies import read_contact_route, read_name


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
