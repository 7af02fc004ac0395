"""The production shape on one machine: nginx in front of two Rasa processes,
one action server, the demo page and the staff view, on PostgreSQL and Redis.

``ProductionStack`` starts it the way docs/deployment.md describes, with
``KNEE_ENV=production`` and freshly generated secrets, in a PostgreSQL
database of its own (created for the run, dropped after it) so that nothing
of another run or of the tests is read or left behind. nginx runs this
checkout's deploy/nginx.conf, rendered by deploy.render, with a self-signed
certificate made for the run.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy.render import render
from runner.services import ROOT, Assistant, Ports, latest_model

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
POSTGRES: dict[str, str | int] = {"host": "127.0.0.1", "port": 5432, "user": "postgres",
                                  "dbname": "test"}
REDIS: dict[str, str | int] = {"host": "127.0.0.1", "port": 6379}


@dataclass(frozen=True)
class StackPorts:
    public: int = 8443  # nginx, the chat and the widget (HTTPS)
    staff_public: int = 8444  # nginx, the staff view (HTTPS)
    rasa: tuple[int, int] = (5705, 5706)
    actions: int = 5755
    web: int = 5780
    staff: int = 5781


def unreachable_service() -> str | None:
    """Why PostgreSQL or Redis cannot be used here, or None."""
    try:
        import psycopg2

        psycopg2.connect(connect_timeout=3, **POSTGRES).close()
    except Exception as error:  # noqa: BLE001 - any failure means "cannot run"
        return f"PostgreSQL at {POSTGRES['host']}:{POSTGRES['port']} unreachable: {error}"
    try:
        import redis

        redis.Redis(socket_connect_timeout=3, **REDIS).ping()
    except Exception as error:  # noqa: BLE001
        return f"Redis at {REDIS['host']}:{REDIS['port']} unreachable: {error}"
    return None


def missing_prerequisite() -> str | None:
    """Why the stack cannot run on this machine, or None."""
    if not Path(NGINX).exists():
        return "nginx is not installed (make installs it: `make /usr/sbin/nginx`)"
    return unreachable_service()


def insecure_client_context() -> ssl.SSLContext:
    """The run's certificate is self-signed: the check's own clients accept it."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class ProductionStack:
    workdir: Path
    ports: StackPorts = field(default_factory=StackPorts)
    database: str = field(default_factory=lambda: f"knee_check_{uuid.uuid4().hex[:10]}")
    rasa: list[Assistant] = field(default_factory=list)
    others: list[Assistant] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def public_url(self) -> str:
        return f"https://127.0.0.1:{self.ports.public}"

    @property
    def nginx_dir(self) -> Path:
        return self.workdir / "nginx"

    # -- start and stop ---------------------------------------------------

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.workdir, 0o700)
        self._create_database()
        self.env = self._environment()
        first = self._assistant(self.ports.rasa[0], "rasa1")
        first.start(timeout=300)  # the action server and the first Rasa process
        self.rasa.append(first)
        self.start_rasa(self.ports.rasa[1])
        side = Assistant(ports=Ports(rasa=self.ports.rasa[0], actions=self.ports.actions,
                                     web=self.ports.web, staff=self.ports.staff),
                         tracker_db=self.workdir / "unused.db", log_dir=self.workdir / "side",
                         environment=self.env, rasa_public_url=self.public_url)
        self.others.append(side)
        side.start(with_rasa_server=False, with_actions=False, with_staff=True, with_web=True)
        self._start_nginx()
        self.wait_ready()

    def start_rasa(self, port: int) -> Assistant:
        """Start (or restart) the Rasa process on ``port`` and wait until it answers."""
        assistant = self._assistant(port, f"rasa-{port}-{len(self.rasa)}")
        assistant.start(timeout=300, with_actions=False)
        self.rasa.append(assistant)
        return assistant

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish open requests
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
        for assistant in [*self.rasa, *self.others]:
            assistant.stop()
        self._drop_database()

    # -- what the checks need ---------------------------------------------

    def rasa_pid(self, port: int) -> int:
        """The live Rasa process on ``port``."""
        for assistant in reversed(self.rasa):
            if assistant.ports.rasa == port and assistant.processes:
                process = assistant.processes[-1]
                if process.poll() is None:
                    return process.pid
        raise LookupError(f"no live Rasa process on port {port}")

    def kill_rasa(self, port: int) -> float:
        """kill -9 the Rasa process on ``port``; the monotonic time of the kill."""
        pid = self.rasa_pid(port)
        os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        for assistant in self.rasa:
            for process in assistant.processes:
                if process.pid == pid:
                    process.wait()
            assistant.processes[:] = [p for p in assistant.processes if p.pid != pid]
        return killed

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Until nginx answers /health/ready with 200 (a Rasa process is fully ready)."""
        deadline = time.monotonic() + timeout
        context = insecure_client_context()
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.public_url}/health/ready", timeout=5,
                                            context=context) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise TimeoutError(f"not ready behind nginx after {timeout:.0f} s; see {self.workdir}")

    def access_log(self) -> Path:
        return self.nginx_dir / "access.log"

    def connect(self) -> Any:  # a psycopg2 connection (psycopg2 ships no types)
        """A connection to the run's own database (psycopg2)."""
        import psycopg2

        return psycopg2.connect(**{**POSTGRES, "dbname": self.database})

    # -- inside -----------------------------------------------------------

    def _assistant(self, port: int, name: str) -> Assistant:
        return Assistant(ports=Ports(rasa=port, actions=self.ports.actions, web=self.ports.web,
                                     staff=self.ports.staff),
                         tracker_db=self.workdir / "unused.db", log_dir=self.workdir / name,
                         model=latest_model(), endpoints=ROOT / "endpoints.scale.yml",
                         environment=self.env)

    def _environment(self) -> dict[str, str]:
        from cryptography.fernet import Fernet

        url = f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/"
        return {
            "KNEE_ENV": "production",
            "ALLOWED_ORIGINS": self.public_url,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.ports.actions}/webhook",
            "TICKET_LOCK_LIFETIME": "15",
            "REST_WEBHOOK_TOKEN": secrets.token_hex(24),
            "TRACKER_DB_HOST": str(POSTGRES["host"]), "TRACKER_DB_PORT": str(POSTGRES["port"]),
            "TRACKER_DB": self.database, "TRACKER_DB_USER": str(POSTGRES["user"]),
            "TRACKER_DB_PASSWORD": "",
            "LOCK_STORE_HOST": str(REDIS["host"]), "LOCK_STORE_PORT": str(REDIS["port"]),
            "LOCK_STORE_DB": "0",
            "DATABASE_URL": url + self.database,
            "TRACKER_DB_URL": url + self.database,
            "CASE_DATA_KEY": Fernet.generate_key().decode(),
            "CASE_OUTBOX_DIR": str(self.workdir / "outbox"),
            "STAFF_SECRET_KEY": secrets.token_hex(32),
            "STAFF_PORT": str(self.ports.staff),
        }

    def _create_database(self) -> None:
        import psycopg2

        connection = psycopg2.connect(**POSTGRES)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')
        connection.close()

    def _drop_database(self) -> None:
        import psycopg2

        try:
            connection = psycopg2.connect(**POSTGRES)
        except Exception:  # noqa: BLE001 - nothing to drop without a server
            return
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        connection.close()

    def _start_nginx(self) -> None:
        self.nginx_dir.mkdir(parents=True, exist_ok=True)
        cert, key = self.nginx_dir / "cert.pem", self.nginx_dir / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )
        values = {
            "KNEE_NGINX_DIR": str(self.nginx_dir), "KNEE_NGINX_USER": "root",
            "KNEE_ROOT": str(ROOT), "KNEE_PUBLIC_HOST": "127.0.0.1",
            "KNEE_PUBLIC_PORT": str(self.ports.public), "KNEE_STAFF_HOST": "127.0.0.1",
            "KNEE_STAFF_PORT_PUBLIC": str(self.ports.staff_public),
            "KNEE_TLS_CERT": str(cert), "KNEE_TLS_KEY": str(key),
            "KNEE_RASA_PORT_1": str(self.ports.rasa[0]),
            "KNEE_RASA_PORT_2": str(self.ports.rasa[1]),
            "KNEE_WEB_PORT": str(self.ports.web), "KNEE_STAFF_PORT": str(self.ports.staff),
        }
        config = self.nginx_dir / "nginx.conf"
        config.write_text(render((ROOT / "deploy" / "nginx.conf").read_text(), values))
        test = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(self.nginx_dir)],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused deploy/nginx.conf:\n{test.stderr}")
        with open(self.nginx_dir / "nginx.out", "ab") as log:  # nginx keeps its own copy
            self.nginx = subprocess.Popen(
                [NGINX, "-c", str(config), "-p", str(self.nginx_dir), "-g", "daemon off;"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
