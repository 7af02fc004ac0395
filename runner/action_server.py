"""``python -m runner.action_server``: the action server, refusing to start half-configured.

The same as ``rasa run actions --actions actions``, with one check first: in
production (``KNEE_ENV=production``) the case database and the key that
encrypts contact details must be set, or the process stops and names them,
instead of falling back to a local SQLite file and key file.
"""

from __future__ import annotations

import os
import sys

from runner.production import refuse_to_start_without


def main(argv: list[str] | None = None) -> int:
    refuse_to_start_without(os.environ, "action server")
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser

    arguments = list(sys.argv[1:] if argv is None else argv)
    if "--actions" not in arguments:
        arguments += ["--actions", "actions"]
    main_from_args(create_argument_parser().parse_args(arguments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
