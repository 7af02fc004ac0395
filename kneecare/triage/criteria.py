"""The triage table (``criteria.yml``) loaded into typed, frozen records.

``criteria.yml`` holds every rule id with its level, source and the plain words
used to tell the person why; this module reads it once (lazily, cached) and
offers it as ``Criteria``. ``Thresholds`` is the one table of numbers the rules
use: its defaults come from ``criteria.yml`` and the clinic's settings may
override them with ``Thresholds.from_mapping``. Texts that name a threshold in
braces are filled in by ``Thresholds.fill``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CRITERIA_PATH = Path(__file__).with_name("criteria.yml")

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Thresholds:
    """The numbers the rules compare against, all marked (config) in the criteria."""

    persistent_days: float
    severe_score: int
    child_age: int
    ottawa_age: int
    recent_injury_days: float
    recent_surgery_days: float
    ottawa_max_days_since_injury: float
    rapid_swelling_hours: float

    @classmethod
    def default(cls) -> Thresholds:
        """The thresholds written in ``criteria.yml``."""
        return load_criteria().thresholds

    @classmethod
    def from_mapping(
        cls, overrides: Mapping[str, Any], base: Thresholds | None = None
    ) -> Thresholds:
        """``base`` (default: ``criteria.yml``) with some values replaced.

        Values may be numbers or numeric strings (as read from the environment);
        an unknown name or a value that is not a positive number is an error,
        so that a typo in the clinic's settings cannot silently loosen a rule.
        """
        types = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(overrides) - set(types))
        if unknown:
            raise ValueError(f"unknown triage thresholds: {', '.join(unknown)}")
        values = {
            name: _positive_number(name, raw, integer=types[name] == "int")
            for name, raw in overrides.items()
        }
        return replace(base or cls.default(), **values)

    @property
    def recent_injury_weeks(self) -> int:
        return round(self.recent_injury_days / 7)

    @property
    def recent_surgery_months(self) -> int:
        return round(self.recent_surgery_days / DAYS_PER_MONTH)

    def in_words(self) -> dict[str, str]:
        """The thresholds responses name, in words: {"persistent_period": "2 weeks", ...}.

        Responses in domain.yml use these names as slots, so a clinic that
        changes a threshold changes every reply that states it.
        """
        return {
            "persistent_period": period_in_words(self.persistent_days),
            "severe_score": str(self.severe_score),
            "child_age": str(self.child_age),
            "recent_injury_period": period_in_words(self.recent_injury_days),
            "recent_surgery_period": period_in_words(self.recent_surgery_days),
            "rapid_swelling_period": count_in_words(self.rapid_swelling_hours, "hour"),
        }

    def fill(self, text: str) -> str:
        """``text`` with each ``{threshold}`` replaced by its value."""
        names: dict[str, object] = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        names["recent_injury_weeks"] = self.recent_injury_weeks
        names["recent_surgery_months"] = self.recent_surgery_months
        return text.format(**names)


@dataclass(frozen=True)
class Level:
    """An outcome level: what the person is told to do."""

    id: str
    action: str
    flag_for_staff: bool


@dataclass(frozen=True)
class RedFlag:
    """A red flag row of the criteria table."""

    id: str
    says: str
    level: str
    source: str
    why: str
    # Groups of sign ids: the flag needs at least one sign of every group.
    needs: tuple[frozenset[str], ...]
    escalates_to: str | None = None
    escalates_when: str | None = None


@dataclass(frozen=True)
class PhysioCriterion:
    """A reason to see a physiotherapist when no red flag fired."""

    id: str
    says: str
    source: str
    why: str


@dataclass(frozen=True)
class Route:
    """An outcome given by routing rather than by a sign (``under_16``, ``no_concerns``)."""

    id: str
    level: str
    source: str
    why: str


@dataclass(frozen=True)
class Screen:
    """A screening question covering a set of red flags."""

    id: str
    question: str
    covers: tuple[str, ...]
    only_after_injury: bool = False


@dataclass(frozen=True)
class Criteria:
    """The whole triage table, in the order of ``criteria.yml``."""

    levels: tuple[Level, ...]
    thresholds: Thresholds
    red_flags: Mapping[str, RedFlag]
    physio_criteria: Mapping[str, PhysioCriterion]
    routing: Mapping[str, Route]
    screens: Mapping[str, Screen]

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.id for level in self.levels)

    def urgency(self, level: str) -> int:
        """0 for the most urgent level, larger for less urgent ones."""
        return self.level_ids.index(level)

    def level(self, level_id: str) -> Level:
        return self.levels[self.urgency(level_id)]

    def why(self, rule_id: str, thresholds: Thresholds | None = None) -> str:
        """The plain-English reason for a red flag, physio criterion or route."""
        rule = (
            self.red_flags.get(rule_id)
            or self.physio_criteria.get(rule_id)
            or self.routing[rule_id]
        )
        return (thresholds or self.thresholds).fill(rule.why)


@cache
def load_criteria(path: Path = CRITERIA_PATH) -> Criteria:
    """Read ``criteria.yml`` once and return it as typed records."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    thresholds = Thresholds(
        **{
            f.name: _positive_number(
                f.name, raw["thresholds"][f.name]["value"], integer=f.type == "int"
            )
            for f in fields(Thresholds)
        }
    )
    return Criteria(
        levels=tuple(Level(**level) for level in raw["levels"]),
        thresholds=thresholds,
        red_flags={
            rule_id: RedFlag(
                id=rule_id,
                **{**row, "needs": tuple(frozenset(group) for group in row["needs"])},
            )
            for rule_id, row in raw["red_flags"].items()
        },
        physio_criteria={
            rule_id: PhysioCriterion(id=rule_id, **row)
            for rule_id, row in raw["physio_criteria"].items()
        },
        routing={rule_id: Route(id=rule_id, **row) for rule_id, row in raw["routing"].items()},
        screens={
            screen_id: Screen(
                id=screen_id,
                question=row["question"],
                covers=tuple(row["covers"]),
                only_after_injury=row.get("only_after_injury", False),
            )
            for screen_id, row in raw["screens"].items()
        },
    )


def _positive_number(name: str, raw: object, *, integer: bool) -> Any:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise ValueError(f"triage threshold {name} must be a number, not {raw!r}")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"triage threshold {name} must be a number, not {raw!r}") from None
    if value <= 0 or (integer and not value.is_integer()):
        kind = "a positive whole number" if integer else "a positive number"
        raise ValueError(f"triage threshold {name} must be {kind}, not {raw!r}")
    return int(value) if integer else value


def count_in_words(value: float, unit: str) -> str:
    """"1 week", "3 weeks", "1.5 hours"."""
    number = _plain(value)
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def period_in_words(days: float) -> str:
    """A number of days as people say it: 10 -> "10 days", 14 -> "2 weeks",
    42 -> "6 weeks", 182 -> "6 months"."""
    if days >= 8 * 7:
        return count_in_words(round(days / DAYS_PER_MONTH), "month")
    if days >= 7 and days % 7 == 0:
        return count_in_words(days / 7, "week")
    return count_in_words(days, "day")


def _plain(value: float) -> int | float:
    """14.0 -> 14, so that texts read "14 days", not "14.0 days"."""
    return int(value) if float(value).is_integer() else value
