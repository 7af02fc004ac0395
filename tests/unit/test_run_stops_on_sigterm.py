"""`make run` stops every server it started on SIGTERM, as it does on Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# runs in its own process: without the handler SIGTERM kills it, and only it
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, time
    import runner.__main__ as run
    from runner.services import Ports

    class FakeAssistant:
        '''Stands in for the servers: "starting" them delivers a SIGTERM to this process.'''
        def __init__(self):
            self.ports, self.log_dir = Ports(), "/nonexistent"
        def start(self, **options):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler interrupts this long before it ends
        def check_alive(self):
            pass
        def stop(self):
            print("servers stopped", flush=True)

    run.Assistant = FakeAssistant
    sys.argv = ["runner"]
    started = time.monotonic()
    code = run.main()
    print(f"exit {code} after {time.monotonic() - started:.1f} s", flush=True)
    """
)


def test_sigterm_stops_everything_that_was_started() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("KNEE_ENV", None)
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    lines = done.stdout.splitlines()
    assert "servers stopped" in lines
    last = lines[-1].split()
    assert last[:2] == ["exit", "0"] and float(last[3]) < 4, lines
