"""Encryption of contact details at rest, and keyed look-up hashes.

Names, phone numbers and e-mail addresses are stored as Fernet tokens
(AES-128-CBC with HMAC-SHA256, from ``cryptography``). Because a token differs
every time, erasure by phone or e-mail finds rows through a keyed hash
(HMAC-SHA256 of the normalised value with a key derived from the Fernet key),
which reveals nothing without the key. The key comes from ``CASE_DATA_KEY``;
outside production an unset key means a key file under var/ is created once
(mode 0600) and reused. Losing the key makes the stored contact details
unreadable, so production keeps it in the clinic's secret store.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from kneecare.cases.settings import CaseSettings


class CaseKeyError(RuntimeError):
    """The encryption key is missing or unusable; the message says what to do."""


@dataclass(frozen=True)
class ContactCipher:
    """Encrypts and decrypts contact fields and hashes them for look-up."""

    key: bytes

    def __post_init__(self) -> None:
        try:
            Fernet(self.key)
        except (ValueError, TypeError):
            raise CaseKeyError(
                "CASE_DATA_KEY is not a Fernet key; make one with "
                '`python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`'
            ) from None

    def encrypt(self, value: str | None) -> str | None:
        return None if value is None else Fernet(self.key).encrypt(value.encode()).decode()

    def decrypt(self, token: str | None) -> str | None:
        if token is None:
            return None
        try:
            return Fernet(self.key).decrypt(token.encode()).decode()
        except InvalidToken:
            raise CaseKeyError(
                "contact details cannot be decrypted: CASE_DATA_KEY differs from the key"
                " they were stored with"
            ) from None

    def lookup_hash(self, value: str | None) -> str | None:
        if value is None:
            return None
        return self.keyed_digest("contact-lookup", value)

    def keyed_digest(self, purpose: str, value: str) -> str:
        """HMAC-SHA256 of ``value`` under a key derived from this one for ``purpose``."""
        return hmac.new(self.derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()

    def derived_key(self, purpose: str) -> bytes:
        """A separate key per purpose (look-ups, pseudonyms, session ids), all from this one."""
        return hashlib.sha256(f"kneecare-{purpose}:".encode() + self.key).digest()


def cipher_from_settings(settings: CaseSettings) -> ContactCipher:
    """The cipher for ``CASE_DATA_KEY``, or for the development key file."""
    if settings.case_data_key:
        return ContactCipher(settings.case_data_key.strip().encode())
    if settings.production:
        raise CaseKeyError("CASE_DATA_KEY must be set when KNEE_ENV=production")
    return ContactCipher(_development_key(settings.key_file))


def _development_key(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return path.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key
