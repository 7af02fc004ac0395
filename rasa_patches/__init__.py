"""Every change this project makes to Rasa's internals, in one fenced package.

``install(env)`` is the only way in: ``runner/rasa_server.py`` calls it before
Rasa starts, for ``make run``, ``make shell``, the tests and the benchmark
alike. It first checks ``rasa.__version__`` against the pinned version; on a
mismatch it installs nothing and logs one warning (and
tests/rasa_patches/test_install.py fails).

Two kinds of patch:

- **Attachments** hook the project's behaviour into Rasa where Rasa has no
  extension point: the action safety net, message turns and the server's
  extra routes. Their logic lives in ``core_plugins/``, ``runner/`` and
  ``kneecare/``; each module here only makes the assignment. They are always
  installed (with the right Rasa version): switching them off would change
  what people are told when the action server fails, so no setting does.
- **Speed patches** replace a private Rasa function with one that gives the
  same result for less CPU. Each module's docstring names the function it
  replaces and the gain that earned its place (ablation table in
  bench/NOTES.md: a patch stays only for 3% or more of the CPU per message).
  ``KNEE_RASA_PATCHES=off`` switches every speed patch off;
  ``KNEE_RASA_PATCHES_WITHOUT=name,name`` leaves out some (the ablation uses it).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

logger = logging.getLogger(__name__)

PINNED_RASA: Final = "3.6.21"
SWITCH: Final = "KNEE_RASA_PATCHES"
LEAVE_OUT: Final = "KNEE_RASA_PATCHES_WITHOUT"

ATTACHMENTS: Final = ("attach_safety_net", "attach_message_turns", "attach_server_extras")
SPEED_PATCHES: Final = (
    "action_result_check",
    "event_types",
    "rule_search",
    "applied_events_memo",
    "past_states_memo",
    "tracker_copies",
    "graph_runner",
    "debug_log_copies",
    "shared_http_session",
)


class PatchSettingError(ValueError):
    """A patch setting that names no patch, or a switch value that means nothing."""


@dataclass(frozen=True)
class Installed:
    """What ``install`` did."""

    attachments: tuple[str, ...]
    speed_patches: tuple[str, ...]
    skipped_because: str | None = None


def speed_patches_wanted(env: Mapping[str, str]) -> tuple[str, ...]:
    """The speed patches the environment asks for (all, by default)."""
    switch = env.get(SWITCH, "on").strip().lower() or "on"
    if switch not in ("on", "off"):
        raise PatchSettingError(f"{SWITCH} must be 'on' or 'off', not {switch!r}")
    if switch == "off":
        return ()
    left_out = {name.strip() for name in env.get(LEAVE_OUT, "").split(",") if name.strip()}
    unknown = sorted(left_out - set(SPEED_PATCHES))
    if unknown:
        raise PatchSettingError(
            f"{LEAVE_OUT} names no speed patch: {', '.join(unknown)}"
            f" (they are: {', '.join(SPEED_PATCHES)})"
        )
    return tuple(name for name in SPEED_PATCHES if name not in left_out)


def rasa_version() -> str:
    import rasa

    return str(rasa.__version__)


def install(env: Mapping[str, str]) -> Installed:
    """Install the attachments and the wanted speed patches into this process (idempotent)."""
    wanted = speed_patches_wanted(env)
    version = rasa_version()
    if version != PINNED_RASA:
        why = (f"Rasa {version} is installed but rasa_patches were written for {PINNED_RASA}:"
               " none installed (no safety net, no message turns, no speed patches)")
        logger.warning(why)
        return Installed((), (), why)
    for name in ATTACHMENTS:
        importlib.import_module(f"rasa_patches.{name}").install(env)
    for name in wanted:
        importlib.import_module(f"rasa_patches.{name}").install()
    return Installed(ATTACHMENTS, wanted)
