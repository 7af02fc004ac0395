"""Converts between Rasa slots and the triage answers of ``kneecare.triage``.

Slots can hold anything a client or an old tracker put there, so reading is
defensive: a value of the wrong type is treated as unknown rather than
crashing the action server.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rasa_sdk.events import EventType, SlotSet

from kneecare.explain import subject_name
from kneecare.findings import Evidence, Subject
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.screen_items import SEVERAL, item, pick_slot

SCREEN_SLOTS = ("screen_emergency", "screen_same_day", "screen_ottawa", "screen_gp_soon")
SCREEN_VALUES = frozenset({"yes", "no", "unsure"})
BOOL_SLOTS = ("limits_activity", "alters_gait", "injury")
SIGN_SLOTS = {"signs": "signs", "denied_signs": "denied", "unsure_signs": "unsure"}
PICK_SLOTS = {screen: pick_slot(screen) for screen in SCREEN_SLOTS}
EVIDENCE_STATUSES = frozenset({"present", "absent", "unsure", "past", "other_person"})
WHO_VALUES = frozenset({"self", "other", "unclear"})


def _number(value: Any, low: float, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _ids(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(item for item in value if isinstance(item, str))
    return frozenset()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _evidence(value: Any) -> tuple[Evidence, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(
        Evidence(entry["sign"], entry["status"], entry["text"])
        for entry in value
        if isinstance(entry, dict)
        and isinstance(entry.get("sign"), str)
        and entry.get("status") in EVIDENCE_STATUSES
        and isinstance(entry.get("text"), str)
    )


def _picks(slots: Mapping[str, Any]) -> dict[str, str]:
    picks = {}
    for screen, slot in PICK_SLOTS.items():
        value = slots.get(slot)
        if value == SEVERAL or (isinstance(value, str) and item(value) is not None):
            picks[screen] = value
    return picks


def _subject(slots: Mapping[str, Any]) -> Subject:
    who = slots.get("subject_who")
    if who not in WHO_VALUES:
        return Subject()
    return Subject(who=who, relation=_text(slots.get("subject_relation")))


def answers_from_slots(slots: Mapping[str, Any]) -> TriageAnswers:
    """Build triage answers from slot values, ignoring malformed ones."""
    duration = _number(slots.get("pain_duration_days"), 0, 36500)
    score = _number(slots.get("pain_score"), 0, 10)
    age = _number(slots.get("age"), 0, 120)
    screens = {
        name: slots[name] for name in SCREEN_SLOTS if slots.get(name) in SCREEN_VALUES
    }
    return TriageAnswers(
        pain_duration_days=duration,
        pain_score=int(round(score)) if score is not None else None,
        age=int(age) if age is not None else None,
        limits_activity=_boolean(slots.get("limits_activity")),
        alters_gait=_boolean(slots.get("alters_gait")),
        injury=_boolean(slots.get("injury")),
        signs=_ids(slots.get("signs")),
        denied=_ids(slots.get("denied_signs")),
        unsure=_ids(slots.get("unsure_signs")),
        screens=screens,
        subject=_subject(slots),
        age_withheld=slots.get("age_withheld") is True,
        not_sure=_ids(slots.get("not_sure_answers")),
        picks=_picks(slots),
        evidence=_evidence(slots.get("sign_evidence")),
        unclear_signs=_ids(slots.get("unclear_signs")),
    )


def slots_from_answers(answers: TriageAnswers) -> dict[str, Any]:
    """The slot values that represent these answers."""
    values: dict[str, Any] = {
        "pain_duration_days": answers.pain_duration_days,
        "pain_score": answers.pain_score,
        "age": answers.age,
        "limits_activity": answers.limits_activity,
        "alters_gait": answers.alters_gait,
        "injury": answers.injury,
        "signs": sorted(answers.signs),
        "denied_signs": sorted(answers.denied),
        "unsure_signs": sorted(answers.unsure),
    }
    values.update({name: answers.screens.get(name) for name in SCREEN_SLOTS})
    values.update({slot: answers.picks.get(screen) for screen, slot in PICK_SLOTS.items()})
    values.update(
        subject_who=answers.subject.who if answers.subject.who != "self" else None,
        subject_relation=answers.subject.relation,
        subject_name=subject_name(answers.subject),
        age_withheld=answers.age_withheld or None,
        not_sure_answers=sorted(answers.not_sure),
        unclear_signs=sorted(answers.unclear_signs),
        sign_evidence=[
            {"sign": e.sign, "status": e.status, "text": e.text} for e in answers.evidence
        ],
    )
    return values


def changed_slot_events(before: TriageAnswers, after: TriageAnswers) -> list[EventType]:
    """SlotSet events only for the slots whose value changed."""
    old, new = slots_from_answers(before), slots_from_answers(after)
    return [SlotSet(name, value) for name, value in new.items() if old[name] != value]
