"""A stand-in for Rasa's socket.io channel, so the widget can be tested without a model.

It speaks the same events as ``rasa.core.channels.socketio`` with
session_persistence on (session_request -> session_confirm, user_uttered ->
bot_uttered in the same shapes, quick replies included, and ``card`` on
outcome and emergency messages as channels/widget_cards.py adds it) and
answers from a short script. It runs python-socketio on aiohttp in a
background thread.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio
import yaml
from aiohttp import web

from channels.widget_cards import card_for
from kneecare.clinic import load_settings
from tests.channels.fakes import free_port

HTML_MESSAGE = (
    "<img src=x onerror=alert(1)> and <b>bold</b>\nSecond line: "
    "https://example.org/page. Not a link: javascript:alert(1)"
)


def quick_replies(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [
        {"content_type": "text", "title": title, "payload": payload} for title, payload in pairs
    ]


DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
PHYSIO_WHY = (
    'the pain has lasted about 3 weeks (you said: "about 3 weeks") and it has changed'
    ' the way you walk (you said: "I\'m limping")'
)
EMERGENCY_WHY = "a hot, swollen knee with a fever"


def outcome(response: str, why: str) -> dict[str, Any]:
    """An outcome as the website channel sends it: the response's first text in domain.yml,
    filled in from clinic.yml and ``why``, its buttons, and its card."""
    variation = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"][response][0]
    text = variation["text"].format(**load_settings().template_values(), triage_why=why)
    buttons = [(button["title"], button["payload"]) for button in variation.get("buttons", [])]
    message: dict[str, Any] = {"text": text, "card": card_for(response)}
    if buttons:
        message["quick_replies"] = quick_replies(*buttons)
    return message


SCRIPT: dict[str, list[dict[str, Any]]] = {
    "/greet": [
        {"text": "Hi, I'm the test assistant.", "quick_replies": []},
        {
            "text": "What would you like to do?",
            "quick_replies": quick_replies(
                ("Check my symptoms", "/start_triage"), ("How do I book?", "/book_appointment")
            ),
        },
    ],
    "/start_triage": [
        {
            "text": "Did it start with an injury?",
            "quick_replies": quick_replies(
                ("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/not_sure")
            ),
        }
    ],
    "send html": [{"text": HTML_MESSAGE}],
    "/outcome": [outcome("utter_outcome_physio", PHYSIO_WHY)],
    "About 3 weeks, and I'm limping": [outcome("utter_outcome_physio", PHYSIO_WHY)],
    "/emergency": [outcome("utter_outcome_emergency", EMERGENCY_WHY)],
}


@dataclass
class FakeRasa:
    port: int = field(default_factory=free_port)
    received: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[str | None] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> FakeRasa:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            assert self._loop is not None
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(self._serve())
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        if not ready.wait(15):
            raise RuntimeError("fake Rasa did not start")
        return self

    async def _serve(self) -> None:
        sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        app = web.Application()
        sio.attach(app)

        @sio.on("session_request")
        async def session_request(sid: str, data: dict[str, Any] | None) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            self.sessions.append((data or {}).get("session_id"))
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: dict[str, Any]) -> None:
            self.received.append(data)
            message = data.get("message", "")
            replies = SCRIPT.get(message) or [{"text": f"You said: {message}"}]
            for reply in replies:
                await asyncio.sleep(0.05)
                await sio.emit("bot_uttered", reply, room=data.get("session_id"))

        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def stop(self) -> None:
        if self._loop:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    async def _shutdown(self) -> None:
        if self._runner:
            await self._runner.cleanup()
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    def messages(self) -> list[str]:
        return [data.get("message", "") for data in self.received]
