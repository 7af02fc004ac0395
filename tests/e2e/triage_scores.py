"""Scores a case set's outcomes: exact level, over- and under-triage, emergency recall,
and whether each reply's "Why" says only what the person said.

Plain functions over (expected level, outcome) pairs, so the end-to-end test
and a unit test share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# most urgent first, as in /work/shared/triage-criteria.md
LEVELS = ("emergency", "same_day", "gp_soon", "physio", "self_care")

# words the reply puts in quotes as the person's own: 'you said: "..."' and the
# like (straight single quotes only after such an opening, since they double as
# apostrophes), or any text in double or curly quotes
_OPENING = r"(?:you said|you told me|you wrote|you mentioned|in your words|your words)\W{0,3}"
_QUOTES = (
    re.compile(_OPENING + r"'(.+?)'(?![a-z])", re.IGNORECASE),
    re.compile(r'"(.+?)"'),
    re.compile(r"\u201c(.+?)\u201d"),
    re.compile(r"(?<![a-z])\u2018(.+?)\u2019(?![a-z])", re.IGNORECASE),
)
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")


def urgency(level: str | None) -> int:
    """0 for emergency ... 4 for self_care; no outcome counts as the least urgent."""
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def is_under_triage(expected: str, got: str | None) -> bool:
    return urgency(got) > urgency(expected)


@dataclass(frozen=True)
class SetFigures:
    cases: int
    exact: int
    over: int
    under: int
    emergencies: int
    emergencies_caught: int

    @property
    def exact_share(self) -> float:
        return self.exact / self.cases if self.cases else float("nan")

    @property
    def emergency_recall(self) -> float:
        return self.emergencies_caught / self.emergencies if self.emergencies else float("nan")

    def line(self, name: str) -> str:
        return (
            f"{name}: exact {self.exact}/{self.cases} ({self.exact_share:.1%}),"
            f" over-triage {self.over}, under-triage {self.under},"
            f" emergency recall {self.emergencies_caught}/{self.emergencies}"
            f" ({self.emergency_recall:.1%})"
        )


def figures(pairs: Sequence[tuple[str, str | None]]) -> SetFigures:
    """Figures for (expected level, level given) pairs; None is no outcome."""
    return SetFigures(
        cases=len(pairs),
        exact=sum(want == got for want, got in pairs),
        over=sum(urgency(got) < urgency(want) for want, got in pairs),
        under=sum(is_under_triage(want, got) for want, got in pairs),
        emergencies=sum(want == "emergency" for want, _ in pairs),
        emergencies_caught=sum(want == got == "emergency" for want, got in pairs),
    )


def _plain(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w'/]+", " ", text)
    return " ".join(text.split())


def quoted(why: str) -> list[str]:
    """The words ``why`` presents in quotes as the person's own."""
    found: list[str] = []
    for pattern in _QUOTES:
        found += [match.group(1) for match in pattern.finditer(why)]
    return found


def unbacked_quotes(why: str | None, said: Iterable[str]) -> list[str]:
    """Quotes in ``why`` whose words (each part around an ellipsis) the person never typed."""
    if not why:
        return []
    typed = f" {' | '.join(_plain(text) for text in said)} "
    missing = []
    for quote in quoted(why):
        parts = [_plain(part) for part in _ELLIPSIS.split(quote)]
        if any(part and f" {part} " not in typed for part in parts):
            missing.append(quote)
    return missing


def false_reasons(why: str | None, must_not_say: Iterable[str]) -> list[str]:
    """The phrases of ``must_not_say`` that ``why`` contains (case-insensitive)."""
    if not why:
        return []
    text = why.lower()
    return [phrase for phrase in must_not_say if phrase.lower() in text]
