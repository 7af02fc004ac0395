"""The client's address as a keyed hash, attached to each message as ``client_key``.

The address is read by ``kneecare.client_address`` (behind the local nginx,
the last ``X-Forwarded-For`` entry; otherwise the peer). It is personal data
and is never stored: only its keyed hash (``ContactCipher.keyed_digest``),
which lets the case store count one client's new cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from channels.conversation_keys import conversation_keys
from kneecare.client_address import client_address, is_loopback

PURPOSE = "client-address"
CLIENT_KEY = "client_key"  # the metadata key actions/message_metadata.py reads


def client_key(address: str) -> str:
    return conversation_keys().keyed_digest(PURPOSE, address)[:32]


def with_client_key(metadata: Mapping[str, Any] | None, peer: str | None,
                    forwarded_for: str | None) -> dict[str, Any]:
    """``metadata`` with this client's key, replacing any the client sent.

    A client on this machine itself (loopback, not forwarded by the proxy) has
    no key, so no limit: that is the clinic's own integrations and tests.
    """
    clean = {key: value for key, value in (metadata or {}).items() if key != CLIENT_KEY}
    address = client_address(peer, forwarded_for)
    if is_loopback(address):
        return clean
    return {**clean, CLIENT_KEY: client_key(address)}
