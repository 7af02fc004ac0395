"""Fixed test ports, shifted by ``KNEE_TEST_PORT_OFFSET`` (default 0).

Each folder of server tests keeps its own ports so folders can run side by
side; two checkouts running the same folder at once (two worktrees, say) set
different offsets, for example ``KNEE_TEST_PORT_OFFSET=1000``.
"""

from __future__ import annotations

import os
from dataclasses import fields, replace
from typing import TypeVar

T = TypeVar("T")


def offset() -> int:
    text = os.environ.get("KNEE_TEST_PORT_OFFSET", "0").strip() or "0"
    return int(text)


def shifted(ports: T) -> T:
    """The same ports moved by the offset (tuples of ports move too)."""
    step = offset()
    if not step:
        return ports
    changes = {}
    for item in fields(ports):  # type: ignore[arg-type]
        value = getattr(ports, item.name)
        if isinstance(value, int):
            changes[item.name] = value + step
        elif isinstance(value, tuple):
            changes[item.name] = tuple(v + step for v in value)
    return replace(ports, **changes)  # type: ignore[type-var]


def port(number: int) -> int:
    return number + offset()
