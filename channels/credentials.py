"""Which credentials file Rasa starts with: credentials.yml plus configured messaging channels.

Rasa refuses to start when a ``${VAR}`` in its credentials file is unset, so
the Twilio and Telegram sections live in ``credentials.messaging.yml`` and are
merged in one channel at a time: a channel is on when all of its variables are
set, off when none is, and a channel with only some set is an error naming the
missing ones. Setting ``SOCKETIO_JWT_KEY`` makes the socket.io channel accept
only connections that present a JWT signed with it (Rasa's ``jwt_key``), and
``REST_WEBHOOK_TOKEN`` makes the REST webhook require it as a bearer token. The
merged file keeps the ``${VAR}`` references, so no secret is written to disk;
Rasa expands them when it loads the file. With neither, ``credentials.yml`` is
used as it is (REST and socket.io only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from kneecare.environment import environment

VARIABLE = re.compile(r"\$\{([^}]+)\}")
SOCKETIO_CHANNELS = ("socketio", "channels.socketio_persistent.SocketIOPersistentInput")
REST_CHANNEL = "channels.rest_checked.CheckedRestInput"


class ChannelConfigError(RuntimeError):
    """A messaging channel is only partly configured."""


def referenced_variables(section: Any) -> list[str]:
    """The ${VAR} names a credentials section uses, in order of appearance."""
    found: list[str] = []
    if isinstance(section, Mapping):
        for value in section.values():
            found += referenced_variables(value)
    elif isinstance(section, list):
        for value in section:
            found += referenced_variables(value)
    elif isinstance(section, str):
        found += VARIABLE.findall(section)
    return list(dict.fromkeys(found))


def enabled_channels(messaging: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """The sections of ``messaging`` whose variables are all set (and non-empty) in ``env``."""
    enabled = {}
    for channel, section in messaging.items():
        variables = referenced_variables(section)
        missing = [name for name in variables if not env.get(name)]
        if not missing:
            enabled[channel] = section
        elif len(missing) < len(variables):
            raise ChannelConfigError(
                f"{channel} is partly configured: also set {', '.join(missing)}"
                " (or unset the others to turn it off)"
            )
    return enabled


def with_optional_secrets(credentials: Mapping[str, Any],
                          env: Mapping[str, str]) -> dict[str, Any]:
    """``credentials`` plus the socket.io JWT and the REST token, where their variables are set."""
    result = dict(credentials)
    if env.get("SOCKETIO_JWT_KEY"):
        for name in SOCKETIO_CHANNELS:
            if name in result:
                result[name] = {**(result[name] or {}), "jwt_key": "${SOCKETIO_JWT_KEY}",
                                "jwt_method": env.get("SOCKETIO_JWT_METHOD") or "HS256"}
    if env.get("REST_WEBHOOK_TOKEN") and REST_CHANNEL in result:
        result[REST_CHANNEL] = {**(result[REST_CHANNEL] or {}), "token": "${REST_WEBHOOK_TOKEN}"}
    return result


def credentials_file(base: Path, messaging: Path, merged: Path,
                     env: Mapping[str, str] | None = None) -> Path:
    """``base``, or ``merged`` written as base plus the enabled options above."""
    env = environment() if env is None else env
    extra = yaml.safe_load(messaging.read_text(encoding="utf-8")) if messaging.is_file() else {}
    channels = enabled_channels(extra or {}, env)
    original = yaml.safe_load(base.read_text(encoding="utf-8")) or {}
    combined = with_optional_secrets({**original, **channels}, env)
    if combined == original:
        return base
    merged.parent.mkdir(parents=True, exist_ok=True)
    merged.touch(mode=0o600)  # the names of the channels in use are nobody else's business
    merged.chmod(0o600)
    merged.write_text(
        f"# Generated from {base.name} and {messaging.name}; edit those instead.\n"
        + yaml.safe_dump(combined, sort_keys=False),
        encoding="utf-8",
    )
    return merged
