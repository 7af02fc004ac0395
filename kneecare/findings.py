"""What one message says about a person's knee, as plain data.

The parser (``kneecare.language``) produces a ``Findings`` for each message; the
triage form accumulates them and the triage rules (``kneecare.triage``) read
the result. Sign ids come from ``kneecare/signs.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BodySide = Literal["left", "right", "both"]
# How a message holds a sign: said to be there now, denied, doubted, true only
# in the past ("had a fever last week, gone now", "DVT five years ago"), or
# true of someone else or of an unrelated body part ("my wife's knee is hot",
# "tingly fingers"). Only ``present`` findings drive the level; ``unsure``
# counts as yes for safety but is reported as "not sure".
SignStatus = Literal["present", "absent", "unsure", "past", "other_person"]
Who = Literal["self", "other", "unclear"]


@dataclass(frozen=True)
class Subject:
    """Whose knee the message is about: the writer, someone else, or unclear."""

    who: Who = "self"
    # "mum", "son", "husband"... when ``who`` is "other"
    relation: str | None = None


@dataclass(frozen=True)
class Evidence:
    """One sign as the person put it: the words that carry it, and its status."""

    sign: str
    status: SignStatus
    # the person's own words, as typed (a clause or short phrase)
    text: str


@dataclass(frozen=True)
class Findings:
    """Facts extracted from one piece of free text; ``None`` means not said."""

    pain_duration_days: float | None = None
    pain_score: int | None = None
    body_side: BodySide | None = None
    age: int | None = None
    # sign ids asserted in the text ("my knee is swollen")
    present: frozenset[str] = field(default_factory=frozenset)
    # sign ids explicitly denied ("no fever", "it isn't swollen")
    absent: frozenset[str] = field(default_factory=frozenset)
    # sign ids the person says they are unsure about ("not sure if it's hot")
    unsure: frozenset[str] = field(default_factory=frozenset)
    # sign ids true only in the past, or resolved ("DVT in 2020, all sorted")
    past: frozenset[str] = field(default_factory=frozenset)
    # sign ids said of someone else or of an unrelated body part
    other_person: frozenset[str] = field(default_factory=frozenset)
    # whose knee this message describes; ``age`` is that person's age
    subject: Subject = field(default_factory=Subject)
    # the words behind each present, unsure, past or other-person sign
    evidence: tuple[Evidence, ...] = ()
    # the pain keeps coming back ("flares up every few months"); the duration
    # then dates the current flare
    recurrent: bool | None = None
