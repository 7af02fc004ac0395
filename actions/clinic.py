"""The clinic's settings as the actions need them.

Responses in domain.yml name the clinic through slots ({clinic_phone}, ...);
``clinic_slot_events`` fills them from clinic.yml at session start and after a
restart. ``triage_thresholds`` applies the clinic's (config) thresholds.
"""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet

from actions.settings import get_settings
from kneecare.clinic import ClinicSettings, load_settings
from kneecare.triage.criteria import Thresholds


def clinic() -> ClinicSettings:
    """The clinic's settings (read once per process)."""
    return load_settings(get_settings().clinic_file)


def clinic_slot_events() -> list[EventType]:
    """SlotSet events for every clinic setting a response may use."""
    return [SlotSet(name, value) for name, value in clinic().template_values().items()]


def triage_thresholds() -> Thresholds:
    """The criteria's thresholds with the clinic's overrides applied."""
    return Thresholds.from_mapping(clinic().triage_thresholds)
