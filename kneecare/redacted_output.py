"""One redaction path for everything a process writes: log records, warnings, print().

``install_log_redaction`` (kneecare.cases.contact) redacts every log record.
Python warnings do not go through logging unless captured, and Rasa warns
about a message like ``/inform{"phone": "07911 123456"}`` by quoting it;
libraries also print. ``install_output_redaction`` therefore:

- captures warnings into logging (``logging.captureWarnings``), so they are
  redacted records like any other;
- wraps ``sys.stdout`` and ``sys.stderr`` so that whatever is written there,
  line by line, passes through ``redact`` too.

Each server calls it first thing (runner/rasa_server.py, runner/action_server.py,
python -m staff).
"""

from __future__ import annotations

import io
import logging
import sys
from typing import TextIO

from kneecare.cases.contact import install_log_redaction, redact


class RedactingStream(io.TextIOBase):
    """A text stream that redacts each complete line before writing it on."""

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            complete, self._pending = self._pending.rsplit("\n", 1)
            self.target.write(redact(complete) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(redact(self._pending))
            self._pending = ""
        self.target.flush()

    def fileno(self) -> int:
        return self.target.fileno()

    def isatty(self) -> bool:
        return self.target.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", "utf-8")

    def writable(self) -> bool:
        return True


def install_output_redaction() -> None:
    """Redact log records, warnings and the process's stdout and stderr (idempotent)."""
    install_log_redaction()
    logging.captureWarnings(True)
    if not isinstance(sys.stdout, RedactingStream):
        sys.stdout = RedactingStream(sys.stdout)
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)
