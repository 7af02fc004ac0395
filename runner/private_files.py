"""Everything the assistant writes under var/ is readable by its own user only.

SQLite databases, their write-ahead logs, the key file, the outbox and the
logs hold conversations and contact details. Each server process sets its
umask to 077 first (new files 0600, new folders 0700), and `make run` also
tightens what an older version left readable (``restrict_existing``).
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600
FOLDER_MODE = 0o700


def restrict_new_files() -> None:
    """Files and folders this process creates from now on: owner only."""
    os.umask(PRIVATE_UMASK)


def restrict_existing(folder: Path) -> None:
    """``folder`` and everything under it: folders 0700, files 0600 (symlinks left alone)."""
    if not folder.is_dir():
        return
    folder.chmod(FOLDER_MODE)
    for path in folder.rglob("*"):
        if path.is_symlink():
            continue
        path.chmod(FOLDER_MODE if path.is_dir() else FILE_MODE)


def private_folder(folder: Path) -> Path:
    """``folder``, created if needed, owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)
    return folder


def open_private_log(path: Path) -> int:
    """A file descriptor for appending to ``path``, created 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    os.chmod(path, FILE_MODE)
    return descriptor
