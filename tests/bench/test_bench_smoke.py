"""The benchmark's smoke run (`python -m bench --smoke`) produces a sane report.

It starts our assistant on its own ports, runs a subset of the evaluation sets
and a tiny load (1 and 5 concurrent conversations), and must write the
Markdown table, the JSON and the plot with no errors and plausible numbers.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from runner.services import ROOT

pytestmark = pytest.mark.e2e


def test_the_smoke_benchmark_writes_a_sane_report(tmp_path: Path) -> None:
    if not list((ROOT / "models").glob("*.tar.gz")):
        pytest.skip("no trained model in models/: run `make train`")
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "ours: ready in" in completed.stdout  # one progress line per phase

    for name in ("report.md", "report.json", "latency_throughput.png"):
        assert (tmp_path / name).stat().st_size > 0, name
    assert "| Throughput at 5 concurrent | msg/s |" in (tmp_path / "report.md").read_text()

    [ours] = json.loads((tmp_path / "report.json").read_text())
    assert ours["name"] == "ours"
    assert 0.5 <= ours["nlu"]["intent_accuracy"] <= 1
    assert 0.5 <= ours["nlu"]["faq_accuracy"] <= 1
    assert 0 < ours["triage"]["exact_accuracy"] <= 1
    assert 0 < ours["ready_seconds"] < 300
    assert 100 < ours["peak_rss_mb"] < 8000
    assert ours["latency"]["errors"] == 0 and ours["latency"]["messages"] >= 10
    assert [level["concurrency"] for level in ours["load"]] == [1, 5]
    # the people search ran its levels in order and reports the largest that passed
    tried = ours["people"]["levels"]
    assert [level["people"] for level in tried][:1] == [2]
    passed = [level["people"] for level in tried if level["p99"] < 1 and level["errors"] == 0
              and level["p99_late"] < 1 and level["messages"] >= 0.9 * level["expected_messages"]]
    assert ours["people"]["capacity"] == max(passed, default=0)
    assert "| Capacity: people chatting at once" in (tmp_path / "report.md").read_text()
    for level in [ours["latency"], *ours["load"]]:
        assert level["errors"] == 0, level["error_kinds"]
        assert level["throughput"] > 0
        assert 0 < level["p50"] <= level["p95"] <= level["p99"] < 30
        assert not math.isnan(level["p99"])
