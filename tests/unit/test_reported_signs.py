"""Signs read back from the stored messages (kneecare/triage/reported_signs.py).

A red flag reported while the action server was down never reached the form's
slots; the assessment reads it back from the message Rasa stored, with the
person's words. Later corrections count, form answers are never overruled.
"""

from __future__ import annotations

from typing import Any

import pytest

from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import assess
from kneecare.triage.reported_signs import (
    findings_of_message,
    user_messages,
    with_reported_signs,
)


def sign(text: str, words: str, value: str, role: str = "present") -> dict[str, Any]:
    start = text.index(words)
    return {"entity": "sign", "value": value, "role": role, "start": start,
            "end": start + len(words)}


CALF = "my calf has puffed right up and I get breathless on the stairs"
CALF_ENTITIES = [sign(CALF, "calf has puffed right up", "calf_pain"),
                 sign(CALF, "breathless", "chest_symptoms")]


def test_a_red_flag_only_in_a_stored_message_decides_the_outcome() -> None:
    screened = TriageAnswers(screens={"screen_emergency": "no", "screen_same_day": "no"})
    assert assess(screened).level not in ("emergency", "same_day")
    answers = with_reported_signs(screened, [("hello", []), (CALF, CALF_ENTITIES)])
    outcome = assess(answers)
    assert outcome.level == "emergency"
    assert "dvt_with_chest" in outcome.red_flags
    assert {item.text for item in answers.evidence} == {"calf has puffed right up",
                                                         "breathless"}


@pytest.mark.parametrize(
    "messages, standing",
    [
        ([(CALF, CALF_ENTITIES)], {"calf_pain", "chest_symptoms"}),
        # a later message takes a sign back
        ([(CALF, CALF_ENTITIES),
          ("sorry, not breathless at all", [sign("sorry, not breathless at all", "breathless",
                                                 "chest_symptoms", "absent")])],
         {"calf_pain"}),
        # someone else's or denied signs carry no present role: nothing is added
        ([("no fever", [sign("no fever", "fever", "fever", "absent")])], set()),
        # entities of other kinds are ignored
        ([("3 weeks", [{"entity": "pain_duration", "value": 21, "start": 0, "end": 7}])], set()),
    ],
)
def test_signs_still_standing_after_every_message(
    messages: list[tuple[str, list[dict[str, Any]]]], standing: set[str]
) -> None:
    assert with_reported_signs(TriageAnswers(), messages).signs == standing


def test_doubted_signs_are_added_as_unsure_and_answers_are_never_overruled() -> None:
    text = "maybe a bit warm"
    doubted = [(text, [sign(text, "warm", "knee_hot", "unsure")])]
    assert with_reported_signs(TriageAnswers(), doubted).unsure == {"knee_hot"}
    answered = TriageAnswers(signs=frozenset({"knee_hot"}))
    assert with_reported_signs(answered, doubted) == answered


def test_the_words_are_the_persons_own_slice_of_the_message() -> None:
    found = findings_of_message(CALF, CALF_ENTITIES)
    assert [(item.sign, item.text) for item in found.evidence] == [
        ("calf_pain", "calf has puffed right up"), ("chest_symptoms", "breathless")]


def test_user_messages_are_read_from_tracker_events_in_order() -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hi", "parse_data": {"entities": []}},
        {"event": "bot", "text": "hello"},
        {"event": "user", "text": CALF, "parse_data": {"entities": CALF_ENTITIES}},
        {"event": "user", "text": None},
    ]
    assert user_messages(events) == [("hi", []), (CALF, CALF_ENTITIES), ("", [])]


@pytest.mark.parametrize(
    "signs, flag",
    [({"calf_pain", "chest_symptoms"}, "dvt_with_chest"), ({"calf_pain"}, "dvt_signs"),
     ({"knee_hot", "knee_swollen", "fever"}, "infection_signs"), (set(), None)],
)
def test_red_flags_of_the_signs_rasa_recorded(signs: set[str], flag: str | None) -> None:
    from kneecare.triage.reported_signs import red_flags_in

    found = red_flags_in(signs)
    assert (found[0] if found else None) == flag
