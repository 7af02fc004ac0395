"""Only ``rasa_patches/`` changes Rasa: no other module assigns to a Rasa module or class.

Read from the source: every assignment (plain, augmented, annotated) whose
target is an attribute of a name bound by importing from ``rasa``, and every
``setattr`` on such a name, at any depth. Tests are not scanned (they undo
their changes through pytest's ``monkeypatch``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FENCED = "rasa_patches"
NOT_SCANNED = {".venv", ".lock-venv", "tests", "node_modules", FENCED, "models"}


def rasa_names(tree: ast.AST) -> set[str]:
    """Names that refer to Rasa modules or to things imported from them."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "rasa":
                    names.add(alias.asname or alias.name.split(".")[0])
        elif (isinstance(node, ast.ImportFrom) and node.module and not node.level
              and node.module.split(".")[0] == "rasa"):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def rasa_changes(source: str) -> list[int]:
    """Line numbers where ``source`` assigns to an attribute of something from Rasa."""
    tree = ast.parse(source)
    names = rasa_names(tree)
    lines: list[int] = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "setattr" and node.args):
            if _root(node.args[0]) in names:
                lines.append(node.lineno)
            continue
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple) else [target]
            lines += [node.lineno for element in elements
                      if isinstance(element, ast.Attribute) and _root(element) in names]
    return lines


def project_modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py")
        if not NOT_SCANNED & set(path.relative_to(ROOT).parts)
    )


@pytest.mark.parametrize("source, lines", [
    ("from rasa.core.actions.action import RemoteAction\nRemoteAction.run = None\n", [2]),
    ("import rasa.core.run\nrasa.core.run.configure_app = len\n", [2]),
    ("from rasa.core import processor as p\np.DaskGraphRunner = object\n", [2]),
    ("from rasa.shared.core.slots import Slot\nsetattr(Slot, '__copy__', None)\n", [2]),
    ("def f():\n    from rasa.x import Y\n    Y.z += 1\n", [3]),
    ("from rasa.x import Y\nY.a, b = 1, 2\n", [2]),
    # not changes to Rasa: a local object, reading, our own classes
    ("from rasa.x import Y\nvalue = Y.z\n", []),
    ("class Mine:\n    pass\nMine.x = 1\n", []),
    ("import rasa_sdk\nrasa_sdk.x = 1\n", []),
])
def test_the_scan_finds_changes_to_rasa(source: str, lines: list[int]) -> None:
    assert rasa_changes(source) == lines


def test_the_scan_covers_the_packages() -> None:
    scanned = {path.relative_to(ROOT).parts[0] for path in project_modules()}
    assert {"actions", "channels", "core_plugins", "runner", "nlu_components", "staff",
            "kneecare", "bench", "web", "deploy"} <= scanned
    assert FENCED not in scanned


def test_only_rasa_patches_assigns_to_rasa() -> None:
    found = {
        str(path.relative_to(ROOT)): lines
        for path in project_modules()
        if (lines := rasa_changes(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"changes to Rasa outside {FENCED}/ (move them there): {found}"


def test_the_fenced_package_is_where_the_changes_are() -> None:
    fenced = sorted((ROOT / FENCED).glob("*.py"))
    assert sum(bool(rasa_changes(path.read_text(encoding="utf-8"))) for path in fenced) >= 3
