"""Which intent a first reading of one message should end with (issue 14).

The statistical classifier ranks intents; the rule-based parser finds signs.
This module combines them, so that urgent advice rests only on what the person
said, and a question is answered rather than taken for a report:

- an emergency sign the parser finds in a report, or in a question about the
  writer's own (or a relative's) knee, starts the red-flag path at once;
- a same-day or GP-level sign in a plain report starts it too; in a personal
  question or a hedged message ("could it be locked?") it is first confirmed
  with one short question (``CONFIRM_SIGN_INTENT``), and so is an emergency
  sign in a general question ("is a hot knee with a fever serious?");
- a general question about a lesser sign ("what does it mean when a knee
  locks?") keeps the classifier's answer;
- the classifier alone never starts it: its ``report_red_flag`` is replaced by
  the next intent in its ranking (for a question, the next that is not a report);
- a message about another body part and not the knee is out of scope;
- a plain description of one's own knee with concrete findings starts the
  symptom check (``kneecare.language.routing``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kneecare.findings import Findings
from kneecare.language.routing import (
    KNEE_WORDS,
    is_question,
    is_symptom_report,
    other_body_part,
)
from kneecare.triage.answers import TriageAnswers, merge
from kneecare.triage.assess import assess
from kneecare.triage.criteria import load_criteria

RED_FLAG_INTENT = "report_red_flag"
CONFIRM_SIGN_INTENT = "confirm_sign"
REPORT_INTENT = "report_knee_pain"
OUT_OF_SCOPE_INTENT = "out_of_scope"
# classifier intents a symptom description may be mistaken for
REPORT_OVERRIDES = frozenset({"faq", "inform", "nlu_fallback", "greet", "thank", "out_of_scope"})
# classifier intents a message about another body part may be mistaken for
BODY_PART_OVERRIDES = frozenset(
    {"faq", "clinic", "inform", "nlu_fallback", "report_knee_pain", "start_triage",
     RED_FLAG_INTENT}
)
# what a demoted report_red_flag becomes when nothing else is ranked
DEMOTED_DEFAULT = "nlu_fallback"
# the next intent takes over only when the classifier gave it this much
# (the FallbackClassifier's threshold in config.yml)
DEMOTED_MIN_CONFIDENCE = 0.3
URGENT_AT_ONCE = "emergency"
# the person doubts what they describe ("I think it might be locked")
HEDGES = re.compile(
    r"\b(i think|i'm not sure|im not sure|not sure|maybe|might|possibly|perhaps|could be|"
    r"i guess|kind of|sort of|a bit like)\b",
    re.IGNORECASE,
)
PERSONAL = re.compile(
    r"\b(i|i'm|im|i've|ive|i'd|id|me|my|mine|myself|we|our|us|he|she|his|her|him)\b", re.IGNORECASE
)
# plain words for each sign a confirmation question may name
SIGN_WORDS = {
    "knee_hot": "your knee feels hot",
    "knee_red": "your knee is red",
    "knee_swollen": "your knee is swollen",
    "calf_pain": "your calf is painful, tender or swollen",
    "injury": "it started with an injury",
    "cannot_take_four_steps": "you could not take four steps after the injury",
    "cannot_bend_right_angle": "you cannot bend your knee to a right angle",
    "bony_tenderness": "a bony spot just below or on the kneecap is very tender",
    "cannot_bear_weight": "you cannot put weight on the leg",
    "cannot_walk_at_all": "you cannot walk at all",
    "knee_locked": "your knee is stuck and will not straighten",
    "rapid_swelling": "your knee swelled up within a couple of hours of an injury",
    "limp": "there is a limp",
    "alters_gait": "there is a limp",
    "weight_loss": "you have lost weight without trying",
    "night_or_constant_pain": "the pain is constant or wakes you at night",
    "hard_lump": "there is a hard lump near the knee",
    "past_cancer": "you have had cancer",
    "long_morning_stiffness": "your joints are stiff for a long time in the morning",
    "several_swollen_joints": "several joints are swollen",
    "rapid_worsening": "it is getting worse quickly",
}


@dataclass(frozen=True)
class Route:
    """The intent to set (None: keep the classifier's) and the signs to confirm."""

    intent: str | None
    signs_to_confirm: tuple[str, ...] = ()


def route_message(
    text: str, findings: Findings, ranking: Sequence[tuple[str, float]]
) -> Route:
    """The route for one message; ``ranking``: the classifier's (intent, confidence), best first."""
    flagged = _red_flag_route(text, findings)
    if flagged is not None:
        return flagged
    top = ranking[0][0] if ranking else DEMOTED_DEFAULT
    if top in BODY_PART_OVERRIDES and other_body_part(text):
        return Route(OUT_OF_SCOPE_INTENT)
    demoted = top == RED_FLAG_INTENT
    if demoted:
        top = _demoted(text, ranking)
    if (demoted or top in REPORT_OVERRIDES) and is_symptom_report(text, findings):
        return Route(REPORT_INTENT)
    return Route(top if demoted else None)


def _demoted(text: str, ranking: Sequence[tuple[str, float]]) -> str:
    """What the classifier's own report_red_flag becomes. A question: the next
    intent in the ranking that is not a report. A statement: the next intent
    when the classifier gave it some weight, otherwise the symptom check when
    it speaks of the knee, or the fallback (rephrase, with the menu)."""
    if is_question(text):
        skipped = {RED_FLAG_INTENT, REPORT_INTENT}
        return next((name for name, _ in ranking if name not in skipped), DEMOTED_DEFAULT)
    following = [(name, confidence) for name, confidence in ranking if name != RED_FLAG_INTENT]
    if following and following[0][1] >= DEMOTED_MIN_CONFIDENCE:
        return following[0][0]
    return REPORT_INTENT if KNEE_WORDS.search(text) else DEMOTED_DEFAULT


def _red_flag_route(text: str, findings: Findings) -> Route | None:
    """The route when the parser finds a red flag; None when it finds none, or
    when a general question about a lesser sign is simply answered."""
    outcome = assess(merge(TriageAnswers(), findings))
    if not outcome.red_flags:
        return None
    asked = is_question(text)
    if outcome.level == URGENT_AT_ONCE and (is_personal(text) or not asked):
        return Route(RED_FLAG_INTENT)
    stated = assess(merge(TriageAnswers(), replace(findings, unsure=frozenset())))
    if not asked and (stated.red_flags or not HEDGES.search(text)):
        return Route(RED_FLAG_INTENT)
    if outcome.level == URGENT_AT_ONCE or is_personal(text):
        return Route(CONFIRM_SIGN_INTENT, signs_to_confirm(findings, outcome.red_flags))
    # a general question about a sign ("what does it mean when a knee locks?")
    # is answered; the answer offers the symptom check
    return None


def is_personal(text: str) -> bool:
    """The writer speaks of themselves or someone close ("my knee", "I can't", "my son")."""
    return bool(PERSONAL.search(text))


def signs_to_confirm(findings: Findings, flag_ids: Sequence[str]) -> tuple[str, ...]:
    """The signs the person mentioned that make up the given red flags, in criteria order."""
    mentioned = findings.present | findings.unsure
    red_flags = load_criteria().red_flags
    signs: list[str] = []
    for flag_id in flag_ids:
        for group in red_flags[flag_id].needs:
            signs.extend(sign for sign in sorted(group) if sign in mentioned)
    return tuple(dict.fromkeys(signs))


def confirmation_question(signs: Sequence[str]) -> str:
    """One short question naming the signs in plain words."""
    words = list(dict.fromkeys(SIGN_WORDS.get(sign, sign.replace("_", " ")) for sign in signs))
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"Before I answer, one check about your own knee right now: is it true that {listed}?"
