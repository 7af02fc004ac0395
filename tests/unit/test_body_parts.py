"""kneecare.language.routing.other_body_part: the body part named in a redirect."""

from __future__ import annotations

import pytest

from kneecare.language.routing import is_question, other_body_part


@pytest.mark.parametrize(
    "text, part",
    [
        ("my heel is sore when I walk the dog", "heel"),
        ("pain deep in my hip at night", "hip"),
        ("rolled my ankle on a kerb", "ankle"),
        ("my lower back seizes up after gardening", "back"),
        ("shoulder clicks when I lift my arm", "shoulder"),
        ("pulled my hamstring sprinting", "hamstring"),
        ("torn meniscus, can I still cycle?", None),
        ("the back of my knee feels tight", None),
        ("my knee came back to normal after a week", None),
        ("which shoes with a low heel are kind to knees?", None),
        ("do you have parking at the back of the building?", None),
        ("is it all exercises or is there hands-on treatment as well?", None),
        ("my hands go numb when I type", "hand"),
        ("is standing all day bad for your back?", "back"),
        ("my knees are fine, it's the groin that aches on walks", "hip"),
        ("not my knee this time, my ankle keeps rolling", "ankle"),
    ],
)
def test_other_body_part(text: str, part: str | None) -> None:
    assert other_body_part(text) == part


@pytest.mark.parametrize(
    "text, asked",
    [
        ("Can't straighten it since lunch.", False),
        ("Can I walk on it?", True),
        ("does ice help", True),
    ],
)
def test_is_question(text: str, asked: bool) -> None:
    assert is_question(text) is asked
