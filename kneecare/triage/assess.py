"""Turn what is known about a knee into a triage outcome and the next questions.

``assess`` applies the criteria table: every red flag (from the signs, or from
a "yes"/"unsure" screening answer) is collected and the most urgent level wins;
with no red flag an under-16 goes to a GP, otherwise any physiotherapist
criterion gives ``physio`` and nothing at all gives ``self_care``. Each outcome
carries the ids of the rules that decided it and their plain-English reasons.
``next_questions`` lists what the triage form still needs to ask, and stops
asking as soon as the answer can no longer change for the better.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from kneecare.triage.answers import TriageAnswers
from kneecare.triage.criteria import RedFlag, Thresholds, load_criteria
from kneecare.triage.predicates import (
    ESCALATIONS,
    PHYSIO_RULES,
    RED_FLAG_RULES,
    injured,
    is_child,
)
from kneecare.triage.screen_items import SEVERAL, item, pick_slot

# The triage form's slots, in the order they are asked.
QUESTION_ORDER: Final = (
    "screen_emergency",
    "screen_same_day",
    "injury",
    "screen_ottawa",
    "screen_gp_soon",
    "pain_duration_days",
    "limits_activity",
    "alters_gait",
    "pain_score",
    "age",
)
# The question "are these signs yours?" for signs of a message where it was
# unclear whose they are (``TriageAnswers.unclear_signs``).
WHOSE_SIGNS: Final = "whose_signs"
# Every slot of the form, as domain.yml lists them: the questions, each
# screen followed by its "which one?", all after "whose are these signs?".
FORM_SLOTS: Final = (
    WHOSE_SIGNS,
    *(
        name
        for slot in QUESTION_ORDER
        for name in ((slot, pick_slot(slot)) if slot.startswith("screen_") else (slot,))
    ),
)
# Once a red flag at one of these levels fired, nothing more is asked.
STOP_LEVELS: Final = frozenset({"emergency", "same_day"})


@dataclass(frozen=True)
class Outcome:
    """The triage decision and why it was made."""

    level: str  # emergency | same_day | gp_soon | physio | self_care
    red_flags: tuple[str, ...]  # every red flag that fired, most urgent first
    reasons: tuple[str, ...]  # the rule ids that decided the level
    flag_for_staff: bool
    why: tuple[str, ...]  # the plain-English reason of each of `reasons`
    # Red flags raised only by a screening answer, not by signs the person
    # described: word these as "you told us you have one of ...".
    from_screens: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Fired:
    id: str
    level: str
    from_screen: bool


def assess(answers: TriageAnswers, thresholds: Thresholds | None = None) -> Outcome:
    """The outcome for everything known so far (unknown answers raise nothing)."""
    t = thresholds or Thresholds.default()
    criteria = load_criteria()
    fired = _fired_red_flags(answers, t)
    if fired:
        level = fired[0].level
        reasons = tuple(flag.id for flag in fired if flag.level == level)
    else:
        reasons = tuple(
            rule_id for rule_id in criteria.physio_criteria if PHYSIO_RULES[rule_id](answers, t)
        )
        level = "physio"
        if is_child(answers, t):
            # Under-16s are not seen by physio self-referral: a GP sees them first.
            level, reasons = criteria.routing["under_16"].level, (*reasons, "under_16")
        elif not reasons:
            level, reasons = criteria.routing["no_concerns"].level, ("no_concerns",)
    return Outcome(
        level=level,
        red_flags=tuple(flag.id for flag in fired),
        reasons=reasons,
        flag_for_staff=criteria.level(level).flag_for_staff,
        why=tuple(criteria.why(reason, t) for reason in reasons),
        from_screens=tuple(flag.id for flag in fired if flag.from_screen),
    )


def red_flags(answers: TriageAnswers, thresholds: Thresholds | None = None) -> tuple[str, ...]:
    """The ids of every red flag that fired, most urgent first."""
    return tuple(flag.id for flag in _fired_red_flags(answers, thresholds or Thresholds.default()))


def next_questions(answers: TriageAnswers, thresholds: Thresholds | None = None) -> list[str]:
    """The form slots still to ask, in ``QUESTION_ORDER``, skipping what is known.

    Nothing once an emergency or same-day red flag fired: act at once. Once a
    GP-soon red flag fired, only what could still raise a more urgent one: the
    remaining screens, whether there was an injury (it decides the Ottawa
    screen), and the age when a limp was reported (a limping child).
    """
    t = thresholds or Thresholds.default()
    fired = _fired_red_flags(answers, t)
    levels = {flag.level for flag in fired}
    if levels & STOP_LEVELS:
        return []
    fired_ids = {flag.id for flag in fired}
    screens = load_criteria().screens
    duration = answers.pain_duration_days
    acute = duration is None or duration <= t.ottawa_max_days_since_injury

    def known(slot: str) -> bool:
        if slot in screens:
            return slot in answers.screens or bool(fired_ids & set(screens[slot].covers))
        if slot in ("injury", "limits_activity", "alters_gait"):
            sign_ids = {slot, "limp"} if slot == "alters_gait" else {slot}
            stated = bool(sign_ids & (answers.signs | answers.denied))
            return getattr(answers, slot) is not None or stated
        if slot == "age" and answers.age_withheld:
            return True
        return getattr(answers, slot) is not None

    wanted = [
        slot
        for slot in QUESTION_ORDER
        if not known(slot) and (slot != "screen_ottawa" or (injured(answers) and acute))
    ]
    if "gp_soon" in levels:
        child = replace(answers, age=t.child_age - 1)
        could_be_child_limp = (
            answers.age is None
            and not answers.age_withheld
            and RED_FLAG_RULES["child_limp"](child, t)
        )
        wanted = [
            slot
            for slot in wanted
            if slot in screens
            or (slot == "injury" and acute)
            or (slot == "age" and could_be_child_limp)
        ]
    return wanted


def follow_up_questions(
    answers: TriageAnswers, thresholds: Thresholds | None = None
) -> list[str]:
    """The "whose?" and "which one?" questions still to ask, before any other.

    "whose_signs" while signs of unclear ownership are held; then one
    "which one?" per screen answered yes or not sure, not for a screen whose
    flags the person's own words already raised, nor once they picked an
    item or pressed "More than one / not sure".
    """
    t = thresholds or Thresholds.default()
    from_signs = {rule_id for rule_id, rule in RED_FLAG_RULES.items() if rule(answers, t)}
    screens = load_criteria().screens
    whose = [WHOSE_SIGNS] if answers.unclear_signs else []
    return whose + [
        pick_slot(screen_id)
        for screen_id in QUESTION_ORDER
        if answers.screens.get(screen_id) in ("yes", "unsure")
        and screen_id not in answers.picks
        and not from_signs & set(screens[screen_id].covers)
    ]


def with_unclear_signs(answers: TriageAnswers) -> TriageAnswers:
    """The answers if the held signs of unclear ownership were the person's (the safe reading)."""
    return replace(answers, signs=answers.signs | answers.unclear_signs,
                   unclear_signs=frozenset())


def screen_flags(answers: TriageAnswers, screen_id: str) -> tuple[str, ...]:
    """The red flags a screen answer stands for: the picked item's, else every covered one."""
    picked = answers.picks.get(screen_id, SEVERAL)
    chosen = item(picked) if picked != SEVERAL else None
    covers = load_criteria().screens[screen_id].covers
    return (chosen.flag,) if chosen is not None and chosen.flag in covers else covers


def _fired_red_flags(answers: TriageAnswers, t: Thresholds) -> tuple[_Fired, ...]:
    """Red flags from the signs, then from screening answers, most urgent first."""
    criteria = load_criteria()
    from_signs = {rule_id for rule_id, rule in RED_FLAG_RULES.items() if rule(answers, t)}
    from_screens = {
        rule_id
        for screen_id, answer in answers.screens.items()
        if answer != "no"  # "unsure" counts as yes
        for rule_id in screen_flags(answers, screen_id)
        # a picked item is the person's own latest word: never ruled out
        if screen_id in answers.picks and answers.picks[screen_id] != SEVERAL
        or not _ruled_out(criteria.red_flags[rule_id], answers)
    } - from_signs
    fired = [
        _Fired(flag.id, _level(flag, answers, t), flag.id in from_screens)
        for flag in criteria.red_flags.values()
        if flag.id in from_signs | from_screens
    ]
    return tuple(sorted(fired, key=lambda flag: criteria.urgency(flag.level)))


def _level(flag: RedFlag, answers: TriageAnswers, t: Thresholds) -> str:
    if flag.escalates_to and ESCALATIONS[flag.id](answers, t):
        return flag.escalates_to
    return flag.level


def _ruled_out(flag: RedFlag, answers: TriageAnswers) -> bool:
    """Every sign of one of the flag's groups was denied ("no fever")."""
    denied = answers.denied | ({"injury"} if answers.injury is False else set())
    return any(group <= denied for group in flag.needs)
