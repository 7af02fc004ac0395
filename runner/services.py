"""Start the action server and the Rasa server as child processes.

Both `make run` and the end-to-end tests use this, so the tests exercise the
same commands, ports and settings a person gets. Defaults are local and need
no secrets: an SQLite tracker store under var/ and Rasa's default ports.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from channels.credentials import credentials_file
from kneecare.environment import environment
from runner.private_files import PRIVATE_UMASK, open_private_log, private_folder

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Ports:
    """Where each process listens."""

    rasa: int = 5005
    actions: int = 5055
    web: int = 8080  # the widget's demo page (web/serve.py)
    staff: int = 8081  # the reception staff view (python -m staff)


def default_environment(ports: Ports, tracker_db: Path) -> dict[str, str]:
    """The environment endpoints.yml expects, keeping anything already set."""
    env = dict(environment())
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{ports.actions}/webhook")
    # the action server listens on 127.0.0.1 and needs no token unless one is set
    env.setdefault("ACTION_SERVER_TOKEN", "")
    env.setdefault("TRACKER_DB_DIALECT", "sqlite")
    env.setdefault("TRACKER_DB", str(tracker_db))
    # the case store and the staff view read transcripts from the same database
    env.setdefault("TRACKER_DB_URL", f"sqlite:///{tracker_db}")
    env.setdefault("STAFF_PORT", str(ports.staff))
    # the demo page's origins may call Rasa from the browser (runner/rasa_server.py)
    env.setdefault("ALLOWED_ORIGINS", f"http://localhost:{ports.web} http://127.0.0.1:{ports.web}")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Rasa's HTTP client keeps connections to the action server open for reuse; with
    # Sanic's 5 s default the server closes them under Rasa's feet ("Cannot write to
    # closing transport") and the action call fails. Keep them longer than Rasa does.
    env.setdefault("SANIC_KEEP_ALIVE_TIMEOUT", "75")
    # Sanic answers 413 above this (its default is 100 MB); the action server gets whole trackers
    env.setdefault("SANIC_REQUEST_MAX_SIZE", str(4 * 1024 * 1024))
    # Rasa's telemetry and error reports would send data off the machine.
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def latest_model(models_dir: Path = ROOT / "models") -> Path:
    """The newest trained model; a clear error if there is none."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    if not models:
        raise SystemExit(f"No trained model in {models_dir}: run `make train` first.")
    return models[-1]


@dataclass
class Assistant:
    """The running action server and Rasa server."""

    ports: Ports = field(default_factory=Ports)
    tracker_db: Path = ROOT / "var" / "tracker.db"
    log_dir: Path = ROOT / "var" / "log"
    model: Path | None = None
    api_token: str | None = None  # enables Rasa's HTTP API, guarded by this token
    # None: credentials.yml plus the messaging channels whose variables are set
    credentials: Path | None = None
    # None: endpoints.yml; the scale-out test and the benchmark pass another file
    endpoints: Path | None = None
    # True: Rasa's own `rasa run`, without this project's entry point (runner/rasa_server.py)
    # and its plugins: the benchmark's stock baseline
    stock_rasa: bool = False
    # where browsers reach Rasa, for the demo page (behind a proxy: the proxy's address)
    rasa_public_url: str | None = None
    # extra environment for every process (tests: SOCKETIO_JWT_KEY, KNEE_ENV, ...)
    environment: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, with_rasa_server: bool = True, timeout: float = 180.0,
              with_web: bool = False, with_staff: bool = False,
              with_actions: bool = True) -> None:
        """Start the processes and wait until each answers its health check."""
        private_folder(self.tracker_db.parent)
        private_folder(self.log_dir)
        env = {**default_environment(self.ports, self.tracker_db), **self.environment}
        credentials = self.credentials or credentials_file(
            ROOT / "credentials.yml", ROOT / "credentials.messaging.yml",
            self.tracker_db.parent / "credentials.yml", env)
        # with_actions=False: use an action server already listening on ports.actions
        if with_actions:
            self._spawn(
                "actions",
                [sys.executable, "-m", "runner.action_server", "--port", str(self.ports.actions)],
                env,
            )
        if with_rasa_server:
            # the API token reaches Rasa through the environment, not the process list
            rasa_env = {**env, "RASA_API_TOKEN": self.api_token} if self.api_token else env
            options = ["--model", str(self.model or latest_model()),
                       "--port", str(self.ports.rasa),
                       "--endpoints", str(self.endpoints or "endpoints.yml"),
                       "--credentials", str(credentials)]
            if self.stock_rasa:
                api = ["--enable-api", "--auth-token", self.api_token] if self.api_token else []
                command = [str(BIN / "rasa"), "run", *options, "--cors", "*", *api]
            else:
                command = [sys.executable, "-m", "runner.rasa_server", "run", *options]
            self._spawn("rasa", command, rasa_env)
        if with_web:
            self._spawn(
                "web",
                [sys.executable, "-m", "web.serve", "--port", str(self.ports.web),
                 "--rasa-url", self.rasa_public_url or f"http://localhost:{self.ports.rasa}"],
                env,
            )
        if with_staff:
            self._spawn("staff", [sys.executable, "-m", "staff"], env)
        wait_until_ready(f"http://127.0.0.1:{self.ports.actions}/health", timeout, self)
        if with_staff:
            wait_until_ready(f"http://127.0.0.1:{self.ports.staff}/health", timeout, self)
        if with_web:
            wait_until_ready(f"http://127.0.0.1:{self.ports.web}/health", timeout, self)
        if with_rasa_server:
            # 404: without an API token the HTTP API (and /status) is off, but Rasa answers
            wait_until_ready(f"http://127.0.0.1:{self.ports.rasa}/status", timeout, self,
                             accept_statuses=(200, 401, 403, 404))
            wait_until_model_loaded(f"http://127.0.0.1:{self.ports.rasa}/", timeout, self,
                                    env.get("REST_WEBHOOK_TOKEN"))

    @contextmanager
    def running(self, timeout: float = 240.0) -> Iterator[Assistant]:
        """Started (action server and Rasa server) for the ``with`` block, stopped after it."""
        try:
            self.start(timeout=timeout)
            yield self
        finally:
            self.stop()

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = open_private_log(self.log_dir / f"{name}.log")
        try:
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                 start_new_session=True, umask=PRIVATE_UMASK)
            )
        finally:
            os.close(log)  # the child has its own copy

    def check_alive(self) -> None:
        """Fail fast, pointing at the log, when a process has exited."""
        for process in self.processes:
            if process.poll() is not None:
                command = process.args if isinstance(process.args, list) else [process.args]
                raise RuntimeError(
                    f"{' '.join(map(str, command[:3]))} exited with {process.returncode};"
                    f" see {self.log_dir}"
                )

    def stop(self) -> None:
        """Stop every process this object started (SIGTERM, then SIGKILL)."""
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def wait_until_ready(url: str, timeout: float, assistant: Assistant,
                     accept_statuses: tuple[int, ...] = (200,)) -> None:
    """Poll ``url`` until it answers with an accepted status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assistant.check_alive()
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in accept_statuses:
                    return
        except urllib.error.HTTPError as error:
            if error.code in accept_statuses:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} not ready after {timeout:.0f} s; see {assistant.log_dir}")


def wait_until_model_loaded(url: str, timeout: float, assistant: Assistant,
                            rest_token: str | None = None) -> None:
    """The root URL answers before the model is loaded; wait for the real thing."""
    deadline = time.monotonic() + timeout
    headers = {"Content-Type": "application/json"}
    if rest_token:
        headers["Authorization"] = f"Bearer {rest_token}"
    probe = urllib.request.Request(
        url + "webhooks/rest/webhook",
        data=b'{"sender": "readiness-probe", "message": "/greet"}',
        headers=headers,
    )
    while time.monotonic() < deadline:
        assistant.check_alive()
        try:
            with urllib.request.urlopen(probe, timeout=10) as response:
                if response.read().strip() not in (b"", b"[]"):
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"model not loaded after {timeout:.0f} s; see {assistant.log_dir}")
