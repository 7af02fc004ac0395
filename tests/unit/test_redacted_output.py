"""Whatever a server writes (records, warnings, prints) reaches its output redacted."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from kneecare.redacted_output import RedactingStream

ROOT = Path(__file__).resolve().parents[2]


def test_a_stream_redacts_each_line_even_when_written_in_pieces() -> None:
    target = io.StringIO()
    stream = RedactingStream(target)
    stream.write("call me on 0791")
    stream.write("1 123456 please\nor jo@")
    stream.write("example.com")
    stream.flush()
    assert target.getvalue() == "call me on [phone] please\nor [email]"


def test_warnings_prints_and_records_of_a_process_are_redacted() -> None:
    script = """
import logging, sys, warnings
from kneecare.redacted_output import install_output_redaction
install_output_redaction()
logging.basicConfig(level=logging.INFO)
warnings.warn('Failed to parse /inform{"phone": "07911 123456"}', UserWarning)
print("phone me on +44 7911 123457")
print("mail jo.bloggs@example.com", file=sys.stderr)
logging.getLogger("x").info("text was %s", "07911 123458")
try:
    raise ValueError("bad 07911 123459")
except ValueError:
    logging.getLogger("x").exception("failed")
"""
    finished = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, env={"PYTHONPATH": str(ROOT)})
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    for personal in ("123456", "123457", "123458", "123459", "jo.bloggs", "example.com"):
        assert personal not in output, output
    assert output.count("[phone]") >= 3 and "[email]" in output and "[redacted]" in output
