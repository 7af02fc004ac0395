"""Contact details are validated, normalised to E.164, and redacted from logs."""

from __future__ import annotations

import logging

import pytest

from kneecare.cases.contact import (
    ContactDetails,
    InvalidContact,
    RedactingFilter,
    install_log_redaction,
    is_valid_email,
    normalise_email,
    normalise_phone,
    redact,
)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("07911 123456", "+447911123456"),  # UK mobile
        ("07911123456", "+447911123456"),
        ("(07911) 123-456", "+447911123456"),
        ("020 7946 0321", "+442079460321"),  # London landline
        ("0161 496 0000", "+441614960000"),  # Manchester landline
        ("0800 123 4567", "+448001234567"),  # freephone
        ("+44 7911 123456", "+447911123456"),
        ("+44 (0)20 7946 0321", "+442079460321"),
        ("0044 7911 123456", "+447911123456"),
        ("+1 415 555 2671", "+14155552671"),  # United States
        ("+33 1 42 68 53 00", "+33142685300"),  # France
        ("+353 85 123 4567", "+353851234567"),  # Ireland mobile
    ],
)
def test_valid_phone_numbers_are_normalised_to_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12345",  # too short
        "07911 12345",  # a digit missing
        "07911 1234567",  # a digit too many
        "07700 900123",  # Ofcom drama range: never diallable
        "+44 20 7946 03210",
        "+999 123 456 789",  # no such country code
        "call me",
        "0000 000 0000",
    ],
)
def test_invalid_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidContact):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("jo@example.com", "jo@example.com"),
        ("  Jo.Bloggs@Example.CO.UK ", "Jo.Bloggs@example.co.uk"),
        ("first.last+knee@mail.example.org", "first.last+knee@mail.example.org"),
        ("o'neil@example.ie", "o'neil@example.ie"),
        ("user@xn--bcher-kva.example", "user@xn--bcher-kva.example"),
    ],
)
def test_valid_emails_are_kept_with_a_lower_case_domain(raw: str, normalised: str) -> None:
    assert normalise_email(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "jo",
        "jo@",
        "@example.com",
        "jo@example",  # no top-level domain
        "jo@@example.com",
        "jo..bloggs@example.com",
        ".jo@example.com",
        "jo bloggs@example.com",
        "jo@-example.com",
        "jo@example.c",
        "<script>@example.com",
        "a" * 65 + "@example.com",
    ],
)
def test_invalid_emails_are_refused(raw: str) -> None:
    assert not is_valid_email(raw)
    with pytest.raises(InvalidContact):
        normalise_email(raw)


def test_contact_details_need_a_name_and_a_phone_or_an_email() -> None:
    contact = ContactDetails.create("  Jo   Bloggs ", phone="07911 123456", email="")
    assert contact == ContactDetails(name="Jo Bloggs", phone="+447911123456", email=None)
    with pytest.raises(InvalidContact, match="phone number or an e-mail"):
        ContactDetails.create("Jo", phone=" ", email=None)
    with pytest.raises(InvalidContact, match="name"):
        ContactDetails.create("   ", phone="07911 123456")
    with pytest.raises(InvalidContact, match="control"):
        ContactDetails.create("Jo\x00", phone="07911 123456")


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("call me on 07911 123456 please", "call me on [phone] please"),
        ("my number is +44 20 7946 0321.", "my number is [phone]."),
        ("made-up 07700 900123", "made-up [phone]"),
        ("mail Jo.Bloggs@example.co.uk or +1 415 555 2671",
         "mail [email] or [phone]"),
        ("pain 7/10 for 3 weeks since 2024-01-15, age 54",
         "pain 7/10 for 3 weeks since 2024-01-15, age 54"),
        ("no digits here", "no digits here"),
        # conversation ids (uuid4 hex) stay readable in logs, phone numbers next to them do not
        ("conversation 5e2b07911123456a9cf0e4d1b2c3d4e5 stored",
         "conversation 5e2b07911123456a9cf0e4d1b2c3d4e5 stored"),
        ("conversation 5e2b0a9c: 07911 123456", "conversation 5e2b0a9c: [phone]"),
        ("call07911123456", "call[phone]"),
        ("07911123456 in a short token 07911123456ab", "[phone] in a short token [phone]ab"),
    ],
)
def test_redact_replaces_phone_numbers_and_emails(text: str, redacted: str) -> None:
    assert redact(text) == redacted


def test_the_filter_redacts_message_arguments_and_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tests.redaction")
    redacting = RedactingFilter()
    caplog.handler.addFilter(redacting)
    try:
        logger.warning("call-back for %s at %s", "jo@example.com", "07911 123456")
        try:
            raise ValueError("bad number 07911 123456")
        except ValueError:
            logger.exception("failed")
    finally:
        caplog.handler.removeFilter(redacting)
    assert caplog.records[0].getMessage() == "call-back for [email] at [phone]"
    assert "07911" not in caplog.text and "jo@example.com" not in caplog.text
    assert "bad number [phone]" in caplog.text


def test_install_log_redaction_covers_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    original = logging.getLogRecordFactory()
    try:
        install_log_redaction()
        install_log_redaction()  # twice is harmless
        logging.getLogger("some.library").warning("user said %s", "ring 07911 123456")
    finally:
        logging.setLogRecordFactory(original)
    assert caplog.records[-1].getMessage() == "user said ring [phone]"
