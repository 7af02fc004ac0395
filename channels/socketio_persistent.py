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
Rasa's socket.io server switches python-socketio's own origin check off. The
refusal names the origin and the setting, in the server log and to the widget
(``connect_error`` "origin not allowed"), which tells the site's developer in
the console and the visitor that the chat isn't set up for this website yet.
Outcome and emergency messages go out as cards (channels/widget_cards.py).

And it checks what the browser sends, which Rasa passes on as it comes: a
``user_uttered`` payload that is not an object, a missing or malformed session
id or message is ignored (logged without its content) instead of failing in
the pipeline, metadata that is not an object becomes {}, and a message over
``MAX_MESSAGE_CHARS`` characters gets a reply asking for a shorter one.

Sessions belong to the socket that opened them. Rasa takes the session id of
every ``user_uttered`` on trust, so any client could write into anyone's
conversation (and have the replies shown in that person's widget) by naming
its id. Here a ``session_request`` may resume only an id this server issued:
a UUID4 in hex with a keyed signature (``<uuid>.<signature>``, key derived
from ``CASE_DATA_KEY``); anything else, a well-formed id it never issued
included, gets a new one. A message is passed on only for the session its
socket holds. Rasa stores the conversation as ``web:<uuid>``
(``kneecare.conversation_ids``), which no other channel can name.
engine.io refuses packets over ``MAX_PACKET_BYTES`` before any handler runs.
"""

from __future__ import annotations

import hmac
import inspect
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint
from socketio.exceptions import ConnectionRefusedError as SocketIORefusal

from channels.bad_input import message_too_long_reply
from channels.client_address import with_client_key
from channels.conversation_keys import conversation_keys
from channels.origins import ORIGIN, allowed_origins, origin_allowed
from channels.widget_cards import CardSocketIOOutput
from kneecare.conversation_ids import widget_id
from kneecare.environment import environment
from kneecare.message_limits import Kind, check_incoming

logger = logging.getLogger(__name__)
# engine.io's limit for one packet or long-polling request (its default is 1 MB):
# room for a message of MAX_MESSAGE_CHARS characters however it is encoded
MAX_PACKET_BYTES = 64 * 1024


ISSUED_SESSION_ID = re.compile(r"([0-9a-f]{32})\.([0-9a-f]{32})")  # uuid4 hex . signature
SESSION_PURPOSE = "widget-session"
ORIGIN_REFUSED = "origin not allowed"  # the widget knows this connect_error message


def new_session_id() -> str:
    """A fresh session id, signed so that only this server's ids can be resumed."""
    session = uuid.uuid4().hex
    return f"{session}.{_signature(session)}"


def issued_session(requested: object) -> str | None:
    """The UUID part of a session id this server issued, else None."""
    match = ISSUED_SESSION_ID.fullmatch(requested) if isinstance(requested, str) else None
    if match is None or not hmac.compare_digest(match.group(2), _signature(match.group(1))):
        return None
    return match.group(1)


def loggable_origin(origin: str | None) -> str:
    """The origin as sent if it is one (scheme://host[:port]), else quoted and cut short:
    the header is the browser's (or anyone's) to write."""
    if origin is None:
        return "a client that sent no Origin header"
    return origin if ORIGIN.match(origin) else repr(origin[:80])


def _signature(session: str) -> str:
    return conversation_keys().keyed_digest(SESSION_PURPOSE, session)[:32]


class SocketIOPersistentInput(SocketIOInput):
    """``socketio`` channel whose session_request really joins the session's room."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None  # set by SocketIOInput.blueprint
        sio.eio.max_http_buffer_size = MAX_PACKET_BYTES
        allowed = allowed_origins(environment())
        rasa_connect = sio.handlers[self.namespace or "/"]["connect"]
        session_of: dict[str, str] = {}  # socket id -> the session it opened
        client_of: dict[str, tuple[str | None, str | None]] = {}  # socket id -> its address

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            origin = environ.get("HTTP_ORIGIN")
            if not origin_allowed(origin, allowed):
                shown = loggable_origin(origin)
                logger.warning(
                    "Refused a socket.io connection from %s: it is not in"
                    " ALLOWED_ORIGINS. To embed the chat there, add it and restart.",
                    shown,
                )
                raise SocketIORefusal(
                    ORIGIN_REFUSED, {"origin": shown, "setting": "ALLOWED_ORIGINS"}
                )
            if auth is not None and not isinstance(auth, dict):
                return False  # Rasa's handler expects a mapping
            client_of[sid] = (environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"))
            return bool(await rasa_connect(sid, environ, auth))

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None, *_: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = (requested if isinstance(requested, str) and issued_session(requested)
                          else new_session_id())
            session_of[sid] = session_id
            if self.session_persistence:
                room = widget_id(issued_session(session_id) or "")
                joined = sio.enter_room(sid, room, namespace=self.namespace)
                if inspect.isawaitable(joined):
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None, *_: Any) -> None:
            if not isinstance(data, dict):
                logger.info("socketio: ignored a %s that is not an object", self.user_message_evt)
                return
            session_id = data.get("session_id") if self.session_persistence else sid
            if self.session_persistence and session_id != session_of.get(sid):
                logger.info("socketio: ignored a message for a session this socket did not open")
                return
            # persistent: the room the session joined; else the socket's own room
            sender_id = (
                widget_id(issued_session(session_id) or "") if self.session_persistence else sid
            )
            output_channel = CardSocketIOOutput(sio, self.bot_message_evt)
            problem = check_incoming(sender_id, data.get("message"))
            if problem is not None:
                logger.info("socketio: did not pass on a message: %s", problem.detail)
                if problem.kind is Kind.TOO_LONG and problem.field == "message":
                    await output_channel.send_text_message(sender_id, message_too_long_reply())
                return
            await on_new_message(
                UserMessage(
                    data["message"],
                    output_channel,
                    sender_id,
                    input_channel=self.name(),
                    metadata=with_client_key(
                        self.metadata_of(data), *client_of.get(sid, (None, None))
                    ),
                )
            )

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str, *_: Any) -> None:
            session_of.pop(sid, None)
            client_of.pop(sid, None)

        return socketio_webhook

    def metadata_of(self, data: dict[str, Any]) -> dict[str, Any]:
        """The message's metadata object (Rasa also accepts it as a JSON string), else {}."""
        metadata = data.get(self.metadata_key)
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                metadata = None
        return metadata if isinstance(metadata, dict) else {}
