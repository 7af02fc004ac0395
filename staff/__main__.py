"""``python -m staff``: serve the staff view (127.0.0.1:8081 unless STAFF_HOST/STAFF_PORT)."""

from __future__ import annotations

import argparse
import logging
import sys

from kneecare.environment import environment
from kneecare.redacted_output import install_output_redaction
from runner.private_files import restrict_new_files
from runner.production import refuse_to_start_without
from staff.app import serve
from staff.settings import StaffSettingsError, get_settings


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(
        prog="python -m staff",
        description="Serve the reception staff view (127.0.0.1:8081 unless STAFF_HOST and"
                    " STAFF_PORT say otherwise); settings come from the environment"
                    " (docs/staff.md).").parse_args(argv)
    refuse_to_start_without(environment(), "staff")
    install_output_redaction()
    restrict_new_files()
    # Sanic configures its own loggers; these are the app's.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    for name in ("staff", "kneecare"):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        settings = get_settings()
    except StaffSettingsError as error:
        print(f"staff: {error}", file=sys.stderr)
        return 2
    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
