"""``python -m runner.rasa_server run|shell ...``: Rasa's ``rasa run``/``shell``, locked down.

Rasa's CLI takes the API token and the CORS origins as arguments (which any
local user can read in the process list) and is easy to start with the API
open or CORS at ``*``. This entry point reads them from the environment and
then hands over to Rasa's CLI unchanged:

- ``RASA_API_TOKEN``, or ``RASA_JWT_SECRET`` (with ``RASA_JWT_METHOD``,
  default HS256): turn on Rasa's HTTP API guarded by it. Neither: the API is
  off (only the channels' webhooks answer). There is no default token.
- ``ALLOWED_ORIGINS``: the websites (scheme://host[:port], separated by
  spaces or commas) whose pages may call the REST webhook and socket.io;
  the local demo page's origins by default, required in production.
- ``HOST``: the interface Rasa listens on, 127.0.0.1 unless set (behind
  nginx nothing else is needed; ``HOST=0.0.0.0`` listens everywhere).
- The REST webhook must have a token (``REST_WEBHOOK_TOKEN``) when
  ``KNEE_ENV=production`` or when a messaging channel (Twilio, Telegram) is
  in the credentials: it is refused otherwise, with a message that says so.
- Models come only from this project's ``models/`` directory: ``--model``
  must point there, an endpoints file may not name a model server
  (``models:``), and the API's "replace the model" and "train" endpoints
  answer 403 (CVE-2024-49375 was remote code execution via model loading).

It also installs the project's changes to Rasa before it starts, all from
``rasa_patches`` (its docstring lists them): the action safety net, message
turns, the extra routes (runner/server_extras.py) and the speed patches.

Passing ``--enable-api``, ``--auth-token``, ``--jwt-secret`` or ``--cors`` on
the command line is refused, so there is exactly one way to configure them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from channels.credentials import VARIABLE
from channels.origins import OriginsError, allowed_origins
from kneecare.environment import environment
from runner.private_files import restrict_new_files
from runner.production import is_production, refuse_to_start_without

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CONFIGURED_BY_ENVIRONMENT = ("--enable-api", "--auth-token", "--jwt-secret", "--cors")
DEFAULT_HOST = "127.0.0.1"
REST_CHANNELS = ("rest", "channels.rest_checked.CheckedRestInput")
# `rasa run` for the servers, `rasa shell` for `make shell`: the same settings and patches
COMMANDS = ("run", "shell")
USAGE = "usage: python -m runner.rasa_server run|shell [rasa run or shell options]"
MESSAGING_CHANNELS = ("twilio", "telegram")  # matched in the credentials' section names


class ServerConfigError(ValueError):
    """A setting this entry point cannot start with; the message says which and why."""


def api_arguments(env: Mapping[str, str]) -> list[str]:
    """Rasa's API flags from the environment: a token, a JWT secret, or nothing (API off)."""
    token = env.get("RASA_API_TOKEN", "").strip()
    jwt_secret = env.get("RASA_JWT_SECRET", "").strip()
    arguments: list[str] = []
    if token or jwt_secret:
        arguments.append("--enable-api")
    if token:
        arguments += ["--auth-token", token]
    if jwt_secret:
        arguments += ["--jwt-secret", jwt_secret,
                      "--jwt-method", env.get("RASA_JWT_METHOD", "HS256")]
    return arguments


def checked_model(arguments: list[str], models: Path = MODELS) -> None:
    """Refuse a ``--model``/``-m`` outside ``models``; Rasa picks the newest there when absent."""
    for index, argument in enumerate(arguments):
        value = None
        if argument in ("--model", "-m") and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--model="):
            value = argument.split("=", 1)[1]
        if value is not None:
            path = Path(value).resolve()
            if not path.is_relative_to(models.resolve()):
                raise ServerConfigError(
                    f"models are loaded only from {models}; move {value} there"
                )


def checked_endpoints(arguments: list[str]) -> None:
    """Refuse an endpoints file that would fetch models from a model server."""
    for index, argument in enumerate(arguments):
        value = None
        if argument == "--endpoints" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--endpoints="):
            value = argument.split("=", 1)[1]
        if value is None:
            continue
        try:
            endpoints = yaml.safe_load(Path(value).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise ServerConfigError(f"cannot read the endpoints file {value}: {error}") from None
        if isinstance(endpoints, dict) and endpoints.get("models"):
            raise ServerConfigError(
                f"{value} names a model server (models:); models are loaded only from {MODELS}"
            )


def option_value(arguments: list[str], *names: str) -> str | None:
    """The value of ``--name value`` or ``--name=value`` in ``arguments``, else None."""
    for index, argument in enumerate(arguments):
        if argument in names and index + 1 < len(arguments):
            return arguments[index + 1]
        for name in names:
            if argument.startswith(f"{name}="):
                return argument.split("=", 1)[1]
    return None


def checked_rest_token(arguments: list[str], env: Mapping[str, str]) -> None:
    """Refuse an open REST webhook in production or beside a messaging channel.

    The REST channel trusts the sender id it is given; where patients write
    from their phones, or in production, only the clinic's own systems (with
    the token) may use it.
    """
    path = option_value(arguments, "--credentials")
    if path is None:
        return
    try:
        credentials = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise ServerConfigError(f"cannot read the credentials file {path}: {error}") from None
    if not isinstance(credentials, dict):
        return
    messaging = [name for name in credentials
                 if any(channel in str(name).lower() for channel in MESSAGING_CHANNELS)]
    production = env.get("KNEE_ENV", "").strip().lower() == "production"
    for name in REST_CHANNELS:
        if name not in credentials or not (production or messaging):
            continue
        token = str((credentials[name] or {}).get("token") or "")
        token = VARIABLE.sub(lambda match: env.get(match.group(1), ""), token).strip()
        if not token:
            why = "KNEE_ENV=production" if production else f"{messaging[0]} is configured"
            raise ServerConfigError(
                f"the REST webhook needs a token because {why}: set REST_WEBHOOK_TOKEN (its"
                " callers then send 'Authorization: Bearer <token>'), or remove the REST"
                " channel from the credentials"
            )


def rasa_arguments(arguments: list[str], env: Mapping[str, str]) -> list[str]:
    """The full ``rasa run`` argument list: the caller's plus the locked-down settings."""
    if not arguments or arguments[0] not in COMMANDS:
        raise ServerConfigError(USAGE)
    flags = [argument.split("=", 1)[0] for argument in arguments]
    for flag in CONFIGURED_BY_ENVIRONMENT:
        if flag in flags:
            raise ServerConfigError(
                f"{flag} is set from the environment here (RASA_API_TOKEN, RASA_JWT_SECRET,"
                " ALLOWED_ORIGINS), not on the command line"
            )
    checked_model(arguments)
    checked_endpoints(arguments)
    checked_rest_token(arguments, env)
    interface = [] if option_value(arguments, "--interface", "-i") else [
        "--interface", env.get("HOST", "").strip() or DEFAULT_HOST]
    return [*arguments, *interface, "--cors", *allowed_origins(env), *api_arguments(env)]


def main(argv: list[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] in (["-h"], ["--help"]):
        print(__doc__)
        print(f"{USAGE} (python -m runner.rasa_server run --help: Rasa's own options)")
        return 0
    env = environment()
    refuse_to_start_without(env, "rasa")
    from kneecare.redacted_output import install_output_redaction

    install_output_redaction()  # log records, warnings, stdout and stderr
    restrict_new_files()  # the tracker database and its write-ahead log: owner only
    try:
        arguments = rasa_arguments(list(sys.argv[1:] if argv is None else argv), env)
    except (ServerConfigError, OriginsError) as error:
        print(f"rasa server: {error}", file=sys.stderr)
        return 2
    from rasa_patches import PatchSettingError, install

    try:
        installed = install(env)  # the safety net, message turns, extra routes, speed patches
    except (PatchSettingError, ValueError) as error:
        print(f"rasa server: {error}", file=sys.stderr)
        return 2
    if installed.skipped_because and is_production(env):
        print(f"rasa server: refusing to start with KNEE_ENV=production: "
              f"{installed.skipped_because}", file=sys.stderr)
        return 2
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]
    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
