"""Rasa's REST channel, answering bad requests with a 4xx and a JSON error instead of a 500.

Rasa 3.6.21's ``RestInput`` reads ``request.json`` and passes whatever it finds
to the agent: a JSON array answers 500, a number as ``message`` or an object
as ``metadata`` fails inside the pipeline (200 with no reply, the text in the
error log), and a sender id that is not valid text stops the whole server
(the SQL tracker store exits on the encoding error). This subclass checks the
body with ``kneecare.message_limits.check_rest_body`` first and answers

- 400 ``{"error": "..."}`` for a body that is not JSON, not an object, or a
  field that is missing, of the wrong type, empty or not valid text;
- 413 ``{"error": "..."}`` for a message over ``MAX_MESSAGE_CHARS`` characters
  or a sender id over ``MAX_SENDER_ID_CHARS`` (Sanic answers 413 itself for a
  body over ``SANIC_REQUEST_MAX_SIZE``).

With a ``token`` (``REST_WEBHOOK_TOKEN`` in the environment, merged in by
channels/credentials.py) every request must carry ``Authorization: Bearer
<token>`` or gets 401: the REST channel trusts the sender id it is given, so
outside a closed network only the clinic's own integrations should reach it.

Only ``Content-Type: application/json`` is accepted (415 otherwise): a web
page on another site can send a ``text/plain`` POST without asking the
browser's CORS check first, and must not reach the assistant that way.

The sender id becomes ``rest:<sender>`` (``kneecare.conversation_ids``): a
REST client reaches only REST conversations, never an SMS, Telegram or widget
one, whatever id it sends. The input channel is always "rest".

Good requests are handled as Rasa's channel does (``?stream=true`` too),
except that a failure is logged without the message text. The channel keeps the name
"rest", so the URL stays ``/webhooks/rest/webhook``.
"""

from __future__ import annotations

import hmac
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from channels.bad_input import json_body, json_error
from channels.client_address import with_client_key
from kneecare.conversation_ids import rest_id
from kneecare.message_limits import check_rest_body

logger = logging.getLogger(__name__)


def is_json(request: Request) -> bool:
    """``application/json`` (any parameters, such as a charset)."""
    media_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    return media_type == "application/json"


class CheckedRestInput(RestInput):
    """``/webhooks/rest/webhook`` that refuses malformed requests with a clear 4xx."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token or None

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> CheckedRestInput:
        return cls(token=(credentials or {}).get("token"))

    def authorised(self, request: Request) -> bool:
        """No token configured, or the request's bearer token matches it."""
        if self.token is None:
            return True
        given = (request.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        rest_webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @rest_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse | ResponseStream:
            if not self.authorised(request):
                return json_error(401, "this webhook needs 'Authorization: Bearer <token>'")
            if not is_json(request):
                return json_error(415, "send the body as JSON, with"
                                       " 'Content-Type: application/json'")
            body, unreadable = json_body(request)
            if unreadable is not None:
                return json_error(400, unreadable)
            problem = check_rest_body(body)
            if problem is not None:
                logger.info("rest: refused a request: %s", problem.detail)
                return json_error(problem.http_status, problem.detail)
            sender_id, text = rest_id(body["sender"]), body["message"]
            input_channel = self.name()
            metadata = with_client_key(body.get("metadata"), request.ip,
                                       request.headers.get("X-Forwarded-For"))
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(on_new_message, text, sender_id, input_channel,
                                         metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender_id,
                                                 input_channel=input_channel,
                                                 metadata=metadata))
            except CancelledError:
                logger.error("rest: a message timed out")
            except Exception:
                # Rasa's own channel logs the text here; the text may be personal
                logger.exception("rest: could not handle a message")
            return response.json(collector.messages)

        return rest_webhook
