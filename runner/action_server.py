"""``python -m runner.action_server``: the action server, locked down, refusing half-configured.

The same server as ``rasa run actions --actions actions`` (rasa_sdk's own app),
started here so that:

- in production (``KNEE_ENV=production``) the case database and the key that
  encrypts contact details must be set, or the process stops and names them;
- it listens on 127.0.0.1 unless ``ACTION_SERVER_HOST`` says otherwise, and
  anywhere but loopback it requires ``ACTION_SERVER_TOKEN``, which Rasa sends
  with every call (``token:`` in endpoints.yml): anything else gets 401;
- cases waiting in the outbox (the case database was down) are delivered on
  a timer with back-off (``kneecare.cases.outbox_retry``), not only when the
  next case arrives.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import sys
from collections.abc import Mapping
from typing import Any

from kneecare.client_address import is_loopback
from kneecare.environment import environment
from runner.private_files import restrict_new_files
from runner.production import refuse_to_start_without

logger = logging.getLogger("runner.action_server")
DEFAULT_HOST = "127.0.0.1"
OPEN_PATHS = ("/health",)


class ActionServerConfigError(ValueError):
    """A setting the action server cannot start with; says which and why."""


def host_and_token(env: Mapping[str, str]) -> tuple[str, str | None]:
    """Where to listen and the token to require; refuses a non-loopback host without one."""
    host = env.get("ACTION_SERVER_HOST", "").strip() or DEFAULT_HOST
    token = env.get("ACTION_SERVER_TOKEN", "").strip() or None
    if token is None and not is_loopback(host):
        raise ActionServerConfigError(
            f"ACTION_SERVER_HOST={host} lets other machines call the actions; set"
            " ACTION_SERVER_TOKEN too (the Rasa server sends it), or listen on 127.0.0.1")
    return host, token


def require_token(token: str) -> Any:
    """Sanic request middleware: 401 for an action call without ``?token=<token>``."""
    from sanic.response import json

    async def check(request: Any) -> Any:
        if request.path.rstrip("/") in OPEN_PATHS:
            return None
        given = str(request.args.get("token") or "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            return json({"error": "this action server needs its token"}, status=401)
        return None

    return check


async def deliver_outbox_on_a_timer(_app: Any) -> None:
    """Deliver waiting cases every so often, backing off while the database stays down."""
    from kneecare.cases import case_settings, default_outbox, deliver_outbox
    from kneecare.cases.outbox_retry import next_delay

    first = case_settings().outbox_retry_seconds
    failures = 0
    while True:
        await asyncio.sleep(next_delay(failures, first))
        try:
            if not default_outbox().files():
                failures = 0
                continue
            delivery = await asyncio.get_running_loop().run_in_executor(None, deliver_outbox)
            failures = failures + 1 if delivery.waiting else 0
        except Exception as error:  # the database is still down: try later
            failures += 1
            logger.warning("outbox: delivery failed (%s); next try in %.0f s",
                           type(error).__name__, next_delay(failures, first))


def main(argv: list[str] | None = None) -> int:
    refuse_to_start_without(environment(), "action server")
    restrict_new_files()  # the case database, outbox and key file: owner only
    from kneecare.redacted_output import install_output_redaction

    install_output_redaction()
    try:
        host, token = host_and_token(environment())
    except ActionServerConfigError as error:
        print(f"action server: {error}", file=sys.stderr)
        return 2
    from rasa_sdk import utils
    from rasa_sdk.endpoint import create_app

    parser = argparse.ArgumentParser(description="The knee pain assistant's action server.")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions")
    args = parser.parse_args(argv)
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    from kneecare.language.pipeline import load_pipeline

    load_pipeline()  # before listening: the first person's message does not wait for it
    app = create_app(args.actions, cors_origins=None)
    if token is not None:
        app.register_middleware(require_token(token), "request")
    app.add_task(deliver_outbox_on_a_timer(app))
    logger.info("action server on http://%s:%d (token %s)", host, args.port,
                "required" if token else "not required: loopback only")
    app.run(host, args.port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
