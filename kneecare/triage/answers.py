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

from kneecare.findings import Findings
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

    def __post_init__(self) -> None:
        for name in ("signs", "denied", "unsure"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        unknown = set(self.screens) - set(load_criteria().screens)
        if unknown:
            raise ValueError(f"unknown screening questions: {', '.join(sorted(unknown))}")
        for screen_id, answer in self.screens.items():
            if answer not in SCREEN_ANSWERS:
                raise ValueError(f"{screen_id} answer must be yes, no or unsure, not {answer!r}")
        object.__setattr__(self, "screens", MappingProxyType(dict(self.screens)))


def merge(answers: TriageAnswers, findings: Findings) -> TriageAnswers:
    """Fold one message's findings into the answers; the newer message wins.

    A sign moves between ``signs``, ``denied`` and ``unsure`` as the person
    corrects themselves. If one message both asserts and denies (or doubts) a
    sign, asserting wins, then doubting: the safer reading. The form booleans
    ``limits_activity``, ``alters_gait`` and ``injury`` follow the sign of the
    same name: True when asserted, False when denied, unknown when doubted.
    """
    present = findings.present
    unsure = findings.unsure - present
    absent = findings.absent - present - unsure
    said = present | unsure | absent

    def from_sign(old: bool | None, sign_id: str) -> bool | None:
        if sign_id not in said:
            return old
        return True if sign_id in present else False if sign_id in absent else None

    return replace(
        answers,
        pain_duration_days=_newer(answers.pain_duration_days, findings.pain_duration_days),
        pain_score=_newer(answers.pain_score, findings.pain_score),
        age=_newer(answers.age, findings.age),
        limits_activity=from_sign(answers.limits_activity, "limits_activity"),
        alters_gait=from_sign(answers.alters_gait, "alters_gait"),
        injury=from_sign(answers.injury, "injury"),
        signs=(answers.signs - said) | present,
        denied=(answers.denied - said) | absent,
        unsure=(answers.unsure - said) | unsure,
    )


def _newer(old: T | None, new: T | None) -> T | None:
    return old if new is None else new
