"""Rasa's debug-log copies are skipped only when the debug line is dropped unread."""

from __future__ import annotations

import ast
import copy
import inspect
import logging
from collections.abc import Iterator

import pytest
import structlog
from rasa.utils.log_utils import configure_structlog

from rasa_patches import debug_log_copies
from rasa_patches.debug_log_copies import (
    COPY_FOR_DEBUG_LOGS,
    PATCHED_MODULES,
    debug_lines_dropped,
    deepcopy_for_debug_log,
)


@pytest.fixture
def structlog_config() -> Iterator[None]:
    saved = structlog.get_config()
    yield
    structlog.configure(**saved)


@pytest.mark.parametrize(
    "level, dropped",
    [(logging.DEBUG, False), (logging.INFO, True), (logging.WARNING, True),
     (logging.ERROR, True)],
)
def test_copies_are_skipped_exactly_when_rasa_drops_debug_lines(
    structlog_config: None, level: int, dropped: bool
) -> None:
    configure_structlog(level)
    assert debug_lines_dropped() is dropped
    value = {"events": [{"event": "user", "text": "my knee"}]}
    copied = deepcopy_for_debug_log(value)
    assert copied == value
    assert (copied is value) is dropped
    if not dropped:
        assert copied["events"][0] is not value["events"][0], "a deep copy, as before"


def test_an_unconfigured_structlog_gets_real_copies(structlog_config: None) -> None:
    structlog.reset_defaults()  # prints every level: debug lines are processed
    value = [[1]]
    assert deepcopy_for_debug_log(value) is not value


def _copy_uses_outside_debug_calls(source: str) -> list[int]:
    """Lines where ``copy`` is used other than in an argument of ``structlogger.debug``."""
    tree = ast.parse(source)
    inside_debug: set[int] = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "debug"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "structlogger"):
            inside_debug.update(id(sub) for sub in ast.walk(node))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Name) and node.id == "copy" and id(node) not in inside_debug]


@pytest.mark.parametrize("module", PATCHED_MODULES, ids=lambda module: module.__name__)
def test_the_patched_modules_use_copy_only_for_debug_log_lines(module: object) -> None:
    assert _copy_uses_outside_debug_calls(inspect.getsource(module)) == []


def test_the_check_finds_a_copy_used_for_real_work() -> None:
    source = (
        "import copy\n"
        "structlogger.debug('x', events=copy.deepcopy(events))\n"
        "kept = copy.deepcopy(events)\n"
    )
    assert _copy_uses_outside_debug_calls(source) == [3]


def test_installed_in_the_rasa_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa_patches import debug_log_copies as patch

    for module in PATCHED_MODULES:
        monkeypatch.setattr(module, "copy", copy)
    patch.install()
    assert all(module.copy is COPY_FOR_DEBUG_LOGS for module in PATCHED_MODULES)
    assert debug_log_copies.COPY_FOR_DEBUG_LOGS.copy is copy.copy
