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
power cut can lose the last moments. Its connections are pooled rather than
opened for every read and write. PostgreSQL is left as configured.

Conversations this process saved are remembered
(``core_plugins.recent_conversations``): the next message of the same
conversation skips reading and replaying its events when the database still
holds exactly what was saved.

Rasa's ``session_scope`` takes any ``ValueError`` raised while a session is
open for a missing PostgreSQL schema and exits the whole server; one odd
value in one conversation (a sender id SQLite cannot encode, say) would stop
everyone's assistant. Here only the schema check may do that; any other error
fails that one message and the server keeps serving.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Generator, Iterable
from typing import Any

import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from core_plugins import fast_json
from core_plugins.recent_conversations import Fingerprint, RecentConversations
from kneecare.cases.contact import install_log_redaction
from kneecare.privacy import redact_event
from rasa_patches import tracker_copies

install_log_redaction()

# Rasa handles messages on one event loop thread; a few spare connections
# cover the HTTP API and the conversations export running alongside
SQLITE_POOL_SIZE = 4


# The rows SQLTrackerStore._event_query selects for the current session (from the
# latest session start on), counted, as one plain statement: building the ORM
# query costs more than running it (see _CountQuery).
CURRENT_SESSION_ROWS = sqlalchemy.text(
    f"""
    SELECT count(id), max(id) FROM {SQLTrackerStore.SQLEvent.__tablename__}
    WHERE sender_id = :sender_id AND (
        timestamp >= (SELECT max(timestamp) FROM {SQLTrackerStore.SQLEvent.__tablename__}
                      WHERE sender_id = :sender_id AND type_name = '{SessionStarted.type_name}')
        OR NOT EXISTS (SELECT 1 FROM {SQLTrackerStore.SQLEvent.__tablename__}
                       WHERE sender_id = :sender_id AND type_name = '{SessionStarted.type_name}')
    )
    """
)


class _CountQuery:
    """``CURRENT_SESSION_ROWS`` compiled once for the store's driver and run on its own cursor.

    Through the ORM session the statement costs about 130 microseconds on
    SQLite, of which the query is 40; the driver's cursor, in the same
    transaction, takes about 75. It runs once or twice per message.
    """

    def __init__(self, dialect: Any) -> None:
        compiled = CURRENT_SESSION_ROWS.compile(dialect=dialect)
        self._sql = str(compiled)
        # positional paramstyles (SQLite's "?") name each placeholder in order
        self._positions = len(compiled.positiontup or ()) if compiled.positional else None

    def __call__(self, session: Any, sender_id: str) -> Fingerprint:
        params: Any = (
            {"sender_id": sender_id} if self._positions is None else (sender_id,) * self._positions
        )
        cursor = session.connection().connection.cursor()
        try:
            cursor.execute(self._sql, params)
            rows, last_id = cursor.fetchone()
        finally:
            cursor.close()
        return Fingerprint(int(rows), last_id)


class TrackerStoreError(RuntimeError):
    """A conversation could not be read or written; the server carries on."""


class RedactingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store, with contact details redacted on the way in."""

    engine: sqlalchemy.engine.Engine

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # SQLAlchemy 1.4 opens and closes a SQLite file connection for every
            # session (NullPool): two or three per message, about a millisecond
            # each with the pragmas. A small pool keeps them open.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sqlalchemy.create_engine(
                url, poolclass=QueuePool, pool_size=SQLITE_POOL_SIZE, max_overflow=0,
                connect_args={"check_same_thread": False},
            )
            self.sessionmaker = sessionmaker(bind=self.engine)
            sqlalchemy_event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            with self.engine.connect() as connection:  # WAL is a property of the file
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        self._recent = RecentConversations()
        self._fingerprint = _CountQuery(self.engine.dialect)

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Any, None, None]:
        """Rasa's session scope (its schema check and exit), other errors raised as errors."""
        with super().session_scope() as session:
            try:
                yield session
            except ValueError as error:  # would reach Rasa's "schema missing, exit"
                raise TrackerStoreError(str(error)) from error

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's current session: remembered if unchanged, else from the database."""
        if self.domain is not None and self._recent.knows(sender_id):
            with self.session_scope() as session:
                stored = self._fingerprint(session, sender_id)
            events = self._recent.events(sender_id, stored)
            if events is not None:
                # the replay kept for tracker copies, when these events extend it
                return tracker_copies.from_events(sender_id, list(events), self.domain.slots)
        return await super().retrieve(sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """``SQLTrackerStore.save``, and remember what the database now holds.

        The new rows are inserted in one statement (the ORM inserted them one
        by one to learn their ids); what is stored is then counted in the
        same transaction, so the fingerprint is the database's own. Which
        events are new is known without a query when the tracker grew from
        a read served from memory (``rows_already_stored``).
        """
        await self.stream_events(tracker)
        with self.session_scope() as session:
            rows, redacted = self._new_rows(session, tracker)
            if rows:
                session.execute(self.SQLEvent.__table__.insert(), rows)
            stored = self._fingerprint(session, tracker.sender_id)
            session.commit()
        session_events = _current_session(tracker.events)
        # what was stored redacted differs from the events in memory: read it back next time
        if redacted or stored.rows != len(session_events):
            self._recent.forget(tracker.sender_id)
        else:
            self._recent.remember(tracker.sender_id, stored, session_events)

    def _new_rows(
        self, session: Any, tracker: DialogueStateTracker
    ) -> tuple[list[dict[str, Any]], bool]:
        """The rows of the events not stored yet, redacted, and whether redaction changed any."""
        already_stored = self._recent.rows_already_stored(tracker.sender_id, tracker.events)
        if already_stored is None:
            already_stored = self._fingerprint(session, tracker.sender_id).rows
        asked: str | None = None
        events = list(tracker.events)
        for event in itertools.islice(events, 0, already_stored):
            asked = _asked_after(event, asked)
        rows: list[dict[str, Any]] = []
        redacted = False
        for event in itertools.islice(events, already_stored, len(events)):
            original = event.as_dict()
            data = redact_event(original, asked)
            redacted = redacted or data != original
            asked = _asked_after(event, asked)
            rows.append(_row(tracker.sender_id, event.type_name, data))
        return rows, redacted


def _row(sender_id: str, type_name: str, data: dict[str, Any]) -> dict[str, Any]:
    """An events-table row as SQLTrackerStore writes it."""
    return {
        "sender_id": sender_id,
        "type_name": type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": fast_json.dumps(data),
    }


def _current_session(events: Iterable[Event]) -> list[Event]:
    """The events ``SQLTrackerStore.retrieve`` would read back: from the latest session start on."""
    listed = list(events)
    starts = [event.timestamp for event in listed if isinstance(event, SessionStarted)]
    if not starts:
        return listed
    latest = max(starts)
    return [event for event in listed if event.timestamp >= latest]


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _asked_after(event: Any, asked: str | None) -> str | None:
    if isinstance(event, SlotSet) and event.key == "requested_slot":
        return event.value if isinstance(event.value, str) else None
    return asked
