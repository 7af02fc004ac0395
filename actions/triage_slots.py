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

from kneecare.triage.answers import TriageAnswers

SCREEN_SLOTS = ("screen_emergency", "screen_same_day", "screen_ottawa", "screen_gp_soon")
SCREEN_VALUES = frozenset({"yes", "no", "unsure"})
BOOL_SLOTS = ("limits_activity", "alters_gait", "injury")
SIGN_SLOTS = {"signs": "signs", "denied_signs": "denied", "unsure_signs": "unsure"}


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
    return values


def changed_slot_events(before: TriageAnswers, after: TriageAnswers) -> list[EventType]:
    """SlotSet events only for the slots whose value changed."""
    old, new = slots_from_answers(before), slots_from_answers(after)
    return [SlotSet(name, value) for name, value in new.items() if old[name] != value]
