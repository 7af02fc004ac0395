"""What the triage form knows so far about one person's knee.

``TriageAnswers`` accumulates the form's answers and the signs the parser found
in every message (``kneecare.findings.Findings``); ``merge`` folds one more
message in, letting newer values correct older ones. Screening answers are
"yes", "no" or "unsure", and "unsure" counts as yes. Nothing here decides an
outcome: that is ``kneecare.triage.assess``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final, TypeVar

from kneecare.findings import Evidence, Findings, Subject
from kneecare.triage.criteria import load_criteria

T = TypeVar("T")

SCREEN_ANSWERS: Final = frozenset({"yes", "no", "unsure"})


@dataclass(frozen=True)
class TriageAnswers:
    """Everything known so far; ``None`` means not yet known."""

    pain_duration_days: float | None = None
    pain_score: int | None = None
    limits_activity: bool | None = None
    alters_gait: bool | None = None
    injury: bool | None = None
    age: int | None = None
    # sign ids (kneecare/signs.yml) asserted, explicitly denied, or unsure
    signs: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    unsure: frozenset[str] = frozenset()
    # screen id (criteria.yml) -> "yes" | "no" | "unsure"
    screens: Mapping[str, str] = field(default_factory=dict)
    # whose knee it is; ``age`` is that person's age
    subject: Subject = field(default_factory=Subject)
    # the person declined to give the age, or does not know it
    age_withheld: bool = False
    # yes/no questions (injury, limits_activity, alters_gait) answered "not sure":
    # counted as yes, reported as "not sure"
    not_sure: frozenset[str] = frozenset()
    # screen id -> the item of its list the person picked (screen_items.yml),
    # or SEVERAL when they pressed "More than one / not sure"
    picks: Mapping[str, str] = field(default_factory=dict)
    # the person's own words behind each sign or answer, newest last
    evidence: tuple[Evidence, ...] = ()
    # signs of a message where it was unclear whose they are, held until the
    # person says ("whose_signs"); they would change the level
    unclear_signs: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("signs", "denied", "unsure", "not_sure", "unclear_signs"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = set(self.screens) - set(load_criteria().screens)
        if unknown:
            raise ValueError(f"unknown screening questions: {', '.join(sorted(unknown))}")
        for screen_id, answer in self.screens.items():
            if answer not in SCREEN_ANSWERS:
                raise ValueError(f"{screen_id} answer must be yes, no or unsure, not {answer!r}")
        object.__setattr__(self, "screens", MappingProxyType(dict(self.screens)))
        object.__setattr__(self, "picks", MappingProxyType(dict(self.picks)))
        object.__setattr__(self, "evidence", tuple(self.evidence))


def merge(answers: TriageAnswers, findings: Findings) -> TriageAnswers:
    """Fold one message's findings into the answers; the newer message wins.

    A sign moves between ``signs``, ``denied`` and ``unsure`` as the person
    corrects themselves. If one message both asserts and denies (or doubts) a
    sign, asserting wins, then doubting: the safer reading. The form booleans
    ``limits_activity``, ``alters_gait`` and ``injury`` follow the sign of the
    same name: True when asserted, False when denied, unknown when doubted;
    a denied ``limp`` ("no limp") also answers ``alters_gait`` with False.
    Signs true only in the past or of someone else (``findings.past``,
    ``findings.other_person``) never become answers: they are not this
    person's knee now. A message about someone else ("my mum, 71") makes that
    person the subject, and its age is their age.
    """
    present = findings.present
    unsure = findings.unsure - present
    absent = findings.absent - present - unsure
    said = present | unsure | absent

    def from_sign(old: bool | None, sign_id: str) -> bool | None:
        if sign_id not in said:
            return old
        return True if sign_id in present else False if sign_id in absent else None

    gait = from_sign(answers.alters_gait, "alters_gait")
    if "alters_gait" not in said and "limp" in absent:
        gait = False  # "no limp, walking fine" answers the gait question

    return replace(
        answers,
        pain_duration_days=_newer(answers.pain_duration_days, findings.pain_duration_days),
        pain_score=_newer(answers.pain_score, findings.pain_score),
        age=_newer(answers.age, findings.age),
        limits_activity=from_sign(answers.limits_activity, "limits_activity"),
        alters_gait=gait,
        injury=from_sign(answers.injury, "injury"),
        signs=(answers.signs - said) | present,
        denied=(answers.denied - said) | absent,
        unsure=(answers.unsure - said) | unsure,
        not_sure=answers.not_sure - said,
        subject=findings.subject if findings.subject.who == "other" else answers.subject,
        age_withheld=answers.age_withheld and findings.age is None,
        evidence=add_evidence(answers.evidence, findings.evidence),
    )


def claim_unclear_signs(answers: TriageAnswers, theirs: bool) -> TriageAnswers:
    """The person said whose the held signs are: theirs (or not sure) keeps them.

    Someone else's are dropped: they are not findings for this triage.
    """
    held = answers.unclear_signs
    if not theirs:
        return replace(answers, unclear_signs=frozenset())
    return replace(
        answers,
        signs=answers.signs | held,
        denied=answers.denied - held,
        unsure=answers.unsure - held,
        unclear_signs=frozenset(),
    )


def add_evidence(kept: tuple[Evidence, ...], new: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """``kept`` plus ``new``; a newer word on the same sign replaces the older one."""
    if not new:
        return kept
    replaced = {item.sign for item in new}
    return (*(item for item in kept if item.sign not in replaced), *new)


def evidence_for(answers: TriageAnswers, *signs: str) -> list[Evidence]:
    """The recorded words behind any of ``signs`` (or question ids), said now or doubted."""
    return [
        item
        for item in answers.evidence
        if item.sign in signs and item.status in ("present", "unsure") and item.text.strip()
    ]


def _newer(old: T | None, new: T | None) -> T | None:
    return old if new is None else new
