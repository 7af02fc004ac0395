"""Runs the conversation tests (tests/test_conversations_*.yml) with `rasa test core --e2e`.

End to end: each user message is parsed by the trained NLU pipeline (so an FAQ
question must select its own topic's answer), and each next action must be
predicted exactly. A failure prints the story and the wrong prediction.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from runner.services import latest_model

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "conversations"


def test_every_conversation_story_passes() -> None:
    stories = sorted(str(path) for path in (ROOT / "tests").glob("test_conversations_*.yml"))
    assert stories, "no conversation tests found"
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "test", "core", "--model", str(latest_model()),
         "--stories", str(ROOT / "tests"), "--out", str(RESULTS), "--fail-on-prediction-errors",
         "--no-plot", "--e2e"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    failed_file = RESULTS / "failed_test_stories.yml"
    failed = failed_file.read_text() if failed_file.exists() else ""
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:] + failed
    report = yaml.safe_load(failed) if failed.strip() else None
    assert not report or not report.get("stories"), failed
