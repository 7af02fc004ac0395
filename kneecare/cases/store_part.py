"""The base of the case store's parts: which databases they work on."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from kneecare.cases.crypto import ContactCipher
from kneecare.cases.database import get_engine


class StorePart:
    """One part of ``CaseStore``: the case database (and Rasa's tracker store, optional)."""

    def __init__(self, url: str, cipher: ContactCipher, tracker_url: str | None = None):
        self.url = url
        self.cipher = cipher
        self.tracker_url = tracker_url

    @property
    def engine(self) -> Engine:
        return get_engine(self.url)
