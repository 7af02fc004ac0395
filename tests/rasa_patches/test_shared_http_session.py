"""Action calls reuse one session and its connections; Rasa's request behaves as before."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from core_plugins.fast_json import dumps as fast_json_dumps
from rasa_patches import shared_http_session
from rasa_patches.shared_http_session import close_sessions, shared_session


@pytest.fixture
async def server(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[str, list[tuple]]]:
    monkeypatch.setattr(EndpointConfig, "session", shared_session)
    seen: list[tuple] = []

    async def webhook(request: web.Request) -> web.Response:
        seen.append((request.transport.get_extra_info("peername")[1],  # the caller's port
                     request.headers.get("X-Clinic"), await request.json()))
        if request.query.get("fail"):
            return web.json_response({"error": "no"}, status=500)
        return web.json_response({"events": [], "responses": []})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/webhook", seen
    await close_sessions()
    await runner.cleanup()


async def test_calls_reuse_one_connection_and_answer_as_before(server) -> None:
    url, seen = server
    endpoint = EndpointConfig(url)
    for number in range(3):
        assert await endpoint.request(json={"n": number}) == {"events": [], "responses": []}
    assert [body for _, _, body in seen] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert len({port for port, _, _ in seen}) == 1, "one kept-alive connection"


async def test_errors_are_raised_as_rasa_raises_them(server) -> None:
    url, _ = server
    with pytest.raises(ClientResponseError):
        await EndpointConfig(url, params={"fail": "1"}).request(json={})
    assert await EndpointConfig(url).request(json={}) == {"events": [], "responses": []}


async def test_settings_that_differ_get_their_own_session(server) -> None:
    url, seen = server
    await EndpointConfig(url, headers={"X-Clinic": "a"}).request(json={})
    await EndpointConfig(url, headers={"X-Clinic": "b"}).request(json={})
    await EndpointConfig(url, headers={"X-Clinic": "a"}).request(json={})
    assert [clinic for _, clinic, _ in seen] == ["a", "b", "a"]
    kept = shared_http_session._sessions[asyncio.get_running_loop()]
    assert len(kept) == 2


async def test_closing_closes_the_kept_sessions(server) -> None:
    url, _ = server
    await EndpointConfig(url).request(json={})
    sessions = list(shared_http_session._sessions[asyncio.get_running_loop()].values())
    await close_sessions()
    assert sessions and all(session.closed for session in sessions)
    # a later call opens a new one
    assert await EndpointConfig(url).request(json={}) == {"events": [], "responses": []}


async def test_request_bodies_are_encoded_with_fast_json(server, monkeypatch) -> None:
    url, seen = server
    encoded: list[object] = []

    def spy(value: object) -> str:
        encoded.append(value)
        return fast_json_dumps(value)

    monkeypatch.setattr(shared_http_session.fast_json, "dumps", spy)
    await close_sessions()  # a new session picks the encoder up
    body = {"tracker": {"events": [{"event": "user", "text": "knee / hip"}]}, "n": 1.5}
    assert await EndpointConfig(url).request(json=body) == {"events": [], "responses": []}
    assert encoded == [body] and seen[-1][2] == body
