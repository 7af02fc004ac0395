"""The three-line summary a receptionist reads before calling someone back.

Line 1: the level and the main reasons, in the clinic's words for staff (the
``says`` column of criteria.yml). Line 2: the key answers. Line 3: what the
person was told to do, or what they asked for. Built from the structured
answers; a reason names the screening item the person picked (or says they
said yes to one of a list), "not sure" answers read "not sure", and the
person's own words behind a reason are quoted with contact details redacted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from kneecare.cases.contact import redact
from kneecare.explain import Reason, describe_duration, is_bare, quote
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


def staff_reason(reason: Reason) -> str:
    """A reason for staff: the clinic's words (or the screen answer), and the person's words."""
    known = load_criteria()
    words = (
        reason_words(reason.rule_id)
        if reason.rule_id in known.red_flags and not reason.text.startswith("you said")
        or reason.rule_id in known.physio_criteria
        or reason.rule_id in ROUTE_WORDS
        else reason.text.removeprefix("you ")
    )
    if reason.backing and not is_bare(reason.backing[-1].text):
        words += f" - {quote(redact(reason.backing[-1].text))}"
    return words


def triage_reasons_line(level: str | None, reasons: Sequence[Reason]) -> str:
    """Line 1 of a triage case: the level, then the main reasons with the person's words."""
    words = [staff_reason(reason) for reason in reasons[:MAX_REASONS_SHOWN]]
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
    not_sure: frozenset[str] = frozenset(),
    age_withheld: bool = False,
) -> str:
    def yes_no(value: bool | None, question: str = "") -> str:
        if question in not_sure:
            return "not sure"
        return "?" if value is None else "yes" if value else "no"

    duration = "?" if pain_duration_days is None else describe_duration(pain_duration_days)
    parts = [
        f"pain {duration}",
        f"score {'?' if pain_score is None else f'{pain_score}/10'}",
        f"limits activity {yes_no(limits_activity, 'limits_activity')}",
        f"limp {yes_no(alters_gait, 'alters_gait')}",
        f"injury {yes_no(injury, 'injury')}",
        f"age {age if age is not None else 'not given' if age_withheld else '?'}",
        f"warning signs: {'; '.join(map(reason_words, red_flags)) if red_flags else 'none'}",
    ]
    return "Answers: " + "; ".join(parts)


def told_line(level: str) -> str:
    return f"Told to: {load_criteria().level(level).action}"


def callback_line(reason: str) -> str:
    return f"Asked for a call-back: {reason}" if reason else "Asked for a call-back"
