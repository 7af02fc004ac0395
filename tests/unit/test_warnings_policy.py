"""Warnings are errors in the test suite; only named third-party warnings are allowed.

Each allowed entry in pyproject.toml's ``filterwarnings`` must name the module
that raises it, and none may name one of our packages: a warning from our own
code is always fixed, never silenced.
"""

from __future__ import annotations

import re
from pathlib import Path

import tomli  # pytest's own TOML reader on Python 3.10

ROOT = Path(__file__).resolve().parents[2]
OURS = ("kneecare", "actions", "staff", "channels", "core_plugins", "rasa_patches",
        "nlu_components", "runner", "web", "bench", "deploy", "tests")


def policy() -> list[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return list(tomli.loads(text)["tool"]["pytest"]["ini_options"]["filterwarnings"])


def test_every_warning_is_an_error_first() -> None:
    assert policy()[0] == "error"


def test_each_allowed_warning_names_a_third_party_module() -> None:
    for entry in policy()[1:]:
        action, _message, _category, module = (entry.split(":") + ["", "", ""])[:4]
        assert action == "ignore", entry
        assert module, f"{entry!r} must name the module that raises the warning"
        named = set(re.findall(r"[a-z_]+", module))
        assert not named & set(OURS), f"{entry!r} silences our own code"
