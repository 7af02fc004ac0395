"""Turns a triage outcome into the "why" a person reads.

Every outcome must say why it was given, in the person's own terms: each
clinical reason (from criteria.yml) with the words that back it ("you said:
'it swelled up straight after the tackle'"), then what they told us ("you told
me: pain for about 3 weeks, 8/10 at worst"). A screening answer is explained
by the item the person picked, or, when they did not pick one, as "you said
yes to one of the serious signs listed", never as every item of the list.
"Not sure" is reported as "not sure" (it still counts as yes). When the knee is
someone else's, the text speaks about that person ("your mum's knee").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml

from kneecare.findings import Evidence, Subject
from kneecare.triage.answers import TriageAnswers, evidence_for
from kneecare.triage.assess import Outcome, screen_flags
from kneecare.triage.criteria import load_criteria
from kneecare.triage.screen_items import SEVERAL, item, screen_lists

AGE_LEFT_OUT: Final = (
    "you didn't give an age, so this advice leaves out the age rules: if {whose} under 16,"
    " see a GP first"
)
BARE_ANSWERS: Final = frozenset({"yes", "no", "not sure"})  # compared in lower case
NOT_SURE_NOTE: Final = " (you said you were not sure, so we count it to be safe)"
# Longest quote shown; longer words are cut at a word boundary.
MAX_QUOTE: Final = 120
# The words behind each physio criterion, route or red flag that is not made of
# signs alone (question ids of the form, or sign ids of signs.yml).
BACKED_BY: Final[dict[str, tuple[str, ...]]] = {
    "persistent": ("pain_duration_days",),
    "severe": ("pain_score",),
    "alters_gait": ("alters_gait", "limp"),
    "under_16": ("age",),
    "child_limp": ("age", "limp", "alters_gait", "cannot_walk_at_all"),
    "ottawa_positive": (
        "injury",
        "age",
        "cannot_take_four_steps",
        "cannot_bend_right_angle",
        "bony_tenderness",
    ),
}
SIGN_REASONS_FILE: Final = Path(__file__).parent / "triage" / "sign_reasons.yml"
# Reasons that claim nothing the person said (a reassuring default).
NEEDS_NO_WORDS: Final = frozenset({"no_concerns"})
# Second person -> the person the knee belongs to ("{n}" is "your mum").
THIRD_PERSON: Final = (
    (r"\byour (knee|calf|foot|injury|leg|pain)\b", r"{n}'s \1"),
    (r"\byou have\b", "{n} has"),
    (r"\byou had\b", "{n} had"),
    (r"\byou were\b", "{n} was"),
    (r"\byou cannot\b", "{n} cannot"),
    (r"\byou suddenly\b", "{n} suddenly"),
    (r"\byou can\b", "{n} can"),
    (r"\byou walk\b", "{n} walks"),
    (r"\bsee you first\b", "see {n} first"),
)


@dataclass(frozen=True)
class Reason:
    """One reason of an outcome, with the person's words that back it."""

    rule_id: str
    text: str
    backing: tuple[Evidence, ...]


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


def subject_name(subject: Subject) -> str | None:
    """'your mum' for someone else's knee; None for the person's own."""
    if subject.who != "other":
        return None
    return f"your {subject.relation}" if subject.relation else "the person"


def about(text: str, subject: Subject) -> str:
    """``text`` (written to "you") about the person whose knee it is."""
    name = subject_name(subject)
    if name is None:
        return text
    for pattern, replacement in THIRD_PERSON:
        text = re.sub(pattern, replacement.replace("{n}", name), text)
    return text


def quote(words: str) -> str:
    """The person's words, trimmed for a quote."""
    words = " ".join(words.split())
    if len(words) > MAX_QUOTE:
        words = words[:MAX_QUOTE].rsplit(" ", 1)[0] + "..."
    return f'"{words}"'


def _screen_of(flag: str, answers: TriageAnswers) -> str | None:
    return next(
        (s for s, a in answers.screens.items() if a != "no" and flag in screen_flags(answers, s)),
        None,
    )


def reasons(outcome: Outcome, answers: TriageAnswers) -> list[Reason]:
    """Each reason of the outcome with its words; screens without a pick are one reason."""
    criteria = load_criteria()
    result: list[Reason] = []
    told_screens: set[str] = set()
    for rule_id in outcome.reasons:
        screen = _screen_of(rule_id, answers) if rule_id in outcome.from_screens else None
        if screen is not None:
            if screen in told_screens:
                continue
            told_screens.add(screen)
            result.append(_screen_reason(rule_id, screen, answers))
            continue
        signs = backing_signs(rule_id)
        backing = tuple(evidence_for(answers, *signs))
        text = said_signs_reason(rule_id, backing) or criteria.why(rule_id)
        doubted = bool(backing) and all(words.status == "unsure" for words in backing)
        if rule_id in answers.not_sure or doubted:
            text += NOT_SURE_NOTE
        result.append(Reason(rule_id, text, backing))
    return result


@lru_cache(maxsize=1)
def sign_reasons() -> dict[str, dict[str, str]]:
    """The per-sign "why" of the flags that any one of several signs raises."""
    reasons_by_flag: dict[str, dict[str, str]] = yaml.safe_load(SIGN_REASONS_FILE.read_text())[
        "reasons"
    ]
    return reasons_by_flag


def said_signs_reason(rule_id: str, backing: tuple[Evidence, ...]) -> str | None:
    """The flag's "why" for the signs the person gave ("your pain comes at night").

    None when the flag has no per-sign wording, no words back it, or a backing
    sign has no wording of its own: the criteria's "why" is used then.
    """
    texts = sign_reasons().get(rule_id, {})
    signs = list(dict.fromkeys(words.sign for words in backing))
    if not texts or not signs or any(sign not in texts for sign in signs):
        return None
    return ", and ".join(texts[sign] for sign in signs)


def backing_signs(rule_id: str) -> tuple[str, ...]:
    """The signs or questions whose words can back a reason."""
    if rule_id in BACKED_BY:
        return BACKED_BY[rule_id]
    flag = load_criteria().red_flags.get(rule_id)
    return tuple(sorted(set().union(*flag.needs))) if flag else (rule_id,)


def _screen_reason(rule_id: str, screen: str, answers: TriageAnswers) -> Reason:
    picked = answers.picks.get(screen, SEVERAL)
    chosen = item(picked) if picked != SEVERAL else None
    answer_words = tuple(evidence_for(answers, screen))
    if chosen is not None:
        return Reason(
            chosen.flag,
            load_criteria().why(chosen.flag),
            tuple(evidence_for(answers, chosen.id)) or answer_words,
        )
    listed = screen_lists()[screen].several_words
    if answers.screens[screen] == "unsure":
        text = f"you said you were not sure about {listed}, so we treat it as yes"
    else:
        text = f"you said yes to {listed}"
    return Reason(rule_id, text, answer_words)


def what_you_told_me(answers: TriageAnswers) -> list[str]:
    """The person's own answers that matter for the outcome, in plain words."""
    told: list[str] = []
    if answers.pain_duration_days is not None:
        told.append(f"pain for {describe_duration(answers.pain_duration_days)}")
    if answers.pain_score is not None:
        told.append(f"{answers.pain_score}/10 at its worst")
    for question, words in (
        ("limits_activity", "it limits what you can do"),
        ("alters_gait", "it changes how you walk"),
        ("injury", "it started with an injury"),
    ):
        if question in answers.not_sure:
            told.append(f"not sure whether {words}")
        elif getattr(answers, question):
            told.append(words)
    if answers.age is not None:
        told.append(f"age {answers.age}")
    return told


def is_bare(words: str) -> bool:
    """A plain yes, no or not sure: already in the reason's own words, not worth quoting."""
    return words.strip(" .!").lower() in BARE_ANSWERS


def explain(outcome: Outcome, answers: TriageAnswers, recap: bool = True) -> str:
    """One or two sentences: the reasons with the person's words, then (``recap``) what
    they told us. SMS uses the reasons alone (``triage_why_brief``)."""
    parts = []
    for reason in reasons(outcome, answers):
        words = reason.backing[-1].text if reason.backing else ""
        # a bare "Yes" or "Not sure" is already in the reason's own words
        said = f" (you said: {quote(words)})" if words and not is_bare(words) else ""
        parts.append(about(reason.text, answers.subject) + said)
    if answers.age_withheld and answers.age is None:
        name = subject_name(answers.subject)
        whose = f"{name} is" if name else "you're"
        parts.append(AGE_LEFT_OUT.format(whose=whose))
    text = "; ".join(parts)
    told = what_you_told_me(answers) if recap else []
    if told:
        text += f". You told me: {about(', '.join(told), answers.subject)}"
    return text
