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
    r"ways?|recommend|tell me|explain|info|information)\b(?!['’]t\b)",
    re.IGNORECASE,
)
KNEE_WORDS = re.compile(
    r"\b(knees?|kneecaps?|knee-?caps?|legs?|patella[a-z]*|acl|mcl|pcl|lcl|menisc[a-z]*|"
    r"cartilage|it ?band|itb|calf|calves)\b",
    re.IGNORECASE,
)
# "Did a long ride", "Did 10k": a statement whose "I" is left out, not a question
DROPPED_I = re.compile(
    r"^\s*did (a|an|my|our|some|loads|lots|plenty|too|another|two|three|\d\w*)\b", re.IGNORECASE
)
# the knee named only to rule it out
KNEE_IS_FINE = re.compile(
    r"\b(my )?knees? (is|are|feels?) (fine|ok|okay|alright|all right|good)\b|"
    r"\bnot (my|the) knees?\b|\bnothing to do with (my|the) knees?\b",
    re.IGNORECASE,
)
# each other body part by its plain name; "back" only where it is the body part
# ("my back", "lower back", "back pain"), not "came back" or "the back of my knee"
OTHER_BODY_PARTS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "back": r"\b((my|your|his|her|lower|upper|middle|mid) back|back (pain|ache|spasms?)|"
        r"backache|sciatica|spine|slipped disc)\b",
        "neck": r"\bneck\b",
        "shoulder": r"\bshoulders?\b|\brotator cuff\b",
        "elbow": r"\belbows?\b",
        "wrist": r"\bwrists?\b|\bcarpal tunnel\b",
        "hand": r"\bhands?\b(?![- ]on)|\bfingers?\b|\bthumbs?\b",
        "hip": r"\bhips?\b|\bgroin\b",
        "hamstring": r"\bhamstrings?\b",
        "shin": r"\bshins?\b|\bshin ?splints\b",
        "ankle": r"\bankles?\b|\bachilles\b",
        "heel": r"\bheels?\b(?! (shoes?|heights?))|\bplantar fasci[a-z]*",
        "foot": r"\bfeet\b|\bfoot\b|\btoes?\b|\bbunions?\b|\barch(es)? of my\b",
        "head": r"\bheadaches?\b|\bmigraines?\b",
        "chest": r"\bchest\b",
        "stomach": r"\bstomach\b|\btummy\b",
        "jaw": r"\bjaw\b|\bteeth\b|\btooth\b",
    }.items()
}
# signs that describe the person's own knee (not the form's bookkeeping)
REPORTABLE_SIGNS_EXCLUDED = frozenset({"injury"})


def is_question(text: str) -> bool:
    """A question mark anywhere, or a sentence that opens like a question
    (not one that only drops its "I": "Did a 70 mile ride on Saturday")."""
    if "?" in text:
        return True
    return any(
        QUESTION_OPENERS.match(part) and not DROPPED_I.match(part)
        for part in re.split(r"[.!\n]+", text)
        if part
    )


def has_personal_findings(findings: Findings) -> bool:
    """The text says how long, how bad, or asserts or denies a sign."""
    signs = (findings.present | findings.absent) - REPORTABLE_SIGNS_EXCLUDED
    return findings.pain_duration_days is not None or findings.pain_score is not None or bool(signs)


def other_body_part(text: str) -> str | None:
    """The body part a message is about when it names one and never the knee
    or leg ("my heel hurts" -> "heel"), or only to say the knee is fine ("knees
    are fine, it's my groin"); None for knee messages and the rest."""
    if KNEE_WORDS.search(KNEE_IS_FINE.sub(" ", text)):
        return None
    return next((name for name, pattern in OTHER_BODY_PARTS.items() if pattern.search(text)), None)


def is_about_another_body_part(text: str) -> bool:
    """Names another body part and never the knee or leg ("my lower back hurts")."""
    return other_body_part(text) is not None


def is_symptom_report(text: str, findings: Findings) -> bool:
    """A description of one's own knee with concrete findings, not a question."""
    return (
        has_personal_findings(findings)
        and not is_question(text)
        and not is_about_another_body_part(text)
    )
