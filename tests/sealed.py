"""Checks that a file holds nothing readable without the case key.

Searching a Fernet token's text for a name is not a test: the token is random
base64, so a short word such as "Sam" turns up in it by chance (about one run
in a few hundred). What holds for certain is that the whole file is a single
token that the key opens (its HMAC covers every byte), so no part of the file
is plain text; what it opens to shows the details were there to be hidden.
"""

from __future__ import annotations

from cryptography.fernet import Fernet


def opened_sealed_text(raw: str, key: bytes) -> str:
    """The plain text of ``raw``, asserting it is one Fernet token and nothing else."""
    assert raw and raw == raw.strip(), "nothing may surround the token"
    return Fernet(key).decrypt(raw.encode("ascii"), ttl=None).decode()
