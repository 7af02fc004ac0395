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
from typing import Any

import socketio
from aiohttp import web

from channels.widget_cards import card_for
from tests.channels.fakes import free_port

HTML_MESSAGE = ('<img src=x onerror=alert(1)> and <b>bold</b>\nSecond line: '
                'https://example.org/page. Not a link: javascript:alert(1)')


def quick_replies(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"content_type": "text", "title": title, "payload": payload}
            for title, payload in pairs]


SCRIPT: dict[str, list[dict[str, Any]]] = {
    "/greet": [{"text": "Hi, I'm the test assistant.", "quick_replies": []},
               {"text": "What would you like to do?", "quick_replies": quick_replies(
                   ("Check my symptoms", "/start_triage"),
                   ("How do I book?", "/book_appointment"))}],
    "/start_triage": [{"text": "Did it start with an injury?", "quick_replies": quick_replies(
        ("Yes", "/affirm"), ("No", "/deny"), ("Not sure", "/not_sure"))}],
    "send html": [{"text": HTML_MESSAGE}],
    "/outcome": [
        {"text": "I'd suggest seeing a physiotherapist. A physio can find what's behind the pain"
                 " and give you a plan to get walking comfortably again.\nWhy: the pain has"
                 " lasted 3 weeks, it limits your walking and it has changed the way you walk;"
                 " pain that lasts and changes how you move is worth a proper assessment, and"
                 " the earlier it is looked at the sooner you are back to normal.\nBook at"
                 " https://clinic.example/book, call 020 7946 0321, or ask for a call back."
                 " NHS self-referral is another route (111.nhs.uk lists services).\nIf it gets"
                 " worse, or the knee becomes hot and swollen or you can't put weight on it,"
                 " call NHS 111, or 999 in an emergency.",
         "card": card_for("utter_outcome_physio"),
         "quick_replies": quick_replies(("Ask for a call back", "/request_callback"),
                                        ("How do I book?", "/book_appointment"))},
        {"text": "Is there anything else I can help with? You can ask me about exercises,"
                 " footwear, weight and walking, what to expect at a first visit, or the"
                 " clinic's fees and opening hours. Whatever you need, type it below and I'll"
                 " do my best to answer, or press one of the buttons above."},
    ],
    "/emergency": [{"text": "Please call 999 or go to A&E now. Do not wait for a reply from the"
                            " clinic.\nWhy: a hot, swollen knee with a fever.",
                    "card": card_for("utter_outcome_emergency")}],
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
