"""Attaches message turns (``core_plugins/message_admission.py``) to Rasa.

Wraps ``rasa.core.processor.MessageProcessor.handle_message`` (a message takes
a turn) and ``rasa.utils.endpoints.EndpointConfig.request`` (it hands its turn
on while it waits for the action server). ``MAX_CONCURRENT_MESSAGES=0`` leaves
both alone. Behaviour, not speed: the p99 at 50 concurrent went from about 3x
the mean to 2x (bench/NOTES.md, "Message turns"); not part of the ablation.
"""

from __future__ import annotations

from collections.abc import Mapping

from core_plugins.message_admission import Turns, limit_from, outside_turn, taking_turns


def install(env: Mapping[str, str]) -> None:
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig

    limit = limit_from(env)
    if limit == 0 or getattr(MessageProcessor.handle_message, "_knee_turns", False):
        return
    made: list[Turns] = []

    def turns() -> Turns:  # made on first use, inside the server's event loop
        if not made:
            made.append(Turns(limit))
        return made[0]

    MessageProcessor.handle_message = taking_turns(
        turns, MessageProcessor.handle_message
    )
    MessageProcessor.handle_message._knee_turns = True
    EndpointConfig.request = outside_turn(turns, EndpointConfig.request)
