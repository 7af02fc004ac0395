"""A case waiting for the database, as the outbox keeps it: JSON, then encrypted.

``PendingCase`` holds what ``CaseStore.record_triage_case`` or
``record_callback_request`` was called with, the time the person gave it
and, for a triage, the outcome and answers as plain JSON values; ``store_in``
makes that call later with the original time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from typing import Any

from kneecare.cases.contact import ContactDetails
from kneecare.cases.records import check_new_case
from kneecare.cases.store import CaseStore
from kneecare.findings import Evidence, Subject
from kneecare.triage.answers import TriageAnswers
from kneecare.triage.assess import Outcome


@dataclass(frozen=True)
class PendingCase:
    """One case waiting for the database: what ``CaseStore.record_*`` was called with."""

    kind: str  # triage | callback
    conversation_id: str
    channel: str
    created_at: datetime  # UTC, the time the person gave it
    values: dict[str, Any] = field(default_factory=dict)  # the rest, JSON-ready

    @classmethod
    def triage(
        cls,
        conversation_id: str,
        channel: str,
        outcome: Outcome,
        answers: TriageAnswers,
        now: datetime,
        client_key: str | None = None,
    ) -> PendingCase:
        return cls(
            "triage",
            conversation_id,
            channel,
            now,
            {
                "outcome": _json_ready(_fields(outcome)),
                "answers": _json_ready(_fields(answers)),
                "client_key": client_key,
            },
        )

    @classmethod
    def callback(
        cls,
        conversation_id: str,
        channel: str,
        contact: ContactDetails,
        reason: str,
        level: str | None,
        consent_purpose: str,
        now: datetime,
        client_key: str | None = None,
    ) -> PendingCase:
        return cls(
            "callback",
            conversation_id,
            channel,
            now,
            {
                "contact": _fields(contact),
                "reason": reason,
                "level": level,
                "consent_purpose": consent_purpose,
                "client_key": client_key,
            },
        )

    def check(self) -> None:
        """Raise ``CaseError`` now for a case the store would always refuse."""
        check_new_case(
            self.conversation_id,
            self.channel,
            (self.values.get("outcome") or {}).get("level") or self.values.get("level"),
            consent_purpose=self.values.get("consent_purpose") if self.kind == "callback" else None,
        )

    def store_in(self, store: CaseStore) -> int:
        """Record this case in ``store`` with its original time; returns the case id."""
        if self.kind == "triage":
            outcome: dict[str, Any] = {
                key: tuple(value) if isinstance(value, list) else value
                for key, value in self.values["outcome"].items()
            }
            return store.record_triage_case(
                self.conversation_id,
                self.channel,
                Outcome(**outcome),
                _answers(self.values["answers"]),
                now=self.created_at,
                client_key=self.values.get("client_key"),
            )
        if self.kind == "callback":
            return store.record_callback_request(
                self.conversation_id,
                self.channel,
                ContactDetails(**self.values["contact"]),
                self.values["reason"],
                self.values["level"],
                consent_purpose=self.values["consent_purpose"],
                consent_at=self.created_at,
                now=self.created_at,
                client_key=self.values.get("client_key"),
            )
        raise ValueError(f"unknown kind of case {self.kind!r}")

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "conversation_id": self.conversation_id,
                "channel": self.channel,
                "created_at": self.created_at.isoformat(),
                "values": self.values,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> PendingCase:
        data = json.loads(text)
        return cls(
            kind=data["kind"],
            conversation_id=data["conversation_id"],
            channel=data["channel"],
            created_at=datetime.fromisoformat(data["created_at"]),
            values=data["values"],
        )


def _fields(record: Any) -> dict[str, Any]:
    """A dataclass's fields by name (shallow: ``asdict`` cannot copy a mappingproxy)."""
    return {item.name: getattr(record, item.name) for item in fields(record)}


def _answers(values: dict[str, Any]) -> TriageAnswers:
    """The answers as kept: the subject and the person's words back as records."""
    values = dict(values)
    if isinstance(values.get("subject"), dict):
        values["subject"] = Subject(**values["subject"])
    values["evidence"] = tuple(Evidence(**item) for item in values.get("evidence") or ())
    return TriageAnswers(**values)


def _json_ready(value: Any) -> Any:
    """Tuples and sets as lists (sets sorted), mappings and records as dicts, recursively."""
    if is_dataclass(value) and not isinstance(value, type):
        return _json_ready(_fields(value))
    if isinstance(value, Mapping):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value
