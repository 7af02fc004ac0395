"""The store, cipher and outbox the settings describe, and recording that never loses a case.

``default_store()`` is made on first use, after bringing the schema up to
date (and giving stored conversations the ids their channels give today),
never at import time. ``record_or_keep`` stores a case, and when the
database is unavailable keeps it in the encrypted outbox and raises
``CaseKeptInOutbox``; the next successful recording delivers what waits there.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from kneecare.cases.crypto import ContactCipher, cipher_from_settings
from kneecare.cases.database import upgrade_database
from kneecare.cases.outbox import Delivery, Outbox, PendingCase
from kneecare.cases.pseudonyms import pseudonymise_stored_conversations
from kneecare.cases.settings import CaseSettings, case_settings
from kneecare.cases.store import CaseStore

logger = logging.getLogger(__name__)


class CaseKeptInOutbox(RuntimeError):
    """The database was unavailable: the case waits in the outbox, not yet in the queue."""


def default_cipher() -> ContactCipher:
    """The contact cipher from the settings; needs the key, not the database."""
    return _cipher_for(case_settings())


@lru_cache(maxsize=4)
def _cipher_for(settings: CaseSettings) -> ContactCipher:
    return cipher_from_settings(settings)


@lru_cache(maxsize=1)
def default_store() -> CaseStore:
    """The store from the settings, its schema upgraded (once per process)."""
    settings = case_settings()
    upgrade_database(settings.database_url)
    store = CaseStore(settings.database_url, default_cipher(), settings.tracker_db_url)
    renamed = pseudonymise_stored_conversations(store.engine, store.tracker_url, store.cipher)
    if renamed.cases or renamed.conversations:
        logger.info(
            "gave %d cases and %d conversations the ids their channels give today",
            renamed.cases,
            renamed.conversations,
        )
    return store


def default_outbox() -> Outbox:
    """Where cases wait, encrypted, while the database is unavailable."""
    return Outbox(case_settings().outbox_dir, default_cipher())


def deliver_outbox() -> Delivery:
    """Store the cases waiting in the outbox; raises if the database is still unavailable."""
    return default_outbox().deliver(default_store())


def record_or_keep(case: PendingCase) -> int:
    """Store ``case`` and then what waits in the outbox; keep it there if that fails."""
    case.check()  # bad input is refused at once, never kept
    try:
        case_id = case.store_in(default_store())
    except ValueError:
        raise  # bad input or a rate limit (CaseError, ...): retrying would not help
    except Exception as error:
        outbox = default_outbox()
        outbox.keep(case)
        logger.error(
            "case database unavailable (%s): the %s case of conversation %s is kept in the"
            " outbox (%d waiting); it is stored on the next successful recording or with"
            " `python -m kneecare.cases retry`",
            type(error).__name__,
            case.kind,
            case.conversation_id,
            len(outbox.files()),
        )
        raise CaseKeptInOutbox(f"{case.kind} case kept in the outbox") from None
    try:
        default_outbox().deliver(default_store())
    except Exception as error:  # the new case is stored; the outbox waits for the next time
        logger.error("could not deliver the outbox (%s)", type(error).__name__)
    return case_id
