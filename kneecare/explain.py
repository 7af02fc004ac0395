"""Turns a triage outcome into the "why" a person reads.

Every outcome must say why it was given, in the person's own terms: the
clinical reason (from criteria.yml) followed by what they told us that led to
it ("you told me: pain for about 3 weeks, 8/10 at worst").
"""

from __future__ import annotations

from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome

SCREEN_NOTE = "you answered yes or not sure to one of the safety questions, so we treat it as yes"


def describe_duration(days: float) -> str:
    """A duration in days as people say it: '2 days', 'about 3 weeks', 'about 4 months'."""
    if days < 1:
        return "less than a day"
    if days < 14:
        whole = round(days)
        return f"{whole} day{'s' if whole != 1 else ''}"
    if days < 60:
        return f"about {round(days / 7)} weeks"
    if days < 730:
        return f"about {round(days / 30.4)} months"
    return f"about {round(days / 365)} years"


def what_you_told_me(answers: TriageAnswers) -> list[str]:
    """The person's own answers that matter for the outcome, in plain words."""
    told: list[str] = []
    if answers.pain_duration_days is not None:
        told.append(f"pain for {describe_duration(answers.pain_duration_days)}")
    if answers.pain_score is not None:
        told.append(f"{answers.pain_score}/10 at its worst")
    if answers.limits_activity:
        told.append("it limits what you can do")
    if answers.alters_gait:
        told.append("it changes how you walk")
    if answers.injury:
        told.append("it started with an injury")
    if answers.age is not None:
        told.append(f"age {answers.age}")
    return told


def explain(outcome: Outcome, answers: TriageAnswers) -> str:
    """One or two sentences: the reasons, then what the person told us."""
    reasons = list(outcome.why)
    if outcome.from_screens and len(outcome.from_screens) == len(outcome.red_flags):
        reasons.append(SCREEN_NOTE)
    text = "; ".join(reasons)
    told = what_you_told_me(answers)
    if told:
        text += f". You told me: {', '.join(told)}"
    return text
