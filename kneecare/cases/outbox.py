"""The outbox: cases the database could not take, kept encrypted and delivered later.

When the case database cannot be reached, a flagged triage outcome or a
call-back request is not dropped: ``Outbox.keep`` writes it to one file in the
outbox folder (``CASE_OUTBOX_DIR``, default ``var/outbox``), the whole record
encrypted as one Fernet token with the key that encrypts contact details in
the database (``CASE_DATA_KEY``). Files are written atomically, readable by
the owner only, and named by time, so delivery keeps the original order.
``Outbox.deliver`` stores every waiting case with its original time and
deletes its file; it runs after each successful store call and from
``python -m kneecare.cases retry``. A file lock keeps two processes on one
machine from delivering the same case twice. Erasure removes waiting cases
too. Log lines name counts and conversation ids, never the person.
"""

from __future__ import annotations

import fcntl
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Final

from kneecare.cases.contact import normalise_phone_or_email
from kneecare.cases.crypto import ContactCipher
from kneecare.cases.pending import PendingCase
from kneecare.cases.store import CaseStore

__all__ = ["Delivery", "Outbox", "PendingCase"]

logger = logging.getLogger(__name__)

SUFFIX: Final = ".case"


@dataclass(frozen=True)
class Delivery:
    """What one delivery run did."""

    delivered: int
    waiting: int


class Outbox:
    """A folder of encrypted cases waiting for the database."""

    def __init__(self, folder: Path, cipher: ContactCipher):
        self.folder = folder
        self.cipher = cipher

    def keep(self, case: PendingCase) -> Path:
        """Write ``case`` to the outbox (encrypted, atomically); returns its file."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = case.created_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}-{uuid.uuid4().hex}{SUFFIX}"
        token = self.cipher.encrypt(case.to_json()) or ""
        partial = path.with_suffix(".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(token)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
        return path

    def files(self) -> list[Path]:
        """The waiting cases' files, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"*{SUFFIX}"))

    def read(self, path: Path) -> PendingCase:
        return PendingCase.from_json(self.cipher.decrypt(path.read_text(encoding="ascii")) or "")

    def waiting(self) -> list[PendingCase]:
        """The waiting cases, oldest first (decrypted)."""
        return [self.read(path) for path in self.files()]

    def deliver(self, store: CaseStore) -> Delivery:
        """Store every waiting case, oldest first; stops at the first database error.

        Another process delivering at the same time is left to it (nothing is
        stored twice). A case the store refuses as bad input cannot succeed
        later either: it stays in the outbox, logged, for a person to look at.
        """
        if not self.files():
            return Delivery(delivered=0, waiting=0)
        delivered = 0
        with self._lock() as locked:
            if not locked:
                return Delivery(delivered=0, waiting=len(self.files()))
            for path in self.files():
                case = self.read(path)
                try:
                    case_id = case.store_in(store)
                except ValueError as error:  # CaseError and friends: bad input, not an outage
                    logger.error(
                        "outbox: a %s case of conversation %s was refused (%s); left in %s",
                        case.kind,
                        case.conversation_id,
                        type(error).__name__,
                        path.name,
                    )
                    continue
                except Exception as error:
                    logger.warning(
                        "outbox: the case database is still unavailable (%s)", type(error).__name__
                    )
                    break
                path.unlink()
                delivered += 1
                logger.info(
                    "outbox: delivered a %s case of conversation %s as case %s",
                    case.kind,
                    case.conversation_id,
                    case_id,
                )
        waiting = len(self.files())
        if delivered or waiting:
            logger.info("outbox: %d cases delivered, %d waiting", delivered, waiting)
        return Delivery(delivered=delivered, waiting=waiting)

    def discard(self, keep: Callable[[PendingCase], bool]) -> int:
        """Delete the waiting cases for which ``keep`` is false (erasure); returns how many."""
        if not self.files():
            return 0
        removed = 0
        with self._lock(wait=True):
            for path in self.files():
                if not keep(self.read(path)):
                    path.unlink()
                    removed += 1
        return removed

    def discard_conversations(self, conversation_ids: set[str]) -> int:
        return self.discard(lambda case: case.conversation_id not in conversation_ids)

    def discard_contact(self, phone_or_email: str) -> int:
        """Delete waiting call-backs with this phone number or e-mail address."""
        phone, email = normalise_phone_or_email(phone_or_email)

        def other_person(case: PendingCase) -> bool:
            contact = case.values.get("contact") or {}
            if phone:
                return bool(contact.get("phone") != phone)
            return bool((contact.get("email") or "").lower() != (email or "").lower())

        return self.discard(other_person)

    @contextmanager
    def _lock(self, wait: bool = False) -> Iterator[bool]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.folder / ".lock", "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
