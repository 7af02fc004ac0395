"""The key the channels make conversation pseudonyms and session ids with.

It is derived from the case store's ``CASE_DATA_KEY`` (``kneecare.cases.
default_cipher``), so the Rasa server, the action server and the staff view
agree on every pseudonym without another secret to manage.
"""

from __future__ import annotations

from functools import lru_cache

from kneecare.cases.crypto import ContactCipher


@lru_cache(maxsize=1)
def conversation_keys() -> ContactCipher:
    """Read once per process (tests call ``cache_clear`` after changing the key)."""
    from kneecare.cases import default_cipher

    return default_cipher()
