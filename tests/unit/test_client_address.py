"""Which address a message came from, and that only its keyed hash travels on."""

from __future__ import annotations

import pytest

from channels.client_address import CLIENT_KEY, client_key, with_client_key
from kneecare.client_address import client_address


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("203.0.113.9", None, "203.0.113.9"),
    ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # nginx on the same machine
    ("127.0.0.1", "10.1.1.1, 198.51.100.7", "198.51.100.7"),  # the proxy's own entry counts
    ("::1", "198.51.100.8", "198.51.100.8"),
    ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # a header from outside is not trusted
    (None, None, "unknown"),
])
def test_the_client_is_the_peer_unless_a_local_proxy_forwarded_it(
        peer: str | None, forwarded: str | None, expected: str) -> None:
    assert client_address(peer, forwarded) == expected


def test_the_client_key_replaces_any_the_client_sent_and_hides_the_address() -> None:
    metadata = with_client_key({"client_key": "chosen-by-client", "page": "/"},
                               "203.0.113.9", None)
    assert metadata["page"] == "/"
    assert metadata[CLIENT_KEY] == client_key("203.0.113.9") != "chosen-by-client"
    assert "203.0.113.9" not in metadata[CLIENT_KEY]
    assert client_key("203.0.113.10") != client_key("203.0.113.9")


@pytest.mark.parametrize(("peer", "forwarded", "keyed"), [
    ("127.0.0.1", None, False),  # the clinic's own integration on this machine
    ("::1", None, False),
    ("127.0.0.1", "198.51.100.7", True),  # a visitor through the local proxy
    ("203.0.113.9", None, True),
])
def test_only_clients_from_elsewhere_get_a_key(peer: str, forwarded: str | None,
                                               keyed: bool) -> None:
    metadata = with_client_key({"client_key": "forged"}, peer, forwarded)
    assert (CLIENT_KEY in metadata) is keyed
    assert metadata.get(CLIENT_KEY) != "forged"
