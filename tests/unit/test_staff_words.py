"""Table-driven tests of the plain words shown to staff."""

from __future__ import annotations

import pytest

from kneecare.staff_words import (
    button_titles,
    channel_label,
    duration_words,
    national_phone,
    shown_text,
    tel_href,
)


@pytest.mark.parametrize(
    ("channel", "label"),
    [
        ("socketio", "website chat"),
        ("rest", "website chat"),
        ("channels.socketio_persistent.SocketIOPersistentInput", "website chat"),
        ("twilio", "SMS"),
        ("whatsapp", "WhatsApp"),
        ("telegram", "Telegram"),
        ("carrier_pigeon", "another channel"),
        ("", "unknown channel"),
        (None, "unknown channel"),
    ],
)
def test_channel_label(channel: str | None, label: str) -> None:
    assert channel_label(channel) == label


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (None, "not given"),
        (0.5, "less than a day"),
        (1, "1 day"),
        (2, "2 days"),
        (7, "1 week"),
        (10, "10 days"),
        (14, "2 weeks"),
        (21, "3 weeks"),
        (30, "1 month"),
        (90, "3 months"),
        (365, "1 year"),
        (1000, "3 years"),
    ],
)
def test_duration_words(days: float | None, words: str) -> None:
    assert duration_words(days) == words


@pytest.mark.parametrize(
    ("number", "national", "href"),
    [
        ("+447911123456", "07911 123456", "tel:+447911123456"),
        ("+442079460000", "020 7946 0000", "tel:+442079460000"),
        ("+441214960000", "0121 496 0000", "tel:+441214960000"),
        ("+441632960001", "01632 960001", "tel:+441632960001"),
        ("+33123456789", "+33123456789", "tel:+33123456789"),
        ("", "", ""),
    ],
)
def test_phone_numbers(number: str, national: str, href: str) -> None:
    assert national_phone(number) == national
    assert tel_href(number) == href


def test_every_payload_in_the_domain_maps_back_to_its_title() -> None:
    titles = button_titles()
    assert titles, "domain.yml has buttons"
    for payload, title in titles.items():
        expected = title if payload.startswith("/") else payload  # a text payload is what was sent
        assert shown_text(payload) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/start_triage", "Check my symptoms"),
        ("my knee hurts", "my knee hurts"),
        ("/made_up_intent", "(tapped a button: made up intent)"),
    ],
)
def test_shown_text(text: str, shown: str) -> None:
    assert shown_text(text) == shown
