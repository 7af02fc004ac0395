"""Files under var/ are the owner's only: new ones by umask, old ones tightened."""

from __future__ import annotations

import os
from pathlib import Path

from runner.private_files import open_private_log, restrict_existing


def test_existing_files_and_folders_are_tightened(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "log").mkdir(parents=True)
    (var / "tracker.db").write_text("x")
    (var / "log" / "rasa.log").write_text("x")
    for path in (var, var / "log", var / "tracker.db", var / "log" / "rasa.log"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    restrict_existing(var)
    assert {path.name: oct(path.stat().st_mode & 0o777)
            for path in (var, var / "log", var / "tracker.db", var / "log" / "rasa.log")} == {
        "var": "0o700", "log": "0o700", "tracker.db": "0o600", "rasa.log": "0o600"}


def test_a_log_is_created_private_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        descriptor = open_private_log(tmp_path / "actions.log")
        os.close(descriptor)
    finally:
        os.umask(previous)
    assert (tmp_path / "actions.log").stat().st_mode & 0o777 == 0o600
