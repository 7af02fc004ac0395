"""kneecare/ is plain Python: no module imports rasa, rasa_sdk or sanic, even lazily.

Read from the source (every import statement, at any depth), so that an
import inside a function is caught as well as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KNEECARE = Path(__file__).resolve().parents[2] / "kneecare"
FORBIDDEN = ("rasa", "rasa_sdk", "sanic")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def is_forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


@pytest.mark.parametrize("module, forbidden", [
    ("rasa.core.agent", True), ("rasa_sdk", True), ("sanic.response", True),
    ("rasax", False), ("kneecare.triage", False), ("spacy", False),
])
def test_the_check_tells_rasa_from_other_modules(module: str, forbidden: bool) -> None:
    assert is_forbidden(module) is forbidden


def test_no_kneecare_module_imports_rasa_rasa_sdk_or_sanic() -> None:
    offenders = [f"{path.relative_to(KNEECARE.parent)}: {module}"
                 for path in sorted(KNEECARE.rglob("*.py"))
                 for module in imported_modules(path) if is_forbidden(module)]
    assert offenders == []
