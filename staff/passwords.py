"""Staff passwords: what a new username and password must be, scrypt hashes, checking them.

Passwords are hashed with scrypt and a per-user salt and compared in constant
time. ``DUMMY_HASH`` lets an unknown username cost the same as a wrong
password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from typing import Final

MIN_PASSWORD_LENGTH: Final = 12
MAX_PASSWORD_LENGTH: Final = 256
USERNAME_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class AccountError(ValueError):
    """A username or password that cannot be used; says why."""


def hash_password(password: str) -> str:
    """'scrypt$n$r$p$salt$hash' with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    encode = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${encode(salt).decode()}${encode(digest).decode()}"
    )


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of ``password`` against a ``hash_password`` value."""
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode()[: MAX_PASSWORD_LENGTH * 4],
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=32,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, base64.b64decode(expected))


DUMMY_HASH: Final = hash_password(secrets.token_urlsafe(16))


def check_new_credentials(username: str, password: str) -> None:
    """Raise ``AccountError`` for a username or password an account may not have."""
    if not USERNAME_PATTERN.match(username):
        raise AccountError("a username is 2 to 64 lower-case letters, digits, '.', '_' or '-'")
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(
            f"a password needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters"
        )
    if password.lower() == username.lower() or len(set(password)) < 4:
        raise AccountError("that password is too easy to guess")
