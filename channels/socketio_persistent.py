"""Rasa's socket.io channel with session persistence that works with python-socketio 5.18.

With ``session_persistence: true`` Rasa 3.6.21 puts each browser socket in a
room named after its session id and sends bot messages to that room. It calls
``sio.enter_room(...)`` without ``await``, but in the python-socketio pinned
here (5.18) ``AsyncServer.enter_room`` is a coroutine: the socket never joins
the room and the widget never gets an answer (Python only warns "coroutine
'AsyncServer.enter_room' was never awaited"). This subclass replaces that one
handler; everything else, the channel name "socketio" and the /socket.io path
included, is Rasa's. Drop it when Rasa awaits the call itself.

It also refuses connections from browser pages whose ``Origin`` is not in
``ALLOWED_ORIGINS`` (channels/origins.py): CORS does not cover WebSockets, and
Rasa's socket.io server switches python-socketio's own origin check off.
"""

from __future__ import annotations

import inspect
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from channels.origins import allowed_origins, origin_allowed

logger = logging.getLogger(__name__)


class SocketIOPersistentInput(SocketIOInput):
    """``socketio`` channel whose session_request really joins the session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint
        allowed = allowed_origins(os.environ)
        rasa_connect = sio.handlers[self.namespace or "/"]["connect"]

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            if not origin_allowed(environ.get("HTTP_ORIGIN"), allowed):
                logger.warning("Refused a socket.io connection from an origin not in"
                               " ALLOWED_ORIGINS")
                return False
            if auth is not None and not isinstance(auth, dict):
                return False  # Rasa's handler expects a mapping
            return bool(await rasa_connect(sid, environ, auth))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and requested else uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return socketio_webhook
