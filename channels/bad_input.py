"""Shared by the channels for input they cannot read: the JSON body, a JSON error, the reply.

The rules themselves (what is too long, what is not text) are in
``kneecare.message_limits``; this module only turns them into Sanic answers.
"""

from __future__ import annotations

import json
from typing import Any

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from kneecare.clinic import load_settings
from kneecare.message_limits import too_long_reply

EXAMPLE_BODY = '{"sender": "someone", "message": "hello"}'


def json_error(status: int, detail: str) -> HTTPResponse:
    """``{"error": detail}`` with ``status``: what is wrong, in words a developer can act on."""
    return response.json({"error": detail}, status=status)


def json_body(request: Request) -> tuple[Any, str | None]:
    """(the parsed JSON body, None), or (None, what is wrong with it).

    Sanic's ``request.json`` would raise on a bad body; this never does.
    """
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return None, "the body is not valid UTF-8"
    if not text.strip():
        return None, f"the body is empty; send a JSON object like {EXAMPLE_BODY}"
    try:
        return json.loads(text), None
    except (ValueError, RecursionError):
        return None, f"the body is not valid JSON; send a JSON object like {EXAMPLE_BODY}"


def message_too_long_reply() -> str:
    """What a person typing on a messaging channel is told when their message is too long."""
    return too_long_reply(load_settings().emergency_number)
