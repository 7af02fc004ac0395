"""Names given in passing are redacted; ordinary sentences are left alone."""

from __future__ import annotations

import pytest

from kneecare.cases.contact import redact
from kneecare.names_in_text import redact_names


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi, I'm Priyanka Okonkwo-Smith", "Hi, I'm [name]"),
    ("hi im Tom, my knee hurts", "hi im [name], my knee hurts"),
    ("my name is sarah jane and my knee is swollen", "my name is [name] and my knee is swollen"),
    ("My name's Dev", "My name's [name]"),
    ("this is Jo, calling about my mum", "this is [name], calling about my mum"),
    ("Hello, this is Mrs Adaeze Obi from Hackney", "Hello, this is [name] from Hackney"),
    ("I am called Bartek", "I am called [name]"),
    ("it's Femi again, still sore", "it's [name] again, still sore"),
    ("call me Liz", "call me [name]"),
    ("I’m Siobhan", "I’m [name]"),
])
def test_names_introduced_in_passing_are_redacted(text: str, expected: str) -> None:
    assert redact_names(text) == expected


@pytest.mark.parametrize("text", [
    "I'm not sure how long it's been",
    "this is really painful when I walk",
    "I am 54 and my knee clicks",
    "it's swollen and hot",
    "I'm worried it is getting worse",
    "call me on the number I gave",
    "call me back please",
    "I'm British and live in Leeds",
    "my knee gives way on stairs",
    "This is the third week",
])
def test_ordinary_sentences_are_left_alone(text: str) -> None:
    assert redact_names(text) == text


def test_redact_covers_names_with_phone_numbers_and_e_mails() -> None:
    assert redact("I'm Jo Bloggs, ring 07911 123456 or jo@example.com") == (
        "I'm [name], ring [phone] or [email]")
