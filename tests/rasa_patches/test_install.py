"""``rasa_patches.install``: the version check, the switch, and what each patch declares."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

import pytest

import rasa_patches
from rasa_patches import (
    ATTACHMENTS,
    LEAVE_OUT,
    PINNED_RASA,
    SPEED_PATCHES,
    SWITCH,
    PatchSettingError,
    install,
    speed_patches_wanted,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_installed_rasa_is_the_one_the_patches_were_written_for() -> None:
    assert rasa_patches.rasa_version() == PINNED_RASA
    assert f"rasa=={PINNED_RASA}" in (ROOT / "constraints.txt").read_text()


def test_a_different_rasa_gets_no_patch_and_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    called: list[str] = []
    monkeypatch.setattr(rasa_patches, "rasa_version", lambda: "3.7.0")
    monkeypatch.setattr(importlib, "import_module", lambda name: called.append(name))
    with caplog.at_level(logging.WARNING, logger="rasa_patches"):
        installed = install({})
    assert installed.attachments == () and installed.speed_patches == ()
    assert installed.skipped_because and "3.7.0" in installed.skipped_because
    assert called == []
    assert [record.levelno for record in caplog.records] == [logging.WARNING]


@pytest.mark.parametrize("env, wanted", [
    ({}, SPEED_PATCHES),
    ({SWITCH: "on"}, SPEED_PATCHES),
    ({SWITCH: "OFF"}, ()),
    ({SWITCH: "off", LEAVE_OUT: SPEED_PATCHES[0]}, ()),
    ({LEAVE_OUT: f"{SPEED_PATCHES[0]}, {SPEED_PATCHES[-1]}"}, SPEED_PATCHES[1:-1]),
])
def test_the_switch_and_the_leave_out_list(env: dict[str, str],
                                           wanted: tuple[str, ...]) -> None:
    assert speed_patches_wanted(env) == wanted


@pytest.mark.parametrize("env", [{SWITCH: "maybe"}, {LEAVE_OUT: "no_such_patch"}])
def test_a_setting_that_means_nothing_is_refused(env: dict[str, str]) -> None:
    with pytest.raises(PatchSettingError):
        speed_patches_wanted(env)


def test_install_runs_the_attachments_and_only_the_wanted_speed_patches(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    called: list[str] = []

    class Module:
        def __init__(self, name: str) -> None:
            self.name = name

        def install(self, *args: object) -> None:
            called.append(self.name)

    monkeypatch.setattr(importlib, "import_module", lambda name: Module(name))
    installed = install({LEAVE_OUT: SPEED_PATCHES[0]})
    expected = [f"rasa_patches.{name}" for name in (*ATTACHMENTS, *SPEED_PATCHES[1:])]
    assert called == expected
    assert installed.speed_patches == SPEED_PATCHES[1:]


def test_every_module_of_the_package_is_listed_once() -> None:
    modules = {path.stem for path in (ROOT / "rasa_patches").glob("*.py")} - {"__init__"}
    listed = [*ATTACHMENTS, *SPEED_PATCHES]
    assert len(set(listed)) == len(listed)
    assert modules == set(listed)


@pytest.mark.parametrize("name", SPEED_PATCHES)
def test_each_speed_patch_names_what_it_replaces_and_its_measured_gain(name: str) -> None:
    doc = importlib.import_module(f"rasa_patches.{name}").__doc__ or ""
    assert doc.startswith("Replaces ``rasa."), doc[:80]
    assert "Measured gain" in doc and "%" in doc.split("Measured gain", 1)[1]


@pytest.mark.parametrize("name", ATTACHMENTS)
def test_each_attachment_names_what_it_wraps(name: str) -> None:
    doc = importlib.import_module(f"rasa_patches.{name}").__doc__ or ""
    assert doc.startswith("Attaches") and "``rasa." in doc
