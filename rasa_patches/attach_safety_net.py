"""Attaches the action safety net (``core_plugins/action_safety_net.py``) to Rasa.

Wraps ``rasa.core.actions.action.RemoteAction.run``: every call to the action
server is bounded by ``ACTION_TIMEOUT_SECONDS`` and a failure gets a reply
(urgent advice where a red flag may be present) instead of silence.
Behaviour, not speed: not part of the ablation.
"""

from __future__ import annotations

from collections.abc import Mapping

from core_plugins.action_safety_net import guarded
from kneecare.safety_net import action_timeout


def install(env: Mapping[str, str]) -> None:
    from rasa.core.actions.action import RemoteAction

    timeout = action_timeout(env)
    if not getattr(RemoteAction.run, "_knee_safety_net", False):
        RemoteAction.run = guarded(RemoteAction.run, timeout)
