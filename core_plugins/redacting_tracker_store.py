"""An SQL tracker store that never writes contact details in plain text.

Configured in endpoints.yml (``type: core_plugins.redacting_tracker_store.
RedactingSQLTrackerStore``) with the same settings as Rasa's SQL store. Each
new event is passed through ``kneecare.privacy.redact_event`` before it is
written; the answer to a contact question is recognised from the
``requested_slot`` in force when it was given. Importing this module also
turns on log redaction in the Rasa server process.

On SQLite (the `make run` default) the database runs in WAL mode with
``synchronous=NORMAL``: a commit no longer waits for a disk flush (it was the
largest single cost of a message, bench/NOTES.md), the staff view can read
while Rasa writes, and a crash of the process still loses nothing; only a
power cut can lose the last moments. PostgreSQL is left as configured.

Rasa's ``session_scope`` takes any ``ValueError`` raised while a session is
open for a missing PostgreSQL schema and exits the whole server; one odd
value in one conversation (a sender id SQLite cannot encode, say) would stop
everyone's assistant. Here only the schema check may do that; any other error
fails that one message and the server keeps serving.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Generator, Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event as sqlalchemy_event

from kneecare.cases.contact import install_log_redaction
from kneecare.privacy import redact_event

install_log_redaction()


class _StoredEvent:
    """What SQLTrackerStore.save needs of an event: its type and its data."""

    def __init__(self, type_name: str, data: dict[str, Any]) -> None:
        self.type_name = type_name
        self._data = data

    def as_dict(self) -> dict[str, Any]:
        return self._data


class TrackerStoreError(RuntimeError):
    """A conversation could not be read or written; the server carries on."""


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with contact details redacted on the way in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sqlalchemy_event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            with self.engine.connect() as connection:  # WAL is a property of the file
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope (its schema check and exit), other errors raised as errors."""
        with super().session_scope() as session:
            try:
                yield session
            except ValueError as error:  # would reach Rasa's "schema missing, exit"
                raise TrackerStoreError(str(error)) from error

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        already_stored = self._event_query(
            session, tracker.sender_id, fetch_events_from_all_sessions=False
        ).count()
        asked: str | None = None
        events = list(tracker.events)
        for event in itertools.islice(events, 0, already_stored):
            asked = _asked_after(event, asked)
        for event in itertools.islice(events, already_stored, len(events)):
            data = redact_event(event.as_dict(), asked)
            asked = _asked_after(event, asked)
            yield _StoredEvent(event.type_name, data)


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _asked_after(event: Any, asked: str | None) -> str | None:
    if isinstance(event, SlotSet) and event.key == "requested_slot":
        return event.value if isinstance(event.value, str) else None
    return asked
