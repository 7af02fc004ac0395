"""SMS replies stay in the GSM-7 alphabet, so a segment holds 160 characters, not 70."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from channels.sms_text import is_gsm7, plain_sms

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("text", "plain"), [
    ("• a hot, swollen knee\n• fever", "- a hot, swollen knee\n- fever"),
    ("you’re welcome — any time…", "you're welcome - any time..."),
    ("“not sure” counts as yes", '"not sure" counts as yes'),
    ("NHS 111, 999 or A&E; £50 for 45 minutes", "NHS 111, 999 or A&E; £50 for 45 minutes"),
])
def test_plain_sms(text: str, plain: str) -> None:
    assert plain_sms(text) == plain
    assert is_gsm7(plain)


@pytest.mark.parametrize(("text", "expected"), [
    ("plain text, 07911 123456 (£5) é à ü ñ", True),
    ("a bullet •", False),
    ("an emoji 🙂", False),
    ("curly ’ apostrophe", False),
])
def test_is_gsm7(text: str, expected: bool) -> None:
    assert is_gsm7(text) is expected


def every_response_text() -> list[tuple[str, str]]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    clinic = yaml.safe_load((ROOT / "clinic.yml").read_text(encoding="utf-8"))
    sample = {key: str(value) for key, value in clinic.items() if not isinstance(value, dict)}
    texts = []
    for name, variations in domain["responses"].items():
        for variation in variations:
            filled = re.sub(r"\{(\w+)\}", lambda m: sample.get(m.group(1), "x"),
                            variation.get("text", ""))
            texts.append((name, filled))
    return texts


@pytest.mark.parametrize(("name", "text"), every_response_text())
def test_every_response_fits_one_sms_alphabet(name: str, text: str) -> None:
    assert is_gsm7(plain_sms(text)), [char for char in plain_sms(text) if not is_gsm7(char)]
