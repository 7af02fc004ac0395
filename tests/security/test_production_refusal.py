"""In production mode every run command refuses to start without its secrets, and says which."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("ALLOWED_ORIGINS", "CASE_DATA_KEY", "DATABASE_URL", "STAFF_SECRET_KEY",
           "TRACKER_DB_URL", "RASA_API_TOKEN", "RASA_JWT_SECRET", "SOCKETIO_JWT_KEY",
           "REST_WEBHOOK_TOKEN")


def run(module: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in SECRETS}
    env.update(KNEE_ENV="production", PYTHONPATH=str(ROOT), **extra)
    return subprocess.run([sys.executable, "-m", *module], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(("command", "named"), [
    (["runner"], ["ALLOWED_ORIGINS", "CASE_DATA_KEY", "DATABASE_URL", "STAFF_SECRET_KEY",
                  "TRACKER_DB_URL", "REST_WEBHOOK_TOKEN"]),
    (["runner.rasa_server", "run"], ["ALLOWED_ORIGINS", "REST_WEBHOOK_TOKEN", "CASE_DATA_KEY"]),
    (["runner.action_server"], ["CASE_DATA_KEY", "DATABASE_URL"]),
    (["staff"], ["CASE_DATA_KEY", "DATABASE_URL", "STAFF_SECRET_KEY", "TRACKER_DB_URL"]),
], ids=["make run", "rasa server", "action server", "staff view"])
def test_missing_secrets_stop_the_command_and_are_named(command: list[str],
                                                        named: list[str]) -> None:
    finished = run(command)
    assert finished.returncode == 2, finished.stderr[-2000:]
    assert "KNEE_ENV=production" in finished.stderr
    for name in named:
        assert name in finished.stderr
    assert "Traceback" not in finished.stderr


def test_a_bad_origin_is_refused_with_a_message_not_a_traceback() -> None:
    finished = run(["runner.rasa_server", "run"], ALLOWED_ORIGINS="*",
                   REST_WEBHOOK_TOKEN="t" * 32, CASE_DATA_KEY="k" * 43 + "=")
    assert finished.returncode == 2
    assert "ALLOWED_ORIGINS" in finished.stderr and "Traceback" not in finished.stderr
