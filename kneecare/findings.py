"""What one message says about a person's knee, as plain data.

The parser (``kneecare.language``) produces a ``Findings`` for each message; the
triage form accumulates them and the triage rules (``kneecare.triage``) read
the result. Sign ids come from ``kneecare/signs.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BodySide = Literal["left", "right", "both"]


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
