"""Replaces ``rasa.utils.endpoints.EndpointConfig.session``.

One HTTP client session per endpoint settings and event loop, so action calls reuse connections.

Rasa's ``EndpointConfig.request`` builds a new ``aiohttp.ClientSession`` for
every call and closes it afterwards: a new connector, a new TCP connection
to the action server and its teardown for every action, about a tenth of
the server's time under load (bench/NOTES.md). Here ``EndpointConfig.session``
hands out a session kept per event loop and per settings (headers, basic
auth), configured as Rasa configures it; leaving ``async with`` keeps it
open for the next call.

Idle connections are closed by this side after ``KEEPALIVE_SECONDS``, before
an action server with Sanic's default keep-alive (5 s) would close them, so a
reused connection is never one the server has already dropped. The session
encodes the request body with ``core_plugins.fast_json`` (the same JSON,
about twice as fast as the standard library).

Measured gain: without it the Rasa server used +28.5% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from core_plugins import fast_json

KEEPALIVE_SECONDS = 4.0

_Sessions = dict[tuple[Any, ...], aiohttp.ClientSession]
_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Sessions] = (
    weakref.WeakKeyDictionary()
)


class _Kept:
    """``async with`` over a shared session: entering gives it, leaving keeps it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def shared_session(self: EndpointConfig) -> _Kept:
    """``EndpointConfig.session`` with the session kept for later calls on this loop."""
    loop = asyncio.get_running_loop()
    key = (tuple(sorted(self.headers.items())), tuple(sorted(self.basic_auth.items())))
    kept = _sessions.setdefault(loop, {})
    session = kept.get(key)
    if session is None or session.closed:
        auth = (
            aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth else None
        )
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            json_serialize=fast_json.dumps,
        )
        kept[key] = session
    return _Kept(session)


async def close_sessions(*_args: Any) -> None:
    """Close this loop's kept sessions (a Sanic ``after_server_stop`` listener)."""
    kept = _sessions.pop(asyncio.get_running_loop(), {})
    for session in kept.values():
        await session.close()


def install() -> None:
    """Keep sessions in this process (idempotent)."""
    EndpointConfig.session = shared_session
