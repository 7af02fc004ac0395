"""``python -m tests.soak``: the full soak run (``make soak``), 100 conversations of 20 turns.

Starts the action server and the Rasa server on their own ports with a fresh
SQLite tracker store, runs every conversation at the same time with a
progress line every few seconds, then checks the stored trackers. Exits 1 on
any error or any conversation not stored exactly as sent, and then keeps the
tracker database and the server logs for a look. ``make test`` runs a shorter
form (tests/soak/test_soak.py).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.servers import running
from runner.services import Ports, latest_model
from tests.soak.soak import run_soak, storage_problems

PORTS = Ports(rasa=5905, actions=5955)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__)
    parser.add_argument("--conversations", type=int, default=100)
    parser.add_argument("--turns", type=int, default=20, help="user messages per conversation")
    parser.add_argument("--seed", type=int, default=0, help="varies the conversations")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per reply")
    parser.add_argument("--keep", action="store_true",
                        help="keep the tracker database and logs (always kept after a failure)")
    args = parser.parse_args()
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="soak-"))
    progress(f"starting the servers on ports {PORTS.rasa} and {PORTS.actions}")
    with running("soak", latest_model(), PORTS, workdir) as system:
        progress(f"ready in {system.ready_seconds:.0f} s; {args.conversations} conversations"
                 f" x {args.turns} turns, seed {args.seed}")
        result = asyncio.run(run_soak(system.base_url, args.conversations, args.turns,
                                      args.seed, args.timeout, progress))
    progress(result.summary())
    for problem in result.problems():
        progress(f"  {problem}")
    stored = storage_problems(workdir / "tracker.db", result.records)
    progress(f"tracker store: {len(result.records) - len(stored)}/{len(result.records)}"
             " conversations stored exactly as sent, each message answered")
    for problem in stored[:5]:
        progress(f"  {problem}")
    if result.load.error_count or stored or args.keep:
        progress(f"tracker database and server logs kept in {workdir}")
        return 1 if result.load.error_count or stored else 0
    shutil.rmtree(workdir)
    return 0

if __name__ == "__main__":
    sys.exit(main())
