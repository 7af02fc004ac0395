"""The real website channel (channels/socketio_persistent.py) on a bare Sanic app, with no model.

The embed tests need a server that accepts or refuses a website by
``ALLOWED_ORIGINS`` exactly as the assistant does, and restart it with another
value; a Rasa server with a model takes about a minute to start, this takes
seconds. It answers "/greet" with a greeting and suggested replies and any
other message with "You said: ...". Its log goes to stderr:

    ALLOWED_ORIGINS=https://clinic.example python -m tests.browser.widget_channel_server --port 5005
"""

from __future__ import annotations

import argparse
import logging

from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from channels.socketio_persistent import SocketIOPersistentInput

GREETING = "Hi, I'm the test assistant. What would you like to do?"


async def answer(message: UserMessage) -> None:
    output, recipient = message.output_channel, message.sender_id
    if message.text == "/greet":
        buttons = [{"title": "Check my symptoms", "payload": "/start_triage"}]
        await output.send_text_with_buttons(recipient, GREETING, buttons)
    else:
        await output.send_text_message(recipient, f"You said: {message.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    channel = SocketIOPersistentInput.from_credentials({"session_persistence": True})
    app = Sanic("widget_channel_server")
    app.blueprint(channel.blueprint(answer))
    app.run(host="127.0.0.1", port=args.port, access_log=False, motd=False)


if __name__ == "__main__":
    main()
