"""Long conversations for the soak test: one seeded plan per simulated person.

A plan fills an exact number of user turns: a greeting and a few knee pain
questions, a symptom check answered to an outcome (the way the web widget's
buttons answer, as in bench.conversations, but with one of five answer
profiles so the outcomes differ), thanks, then more questions and small talk
and a goodbye. The seed picks the phrasings, the profile and the order, so no
two conversations are the same and a failing run can be replayed.

Every phrase was checked against the trained model to be understood as what
it is meant to be (a question never starts the symptom check by accident),
and none carries contact details, which the tracker store would redact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.conversations import BUTTON_ANSWERS

GREETINGS = ("hi", "hello", "good morning", "hey, can you help me", "hello there")
THANKS = ("thanks", "thank you", "cheers", "thanks a lot")
SMALL_TALK = ("are you a bot", "is this a real physio?", "how do i book", "can i book online")
GOODBYES = ("bye", "goodbye")
# one question for each topic of the clinic's article, in plain words
QUESTIONS = (
    "why does my knee hurt when I walk?",
    "is it ok to keep walking with arthritis in my knee?",
    "what shoes are best for sore knees",
    "how far should I walk with knee pain",
    "would losing weight help my knees",
    "what exercises help knee pain",
    "can changing the way I walk help my knees",
    "when should I see a physio about my knee",
    "does sports massage help knee pain",
    "is private physio better than NHS physio",
    "how can I stop knee pain coming back",
    "what treatments are there for knee pain",
    "what can I do at home for a sore knee",
    "should I use ice or heat on my knee",
)
TRIAGE_OPENINGS = ("/start_triage", "can you check my symptoms", "check my knee symptoms please",
                   "i'd like an assessment")


@dataclass(frozen=True)
class Profile:
    """How one person answers the symptom check, and the outcome that must follow."""

    outcome: str  # the response name, utter_outcome_<level>
    answers: dict[str, str]  # question (response name) -> answer
    questions: int  # how many questions are asked before the outcome


PROFILES = (
    Profile("utter_outcome_emergency", {**BUTTON_ANSWERS, "utter_ask_screen_emergency": "/affirm"},
            questions=2),
    Profile("utter_outcome_same_day", {**BUTTON_ANSWERS, "utter_ask_screen_same_day": "/affirm"},
            questions=3),
    Profile("utter_outcome_gp_soon", {**BUTTON_ANSWERS, "utter_ask_screen_gp_soon": "/affirm"},
            questions=5),
    Profile("utter_outcome_physio", BUTTON_ANSWERS, questions=9),
    Profile("utter_outcome_self_care",
            {**BUTTON_ANSWERS, "utter_ask_pain_duration_days": "5 days",
             "utter_ask_limits_activity": "/deny", "utter_ask_pain_score": "3",
             "utter_ask_age": "40"},
            questions=9),
)
# around the symptom check: greeting, question, opening / thanks, question, goodbye
FIXED_TURNS = 6


@dataclass(frozen=True)
class Plan:
    """What one person says, in order; the symptom check's answers depend on what is asked."""

    sender: str
    before: tuple[str, ...]  # greeting and questions
    triage_opening: str
    profile: Profile
    after: tuple[str, ...]  # thanks first, then more than enough questions and small talk
    goodbye: str


def shortest_conversation() -> int:
    """The fewest turns a plan can have (the quickest profile)."""
    return FIXED_TURNS + min(profile.questions for profile in PROFILES)


def plan(sender: str, turns: int, seed: int) -> Plan:
    """A conversation of exactly ``turns`` user messages, varied by ``seed``."""
    if turns < shortest_conversation():
        raise ValueError(f"a conversation needs at least {shortest_conversation()} turns")
    rng = random.Random(seed)
    room = turns - FIXED_TURNS  # for the triage answers and extra questions before it
    profile = rng.choice([profile for profile in PROFILES if profile.questions <= room])
    questions = rng.sample(QUESTIONS, len(QUESTIONS))
    asked_before = 1 + rng.randint(0, min(2, room - profile.questions))
    before, rest = questions[:asked_before], questions[asked_before:]
    extras = rng.sample([*rest, *SMALL_TALK], len(rest) + len(SMALL_TALK))
    after = [rng.choice(THANKS)]
    while len(after) < turns:  # repeats only for very long conversations
        after += extras
    return Plan(
        sender=sender,
        before=(rng.choice(GREETINGS), *before),
        triage_opening=rng.choice(TRIAGE_OPENINGS),
        profile=profile,
        after=tuple(after[:turns]),
        goodbye=rng.choice(GOODBYES),
    )
