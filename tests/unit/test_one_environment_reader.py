"""One reader of the environment: only kneecare/environment.py reads os.environ or os.getenv.

Read from the source of every project module (tests are not scanned: they set
up environments for the code under test).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READER = ROOT / "kneecare" / "environment.py"
NOT_SCANNED = {".venv", ".lock-venv", "tests", "node_modules", "models"}


NAMES = ("environ", "getenv", "environb")


def _reads(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return (node.attr in NAMES and isinstance(node.value, ast.Name)
                and node.value.id == "os")
    if isinstance(node, ast.ImportFrom):
        return node.module == "os" and any(alias.name in NAMES for alias in node.names)
    return False


def environment_reads(source: str) -> list[int]:
    """Lines that touch ``os.environ``/``os.getenv`` (or import them from os)."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source)) if _reads(node))


@pytest.mark.parametrize("source, lines", [
    ("import os\nx = os.environ.get('A')\n", [2]),
    ("import os\nx = os.getenv('A')\n", [2]),
    ("from os import environ\n", [1]),
    ("import os\ndef f():\n    return dict(os.environ)\n", [3]),
    ("import os\nx = os.path.join('a', 'b')\n", []),
    ("environ = {}\nx = environ.get('A')\n", []),
])
def test_the_scan_finds_environment_reads(source: str, lines: list[int]) -> None:
    assert environment_reads(source) == lines


def test_only_the_reader_reads_the_environment() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(ROOT.rglob("*.py"))
        if not NOT_SCANNED & set(path.relative_to(ROOT).parts) and path != READER
        if (lines := environment_reads(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"read the environment through kneecare.environment: {found}"


def test_the_reader_reads_it() -> None:
    assert environment_reads(READER.read_text(encoding="utf-8"))
