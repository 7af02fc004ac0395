"""The client's address as a keyed hash, attached to each message as ``client_key``.

Behind the nginx of deploy/ the peer is 127.0.0.1 and the client is the last
address in ``X-Forwarded-For`` (nginx appends the address it saw); a header
from anyone else is not trusted. The address itself is personal data and is
never stored: only its keyed hash (``ContactCipher.keyed_digest``), which lets
the case store count one client's new cases.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from channels.conversation_keys import conversation_keys

PURPOSE = "client-address"
CLIENT_KEY = "client_key"  # the metadata key actions/message_metadata.py reads


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """The client: the last ``X-Forwarded-For`` entry when a local proxy sent it, else the peer."""
    if peer and forwarded_for and _is_loopback(peer):
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer or "unknown"


def client_key(address: str) -> str:
    return conversation_keys().keyed_digest(PURPOSE, address)[:32]


def with_client_key(metadata: Mapping[str, Any] | None, peer: str | None,
                    forwarded_for: str | None) -> dict[str, Any]:
    """``metadata`` with this client's key, replacing any the client sent."""
    return {**(metadata or {}), CLIENT_KEY: client_key(client_address(peer, forwarded_for))}


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
