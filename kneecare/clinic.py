"""The clinic's editable settings (``clinic.yml``), read once and typed.

Responses name the clinic, its phone number, booking link and opening hours
through these settings, so adopting the assistant elsewhere means editing one
YAML file, not code. ``KNEE_CLINIC_FILE`` points at another file (tests, demos).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from kneecare.environment import environment
from kneecare.opening_hours import DAYS, Opening, call_by, clock_time, next_opening, promise_words
from kneecare.triage.criteria import Thresholds

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "clinic.yml"


class ClinicSettingsError(ValueError):
    """Raised with a readable message when clinic.yml is missing or malformed."""


@dataclass(frozen=True)
class ClinicSettings:
    """What the assistant needs to know about the clinic it speaks for."""

    name: str
    phone: str
    booking_link: str
    email: str = ""
    address: str = ""
    opening_hours: dict[str, tuple[str, str]] = field(default_factory=dict)
    timezone: str = "Europe/London"
    emergency_number: str = "999"
    urgent_advice_number: str = "111"
    urgent_advice_web: str = "https://111.nhs.uk"
    triage_thresholds: dict[str, float] = field(default_factory=dict)
    retention_days: int = 365
    # services offered (sports_massage, gait_analysis, ...): a response names
    # one as the clinic's only when it is true here
    services: dict[str, bool] = field(default_factory=dict)
    # how soon new patients are usually seen, in words; empty: no claim is made
    typical_wait: str = ""
    # answers to everyday questions (fees, insurers, parking...), see clinic_answers.py
    questions: dict[str, Any] = field(default_factory=dict)
    # how long a conversation stays open between messages (kneecare/sessions.py)
    session_hours: float = 24.0

    def opening_hours_text(self) -> str:
        """Runs of days with the same hours, e.g. 'Mon-Thu 08:00-20:00, Sun closed'."""
        runs: list[tuple[str, str, str]] = []  # (first day, last day, hours)
        for day in DAYS:
            span = self.opening_hours.get(day)
            hours = f"{span[0]}-{span[1]}" if span else "closed"
            if runs and runs[-1][2] == hours:
                runs[-1] = (runs[-1][0], day, hours)
            else:
                runs.append((day, day, hours))
        return ", ".join(
            f"{first[:3].title()}{'' if first == last else '-' + last[:3].title()} {hours}"
            for first, last, hours in runs
        )

    def next_opening(self, moment: dt.datetime) -> Opening | None:
        """The opening period ``moment`` falls in, or the next one (see opening_hours)."""
        return next_opening(self.opening_hours, ZoneInfo(self.timezone), moment)

    def when_to_expect_a_call(self, now: dt.datetime) -> str:
        """When reception will call back, in words: 'today, before 20:00' or
        'on Monday from 08:00' (outside opening hours)."""
        return promise_words(self.next_opening(now))

    def call_by(self, requested_at: dt.datetime) -> dt.datetime | None:
        """The call-by time of a call-back asked for at ``requested_at``: the close of
        the period ``when_to_expect_a_call`` named then (None: no opening hours)."""
        return call_by(self.opening_hours, ZoneInfo(self.timezone), requested_at)

    def template_values(self) -> dict[str, str]:
        """The values responses may use, keyed by the slot names in domain.yml."""
        return {
            "clinic_name": self.name,
            "clinic_phone": self.phone,
            "clinic_booking_link": self.booking_link,
            "clinic_opening_hours": self.opening_hours_text(),
            "clinic_retention_days": str(self.retention_days),
            "emergency_number": self.emergency_number,
            "urgent_advice_number": self.urgent_advice_number,
            "clinic_offers_sports_massage": _yes_no(self.services.get("sports_massage", False)),
            "clinic_typical_wait": self.typical_wait,
            "clinic_states_typical_wait": _yes_no(bool(self.typical_wait)),
            **Thresholds.from_mapping(self.triage_thresholds).in_words(),
        }


def _yes_no(value: bool) -> str:
    """Response conditions compare text slots: "yes" or "no"."""
    return "yes" if value else "no"


def _services(data: Any, source: Path) -> dict[str, bool]:
    if not isinstance(data, dict) or not all(isinstance(v, bool) for v in data.values()):
        raise ClinicSettingsError(f"{source}: 'services' must map each service to true or false")
    return {str(name): value for name, value in data.items()}


def _require(data: dict[str, Any], key: str, source: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ClinicSettingsError(f"{source}: '{key}' must be a non-empty text value")
    return value.strip()


def parse_settings(data: Any, source: Path = DEFAULT_FILE) -> ClinicSettings:
    """Validate the loaded YAML and build settings; errors name the bad key."""
    if not isinstance(data, dict):
        raise ClinicSettingsError(f"{source}: expected a mapping of settings")
    hours: dict[str, tuple[str, str]] = {}
    for day, span in (data.get("opening_hours") or {}).items():
        if day not in DAYS or not (isinstance(span, list) and len(span) == 2):
            raise ClinicSettingsError(
                f"{source}: opening_hours.{day} must be a weekday with [open, close]"
            )
        hours[day] = (str(span[0]), str(span[1]))
        try:
            if clock_time(hours[day][0]) >= clock_time(hours[day][1]):
                raise ValueError("opens after it closes")
        except ValueError as error:
            raise ClinicSettingsError(
                f"{source}: opening_hours.{day} must be [open, close], HH:MM, open first ({error})"
            ) from error
    emergency = data.get("emergency") or {}
    return ClinicSettings(
        name=_require(data, "name", source),
        phone=_require(data, "phone", source),
        booking_link=_require(data, "booking_link", source),
        email=str(data.get("email", "")),
        address=str(data.get("address", "")),
        opening_hours=hours,
        timezone=str(data.get("timezone", "Europe/London")),
        emergency_number=str(emergency.get("emergency_number", "999")),
        urgent_advice_number=str(emergency.get("urgent_advice_number", "111")),
        urgent_advice_web=str(emergency.get("urgent_advice_web", "https://111.nhs.uk")),
        triage_thresholds={k: float(v) for k, v in (data.get("triage_thresholds") or {}).items()},
        retention_days=int(data.get("retention_days", 365)),
        services=_services(data.get("services") or {}, source),
        typical_wait=str(data.get("typical_wait") or "").strip(),
        session_hours=_positive_hours(data.get("session_hours", 24)),
        questions=dict(data.get("clinic_questions") or {}),
    )


@lru_cache(maxsize=4)
def _positive_hours(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 720:
        raise ClinicSettingsError("session_hours must be a number of hours, at most 720")
    return float(value)


def load_settings(path: str | None = None) -> ClinicSettings:
    """Read clinic.yml (or ``KNEE_CLINIC_FILE``) once per process."""
    source = Path(path or environment().get("KNEE_CLINIC_FILE") or DEFAULT_FILE)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as error:
        raise ClinicSettingsError(f"cannot read clinic settings {source}: {error}") from error
    except yaml.YAMLError as error:
        raise ClinicSettingsError(f"{source} is not valid YAML: {error}") from error
    return parse_settings(data, source)
