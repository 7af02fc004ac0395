"""Replaces ``rasa.core.processor.copy`` and ``rasa.core.actions.forms.copy``.

(The ``copy`` module those two use for their debug-log deep copies.)

Rasa's copies for debug log lines, made only when debug lines are written.

Rasa's processor and form action pass ``copy.deepcopy(...)`` of events,
slot values and parse data to ``structlogger.debug``, so that a log
processor may rewrite them without touching the conversation. Python builds
those copies even when debug logging is off and the call does nothing:
about 3% of the server's time under load (bench/NOTES.md). Those two modules
here see a ``copy`` whose ``deepcopy`` hands back the object itself while
structlog's debug method is its no-op, and copies as before otherwise (with
``--debug``, or any configuration where debug lines may be processed).
``tests/core_plugins/test_debug_log_copies.py`` checks that every use of
``copy`` in those modules is an argument of a debug log call.

Measured gain: without it the Rasa server used +12.4% CPU per message (median of
three runs at 50 concurrent against six with every patch; ablation table
in bench/NOTES.md, 2026-12-03).
"""

from __future__ import annotations

import copy
import logging
from types import ModuleType, SimpleNamespace
from typing import Any, TypeVar

import rasa.core.actions.forms
import rasa.core.processor
import structlog

Value = TypeVar("Value")
# the method a filtering bound logger has for a level it drops (public API, no private import)
_DROPPED = structlog.make_filtering_bound_logger(logging.CRITICAL).debug
PATCHED_MODULES: tuple[ModuleType, ...] = (rasa.core.processor, rasa.core.actions.forms)


def debug_lines_dropped() -> bool:
    """Whether structlog drops debug lines before any processor sees them."""
    return getattr(structlog.get_config()["wrapper_class"], "debug", None) is _DROPPED


def deepcopy_for_debug_log(value: Value, memo: dict[int, Any] | None = None) -> Value:
    """``copy.deepcopy``, or ``value`` itself when the debug line will be dropped unread."""
    return value if debug_lines_dropped() else copy.deepcopy(value, memo)


COPY_FOR_DEBUG_LOGS = SimpleNamespace(deepcopy=deepcopy_for_debug_log, copy=copy.copy)


def install() -> None:
    for module in PATCHED_MODULES:
        module.copy = COPY_FOR_DEBUG_LOGS  # type: ignore[attr-defined]


__all__ = ["COPY_FOR_DEBUG_LOGS", "PATCHED_MODULES", "debug_lines_dropped", "install"]
