"""The three-line summary a receptionist reads before calling someone back.

Line 1: the level and the main reasons, in the clinic's words for staff (the
``says`` column of criteria.yml). Line 2: the key answers. Line 3: what the
person was told to do, or what they asked for. Built from the structured
answers only, so it never contains contact details.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from kneecare.explain import describe_duration
from kneecare.triage.criteria import load_criteria

LEVEL_LABELS: Final = {
    "emergency": "EMERGENCY",
    "same_day": "Same day",
    "gp_soon": "GP soon",
    "physio": "Physio",
    "self_care": "Self-care",
}
ROUTE_WORDS: Final = {
    "under_16": "under 16: GP before physio self-referral",
    "no_concerns": "no concerns found",
}
MAX_REASONS_SHOWN: Final = 2


def level_label(level: str | None) -> str:
    return LEVEL_LABELS.get(level or "", "No triage")


def reason_words(rule_id: str) -> str:
    """What a rule id means, for staff ('cannot_bear_weight' -> 'cannot put any weight ...')."""
    criteria = load_criteria()
    rule = criteria.red_flags.get(rule_id) or criteria.physio_criteria.get(rule_id)
    if rule is not None:
        return rule.says
    return ROUTE_WORDS.get(rule_id, rule_id.replace("_", " "))


def reasons_line(level: str | None, reasons: Sequence[str]) -> str:
    words = [reason_words(rule_id) for rule_id in reasons[:MAX_REASONS_SHOWN]]
    more = len(reasons) - MAX_REASONS_SHOWN
    if more > 0:
        words.append(f"+{more} more")
    return f"{level_label(level)}: {'; '.join(words)}" if words else level_label(level)


def answers_line(
    *,
    pain_duration_days: float | None,
    pain_score: int | None,
    limits_activity: bool | None,
    alters_gait: bool | None,
    injury: bool | None,
    age: int | None,
    red_flags: Sequence[str],
) -> str:
    def yes_no(value: bool | None) -> str:
        return "?" if value is None else "yes" if value else "no"

    duration = "?" if pain_duration_days is None else describe_duration(pain_duration_days)
    parts = [
        f"pain {duration}",
        f"score {'?' if pain_score is None else f'{pain_score}/10'}",
        f"limits activity {yes_no(limits_activity)}",
        f"limp {yes_no(alters_gait)}",
        f"injury {yes_no(injury)}",
        f"age {'?' if age is None else age}",
        f"red flags {', '.join(red_flags) if red_flags else 'none'}",
    ]
    return "Answers: " + "; ".join(parts)


def told_line(level: str) -> str:
    return f"Told to: {load_criteria().level(level).action}"


def callback_line(reason: str) -> str:
    return f"Asked for a call-back: {reason}" if reason else "Asked for a call-back"
