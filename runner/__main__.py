"""`make run` / `make shell`: start everything, print where to go, stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time

from kneecare.environment import environment
from runner.private_files import restrict_existing, restrict_new_files
from runner.production import REQUIRED, refuse_to_start_without
from runner.services import BIN, ROOT, Assistant, default_environment


def stop_on_terminate(_signum: int, _frame: object) -> None:
    """SIGTERM (``kill``, a service manager, ``timeout``) stops everything as Ctrl-C does.

    Without it the runner died at once and left the servers it started running.
    """
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the knee pain assistant.")
    parser.add_argument("--shell", action="store_true", help="chat in this terminal")
    args = parser.parse_args()

    refuse_to_start_without(environment(), *REQUIRED)  # all that is missing, before starting
    restrict_new_files()
    restrict_existing(ROOT / "var")  # conversations, cases, keys, logs: owner only
    signal.signal(signal.SIGTERM, stop_on_terminate)
    assistant = Assistant()
    print("Starting the action server and the Rasa server (about 30 s)...", flush=True)
    try:
        assistant.start(
            with_rasa_server=not args.shell, with_web=not args.shell, with_staff=not args.shell
        )
        if args.shell:
            env = default_environment(assistant.ports, assistant.tracker_db)
            return subprocess.call(
                [str(BIN / "python"), "-m", "runner.rasa_server", "shell", "--endpoints",
                 "endpoints.yml"], cwd=ROOT, env=env
            )
        rasa = f"http://localhost:{assistant.ports.rasa}"
        print(
            "\nThe knee pain assistant is running.\n"
            f"  REST channel:    POST {rasa}/webhooks/rest/webhook\n"
            f"      e.g. curl -s {rasa}/webhooks/rest/webhook -H 'Content-Type: application/json' "
            "-d '{\"sender\":\"me\",\"message\":\"hi\"}'\n"
            f"  socket.io:       {rasa}/socket.io\n"
            f"  website widget:  http://localhost:{assistant.ports.web}/ (demo page)\n"
            f"  staff view:      http://localhost:{assistant.ports.staff}/ (reception)\n"
            "      first account: .venv/bin/python -m staff.accounts create <name>\n"
            f"  action server:   http://localhost:{assistant.ports.actions}/health\n"
            f"  logs:            {assistant.log_dir}\n"
            "  terminal chat:   make shell\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        while True:
            assistant.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        assistant.stop()


if __name__ == "__main__":
    sys.exit(main())
