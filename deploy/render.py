"""``python -m deploy.render``: fill a deployment template from the environment.

Templates in deploy/ (nginx.conf, the systemd units) name their settings as
``${KNEE_...}``; this fills exactly those names from the environment (or
``--env FILE``, in the format of deploy/production.env.example) and leaves
every other ``$word`` alone, since nginx has variables of its own. A name the
template uses and the environment does not set is an error that lists every
missing name, so a half-filled file is never written.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from kneecare.environment import environment

PLACEHOLDER = re.compile(r"\$\{(KNEE_[A-Z0-9_]+)\}")


class MissingSettings(ValueError):
    """The template names settings that were not given."""


def placeholders(template: str) -> list[str]:
    """The ``${KNEE_...}`` names a template uses, each once, in order."""
    return list(dict.fromkeys(PLACEHOLDER.findall(template)))


def render(template: str, values: Mapping[str, str]) -> str:
    """``template`` with every ``${KNEE_...}`` replaced; MissingSettings names any unset."""
    missing = [name for name in placeholders(template) if not values.get(name, "").strip()]
    if missing:
        raise MissingSettings("set " + ", ".join(missing))
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines; blank lines and # comments are skipped; quotes are not special."""
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.partition("=")
        if not separator or not key.strip():
            raise ValueError(f"{path}:{number}: expected KEY=value")
        values[key.strip()] = value.strip()
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__)
    parser.add_argument("template", type=Path, help="e.g. deploy/nginx.conf")
    parser.add_argument("--env", type=Path, help="a KEY=value file read before the environment")
    parser.add_argument("--out", type=Path, help="where to write (default: standard output)")
    args = parser.parse_args(argv)
    try:
        values = {**(read_env_file(args.env) if args.env else {}), **environment()}
        text = render(args.template.read_text(encoding="utf-8"), values)
    except (OSError, ValueError) as error:
        print(f"deploy.render: {args.template}: {error}", file=sys.stderr)
        return 2
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
