"""kneecare.clinic_answers: clinic questions answered from clinic.yml's settings."""

from __future__ import annotations

import pytest

from kneecare.clinic import parse_settings
from kneecare.clinic_answers import TOPICS, answer, answers, topics_to_answer

BASE = {"name": "Test Clinic", "phone": "01234 567890", "booking_link": "https://example.org"}
FILLED = {
    **BASE,
    "address": "1 High Street, Testtown TT1 1TT",
    "opening_hours": {"monday": ["09:00", "17:00"]},
    "clinic_questions": {
        "fees": "A first visit is £70.",
        "insurers": ["Bupa", "AXA Health"],
        "insurance": "Bring your authorisation number.",
        "parking": "Two spaces out front.",
        "access": "Step-free entrance.",
        "what_to_bring": "Shorts and trainers.",
        "cancellation": "A day's notice, please.",
        "self_referral": "Yes, book directly.",
        "gp_referral": "No referral needed.",
    },
}


@pytest.mark.parametrize(
    "topic, expected",
    [
        ("fees", "A first visit is £70."),
        ("hours", "Mon 09:00-17:00"),
        ("address", "1 High Street"),
        ("parking", "1 High Street, Testtown TT1 1TT. Two spaces out front. Step-free entrance."),
        ("what_to_bring", "Shorts and trainers."),
        ("cancellation", "A day's notice"),
        ("self_referral", "book directly"),
        ("gp_referral", "No referral needed."),
        ("insurance", "We are registered with Bupa, AXA Health."),
    ],
)
def test_a_filled_in_value_is_the_answer(topic: str, expected: str) -> None:
    assert expected in answer(topic, parse_settings(FILLED))


@pytest.mark.parametrize("topic", TOPICS)
def test_an_empty_value_says_please_call_us(topic: str) -> None:
    text = answer(topic, parse_settings(BASE))
    assert "please call us on 01234 567890" in text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("do you take axa?", "Yes, we are registered with AXA."),
        ("is Vitality ok", "We are not registered with Vitality"),
    ],
)
def test_a_named_insurer_gets_a_yes_or_no(text: str, expected: str) -> None:
    assert expected in answer("insurance", parse_settings(FILLED), text)


def test_two_close_topics_and_a_named_insurer_are_all_answered() -> None:
    ranking = [("fees", 0.55), ("address", 0.35), ("hours", 0.1)]
    topics = topics_to_answer(ranking, "how much is it and where are you, and is WPA fine?")
    assert topics == ["fees", "address", "insurance"]
    reply = answers(topics, parse_settings(FILLED), "is WPA fine?")
    assert "£70" in reply and "High Street" in reply and "WPA" in reply


def test_a_distant_second_topic_is_left_out() -> None:
    assert topics_to_answer([("parking", 0.8), ("hours", 0.1)], "can I park?") == ["parking"]


def test_the_project_clinic_file_answers_every_topic() -> None:
    from kneecare.clinic import load_settings

    settings = load_settings()
    for topic in TOPICS:
        assert "please call us" not in answer(topic, settings), topic
