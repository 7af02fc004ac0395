"""Starts one system (action server + Rasa server) for the benchmark and watches its memory.

The action server starts first; the clock for "start to ready" then runs from
spawning the Rasa server to its first real reply (runner.services waits for a
non-empty answer on the REST channel). A sampler thread adds up the resident
memory (VmRSS in /proc) of the Rasa server's process tree twice a second;
psutil is not installed here, and /proc needs nothing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from runner.services import Assistant, Ports


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB (0 once it is gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
        pending += _children(current)
    return total


def high_water_mark_kib(pid: int) -> int:
    """VmHWM (peak resident memory) of one process, in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Keeps the peak of ``tree_rss_kib`` while it runs."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
            self._stop_event.wait(self.interval)

    def stop(self) -> int:
        self.peak_kib = max(self.peak_kib, tree_rss_kib(self.pid))
        self._stop_event.set()
        self.join(timeout=5)
        return self.peak_kib


@dataclass
class RunningSystem:
    name: str
    assistant: Assistant
    ready_seconds: float
    sampler: MemorySampler
    rasa_pid: int
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.assistant.ports.rasa}"

    @property
    def api_token(self) -> str | None:
        return self.assistant.api_token


@contextmanager
def running(name: str, model: Path, ports: Ports, workdir: Path,
            extra_env: dict[str, str] | None = None,
            endpoints: Path | None = None) -> Iterator[RunningSystem]:
    """The system serving ``model`` on ``ports``, stopped (all its processes) on exit."""
    env = {
        # the case store of the action server: a throw-away database, never var/
        "DATABASE_URL": f"sqlite:///{workdir / 'cases.db'}",
        "CASE_DATA_KEY": "b" * 43 + "=",
        **(extra_env or {}),
    }
    # the baseline is stock Rasa: its own `rasa run`, none of this project's plugins
    assistant = Assistant(ports=ports, tracker_db=workdir / "tracker.db",
                          log_dir=workdir / "log", model=model,
                          api_token=secrets.token_hex(16), endpoints=endpoints,
                          stock_rasa=name == "baseline", environment=env)
    try:
        assistant.start(with_rasa_server=False, timeout=120)
        started = time.monotonic()
        # the Rasa server joins the same Assistant, so stop() ends both
        failures: list[BaseException] = []

        def start_rasa() -> None:
            try:
                assistant.start(with_actions=False, timeout=300)
            except BaseException as error:  # noqa: BLE001 - re-raised below
                failures.append(error)

        thread = threading.Thread(target=start_rasa, daemon=True)
        thread.start()
        while len(assistant.processes) < 2 and thread.is_alive():
            time.sleep(0.01)
        if len(assistant.processes) < 2:
            thread.join()
            raise RuntimeError(f"{name}: the Rasa server did not start") from (
                failures[0] if failures else None)
        sampler = MemorySampler(assistant.processes[-1].pid)
        sampler.start()
        thread.join()
        ready = time.monotonic() - started
        if failures:
            sampler.stop()
            raise failures[0]
        yield RunningSystem(name, assistant, ready, sampler, assistant.processes[-1].pid,
                            dict(extra_env or {}))
    finally:
        assistant.stop()
