"""docs/clinical-safety.md names only tests that exist, so the log cannot drift."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "clinical-safety.md"
REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")


def references(text: str) -> list[tuple[str, str]]:
    return REFERENCE.findall(text)


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}




def test_the_reference_reader_finds_path_and_name() -> None:
    assert references("see tests/unit/test_x.py::test_y, and tests/a/b.py::test_z.") == [
        ("tests/unit/test_x.py", "test_y"), ("tests/a/b.py", "test_z")]


def test_every_hazard_names_tests() -> None:
    hazards = re.split(r"^## ", LOG.read_text(encoding="utf-8"), flags=re.M)[1:]
    assert len(hazards) >= 8
    for hazard in hazards:
        assert references(hazard), hazard.splitlines()[0]


@pytest.mark.parametrize("path, name", sorted(set(references(LOG.read_text(encoding="utf-8")))))
def test_every_named_test_exists(path: str, name: str) -> None:
    assert (ROOT / path).is_file(), path
    assert name in functions_in(ROOT / path), f"{path}::{name}"
