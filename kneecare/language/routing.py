"""Whether a message is someone describing their own knee, not asking a question.

The statistical classifier sometimes reads "slight twinge in my right knee
since Tuesday, doesn't stop me doing anything" as an FAQ question about
self-care, because it shares words with one. A description that carries
personal findings (how long, how bad, a sign) and is not phrased as a
question is a symptom report: the triage should start, and the FAQ answer
would not help. Questions ("what exercises help if it's been 3 weeks?") stay
with the FAQ, which then offers the symptom check as a next step.
"""

from __future__ import annotations

import re

from kneecare.findings import Findings

QUESTION_OPENERS = re.compile(
    r"^\s*(what|whats|what's|why|how|which|when|where|who|should|shall|can|could|would|"
    r"will|is|are|am|does|do|did|has|have|was|were|any|anything|tips|advice|best|"
    r"ways?|recommend|tell me|explain|info|information)\b",
    re.IGNORECASE,
)
KNEE_WORDS = re.compile(r"\b(knee|knees|kneecap|leg|legs|patella|acl|meniscus)\b", re.IGNORECASE)
OTHER_BODY_PARTS = re.compile(
    r"\b(back|spine|neck|shoulders?|elbows?|wrists?|hands?|fingers?|hips?|ankles?|feet|foot|"
    r"toes?|head|chest|stomach|tummy|jaw|teeth|tooth|ears?|eyes?)\b",
    re.IGNORECASE,
)
# signs that describe the person's own knee (not the form's bookkeeping)
REPORTABLE_SIGNS_EXCLUDED = frozenset({"injury"})


def is_question(text: str) -> bool:
    """A question mark anywhere, or a sentence that opens like a question."""
    if "?" in text:
        return True
    return any(QUESTION_OPENERS.match(part) for part in re.split(r"[.!\n]+", text) if part)


def has_personal_findings(findings: Findings) -> bool:
    """The text says how long, how bad, or asserts or denies a sign."""
    signs = (findings.present | findings.absent) - REPORTABLE_SIGNS_EXCLUDED
    return (
        findings.pain_duration_days is not None
        or findings.pain_score is not None
        or bool(signs)
    )


def is_about_another_body_part(text: str) -> bool:
    """Names another body part and never the knee or leg ("my lower back hurts")."""
    return bool(OTHER_BODY_PARTS.search(text)) and not KNEE_WORDS.search(text)


def is_symptom_report(text: str, findings: Findings) -> bool:
    """A description of one's own knee with concrete findings, not a question."""
    return (
        has_personal_findings(findings)
        and not is_question(text)
        and not is_about_another_body_part(text)
    )
