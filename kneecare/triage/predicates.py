"""The clinical rules as small named predicates, one per id in ``criteria.yml``.

Each predicate takes the answers so far and the thresholds and says whether its
rule holds; its docstring gives an example of what a person might write. They
are registered against the rule ids of ``criteria.yml``, which holds each
rule's level, source and plain-English reason (a unit test checks that the two
lists match). For red flags a sign the person is unsure about counts as
present (err on the side of safety); the physiotherapist criteria count only
what was asserted.
"""

from __future__ import annotations

from collections.abc import Callable

from kneecare.triage.answers import TriageAnswers
from kneecare.triage.criteria import Thresholds

Predicate = Callable[[TriageAnswers, Thresholds], bool]

RED_FLAG_RULES: dict[str, Predicate] = {}
# Red flags whose level rises to the `escalates_to` of criteria.yml when this holds.
ESCALATIONS: dict[str, Predicate] = {}
PHYSIO_RULES: dict[str, Predicate] = {}


def _registers(table: dict[str, Predicate]) -> Callable[[str], Callable[[Predicate], Predicate]]:
    def register(rule_id: str) -> Callable[[Predicate], Predicate]:
        def add(predicate: Predicate) -> Predicate:
            if rule_id in table:
                raise ValueError(f"two predicates for {rule_id}")
            table[rule_id] = predicate
            return predicate

        return add

    return register


red_flag = _registers(RED_FLAG_RULES)
escalation = _registers(ESCALATIONS)
physio_criterion = _registers(PHYSIO_RULES)


# Facts the rules share.


def maybe(answers: TriageAnswers, *sign_ids: str) -> bool:
    """Any of the signs asserted or unsure: how red flags read signs."""
    return any(s in answers.signs or s in answers.unsure for s in sign_ids)


def said(answers: TriageAnswers, *sign_ids: str) -> bool:
    """Any of the signs asserted: how physiotherapist criteria read signs."""
    return any(s in answers.signs for s in sign_ids)


def injured(answers: TriageAnswers) -> bool:
    """The pain started with an injury (or the person is not sure it did not)."""
    return answers.injury is True or maybe(answers, "injury")


def injured_within(answers: TriageAnswers, days: float) -> bool:
    """An injury no more than ``days`` ago; an unknown duration counts as recent."""
    duration = answers.pain_duration_days
    return injured(answers) and (duration is None or duration <= days)


def is_child(answers: TriageAnswers, thresholds: Thresholds) -> bool:
    return answers.age is not None and answers.age < thresholds.child_age


# Red flags, in the order of the criteria table.


@red_flag("infection_signs")
def infection_signs(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My knee is red hot and puffy and I've got the shivers." """
    return maybe(a, "knee_hot", "knee_red", "knee_swollen") and maybe(a, "fever")


@red_flag("hot_swollen_no_fever")
def hot_swollen_no_fever(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's suddenly hot and swollen, no temperature though."

    With a fever (or unsure about one) this is infection_signs instead.
    """
    return maybe(a, "knee_hot") and maybe(a, "knee_swollen") and not maybe(a, "fever")


@red_flag("major_trauma")
def major_trauma(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I came off my motorbike at 40 mph." """
    return maybe(a, "major_trauma")


@red_flag("deformity")
def deformity(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My kneecap has popped out to the side and won't go back." """
    return maybe(a, "deformity")


@red_flag("cannot_straighten_after_injury")
def cannot_straighten_after_injury(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "Since I landed from the jump I can't lift my leg off the bed." """
    return maybe(a, "cannot_straighten_or_lift") and (injured(a) or maybe(a, "major_trauma"))


@red_flag("neurovascular")
def neurovascular(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My foot has gone white and cold" or "pins and needles down my shin." """
    return maybe(a, "foot_cold_pale_blue", "numbness_below_knee")


@red_flag("dvt_with_chest")
def dvt_with_chest(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My calf is swollen and now I'm short of breath." """
    return maybe(a, "calf_pain") and maybe(a, "chest_symptoms")


@red_flag("dvt_signs")
def dvt_signs(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My calf is tender and the whole leg is puffy."

    With chest symptoms (or unsure about them) this is dvt_with_chest instead.
    """
    return maybe(a, "calf_pain") and not maybe(a, "chest_symptoms")


@red_flag("ottawa_positive")
def ottawa_positive(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I twisted it yesterday and I still can't bend it to a right angle."

    The Ottawa knee rule is for acute injuries: it applies only within
    ``ottawa_max_days_since_injury`` of the injury (or when that is unknown).
    """
    older = a.age is not None and a.age >= t.ottawa_age
    return injured_within(a, t.ottawa_max_days_since_injury) and (
        older or maybe(a, "cannot_take_four_steps", "cannot_bend_right_angle", "bony_tenderness")
    )


@red_flag("cannot_bear_weight")
def cannot_bear_weight(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I can't put any weight on it" or "I can't walk at all." """
    return maybe(a, "cannot_bear_weight", "cannot_walk_at_all")


@red_flag("locked_knee")
def locked_knee(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's stuck bent and I can't get it to straighten." """
    return maybe(a, "knee_locked")


@red_flag("rapid_swelling_after_injury")
def rapid_swelling_after_injury(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It ballooned straight away after I twisted it." (The sign implies the injury.)"""
    return maybe(a, "rapid_swelling")


@red_flag("child_limp")
def child_limp(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "My 12-year-old has knee pain and is limping." """
    limping = a.alters_gait is True or maybe(a, "limp", "alters_gait", "cannot_walk_at_all")
    return is_child(a, t) and limping


@escalation("child_limp")
def child_cannot_walk(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "She can't walk at all." """
    return maybe(a, "cannot_walk_at_all")


@red_flag("cancer_signs")
def cancer_signs(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It aches all night whatever I take, and I've lost a stone without trying." """
    return maybe(a, "weight_loss", "night_or_constant_pain", "hard_lump", "past_cancer")


@red_flag("inflammatory_signs")
def inflammatory_signs(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's stiff for an hour every morning and my wrists are swollen too." """
    return maybe(a, "long_morning_stiffness", "several_swollen_joints")


@red_flag("rapid_worsening")
def rapid_worsening(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's getting worse by the day." """
    return maybe(a, "rapid_worsening")


@red_flag("injury_instability")
def injury_instability(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "Since I twisted it at football last month it keeps giving way." """
    return injured_within(a, t.recent_injury_days) and maybe(a, "giving_way")


@red_flag("recent_surgery")
def recent_surgery(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I had a knee replacement in March and now it's swollen." """
    return maybe(a, "recent_surgery")


@escalation("recent_surgery")
def recent_surgery_with_fever(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "...and I've got a temperature." """
    return maybe(a, "fever")


# Physiotherapist criteria, used only when no red flag fired.


@physio_criterion("persistent")
def persistent(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's been hurting for three weeks" or "not getting better 2 weeks after the fall."

    "Not improving 2 weeks after an injury" is the same test: the pain duration
    counts from the injury, so both are ``pain_duration_days >= persistent_days``.
    """
    return a.pain_duration_days is not None and a.pain_duration_days >= t.persistent_days


@physio_criterion("limits_activity")
def limits_activity(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I can't manage the stairs any more." """
    return a.limits_activity is True or said(a, "limits_activity")


@physio_criterion("alters_gait")
def alters_gait(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "I've been limping and favouring my other leg." """
    return a.alters_gait is True or said(a, "limp", "alters_gait")


@physio_criterion("severe")
def severe(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It's about an 8 out of 10." """
    return a.pain_score is not None and a.pain_score >= t.severe_score


@physio_criterion("giving_way")
def giving_way(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It buckles now and then." (After a recent injury: injury_instability.)"""
    return said(a, "giving_way") and not injured_within(a, t.recent_injury_days)


@physio_criterion("recurrent")
def recurrent(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "It keeps flaring up again every few months." """
    return said(a, "recurrent")


@physio_criterion("worsens_with_walking")
def worsens_with_walking(a: TriageAnswers, t: Thresholds) -> bool:
    """E.g. "The further I walk the worse it gets." """
    return said(a, "worsens_with_walking")
