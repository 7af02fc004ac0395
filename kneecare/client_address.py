"""Which client a request came from, behind the local nginx of deploy/ or without it.

Behind the proxy the peer is 127.0.0.1 and the client is the last address in
``X-Forwarded-For`` (nginx appends the address it saw); the header is
trusted only from a loopback peer, so no one outside can choose their own.
"""

from __future__ import annotations

import ipaddress


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """The client: the last ``X-Forwarded-For`` entry when a local proxy sent it, else the peer."""
    if peer and forwarded_for and is_loopback(peer):
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last
    return peer or "unknown"


def is_loopback(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
