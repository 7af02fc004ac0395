"""The staff view and the case store stay in small modules, one purpose each.

A module's size is its lines of code: lines that are not blank and not only a
comment (docstrings count; they are read like code). No module here needs an
exception today; one that cannot reasonably be split would be listed here
with its reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("staff", "kneecare/cases")
MAX_LINES_OF_CODE = 150


def lines_of_code(text: str) -> int:
    stripped = (line.strip() for line in text.splitlines())
    return sum(1 for line in stripped if line and not line.startswith("#"))


def modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_lines_of_code_skip_blank_lines_and_comments_only() -> None:
    text = '"""Doc."""\n\n# a comment\n    # indented comment\nx = 1  # trailing\n\n'
    assert lines_of_code(text) == 2


def test_the_staff_app_and_the_case_store_are_among_the_modules_measured() -> None:
    measured = {path.relative_to(ROOT).as_posix() for path in modules()}
    assert {"staff/app.py", "kneecare/cases/store.py"} <= measured


@pytest.mark.parametrize("path", modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_module_is_longer_than_about_150_lines_of_code(path: Path) -> None:
    size = lines_of_code(path.read_text(encoding="utf-8"))
    assert size <= MAX_LINES_OF_CODE, (
        f"{path.relative_to(ROOT)} has {size} lines of code (at most {MAX_LINES_OF_CODE}):"
        " split it by responsibility"
    )
