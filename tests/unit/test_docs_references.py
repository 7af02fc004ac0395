"""The README and docs/ name only things that exist: make targets, python -m commands (each
answers --help), and files and folders of this repository."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TEXT = {page.relative_to(ROOT).as_posix(): page.read_text(encoding="utf-8") for page in PAGES}
MAKE_TARGET = re.compile(r"`make ([a-z][a-z-]*)")
MODULE = re.compile(r"python -m ([a-z_][\w.]*)")
# a path in backticks or a Markdown link: folders end in "/", files have an extension
PATH = re.compile(r"(?:`|\]\()((?:\.\./)?[a-zA-Z_.][\w./-]*(?:/|\.(?:py|yml|yaml|md|png|"
                  r"json|conf|service|example|ini|txt|html|js|css)))(?:`|\)|:|#)")
# made at run time (var/, bench/results/ by `make bench`) or outside this repository
NOT_OURS = ("var/", "/usr/", "/etc/", "models/knee", "/webhooks/", "/socket.io", "bench/results/")


def mentioned(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    return sorted({(page, found) for page, text in TEXT.items()
                   for found in pattern.findall(text)})


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


@pytest.mark.parametrize(("page", "target"), mentioned(MAKE_TARGET))
def test_every_make_target_named_exists(page: str, target: str) -> None:
    assert target in makefile_targets(), f"{page} names `make {target}`"


@pytest.mark.parametrize(("page", "module"), mentioned(MODULE))
def test_every_python_command_named_answers_help(page: str, module: str) -> None:
    finished = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
                                   "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert finished.returncode == 0, (page, module, finished.stderr[-500:])
    assert "usage" in (finished.stdout + finished.stderr).lower(), (page, module)


@pytest.mark.parametrize(("page", "path"), mentioned(PATH))
def test_every_file_and_folder_named_exists(page: str, path: str) -> None:
    if path.startswith(NOT_OURS) or "://" in path:
        pytest.skip(f"{path} is made at run time or lives elsewhere")
    base = (ROOT / page).parent if path.startswith("../") or "/" not in page else ROOT
    target = (base / path).resolve() if path.startswith("../") else ROOT / path
    if not target.exists() and page.startswith("docs/"):
        target = (ROOT / "docs" / path).resolve()
    assert target.exists(), f"{page} names {path}"


def test_the_readme_fits_on_a_few_screens() -> None:
    assert len(TEXT["README.md"].splitlines()) <= 200
