"""The field test set (tests/field/messages/*.yml) loaded into typed records.

Each message was written in new words after one real public post, whose URL is
its ``source``. The dev/test split is computed from that URL, never written, so
that every message modelled on one page falls in the same half.
No Rasa import: this module only reads YAML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

MESSAGES_DIR = Path(__file__).with_name("messages")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class FieldMessage:
    """One labelled field message."""

    id: str
    source: str
    text: str
    label: str
    form: str
    style: tuple[str, ...] = ()
    level: str | None = None
    red_flags: tuple[str, ...] = ()
    evidence: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    split: str = "dev"

    @property
    def group(self) -> str:
        """faq, clinic, symptom_report, red_flag or out_of_scope."""
        return self.label.split("/", 1)[0]


def normalise_url(url: str) -> str:
    """The page a URL names: host lowercased; no scheme, "www.", query, fragment, trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[len("www.") :]
    return f"{host}{parts.path}".rstrip("/")


def split_of(url: str) -> str:
    """'test' or 'dev', from a hash of the normalised source URL."""
    digest = hashlib.sha1(normalise_url(url).encode("utf-8")).hexdigest()
    return "test" if int(digest, 16) % 2 == 1 else "dev"


def _record(entry: dict[str, Any]) -> FieldMessage:
    return FieldMessage(
        id=str(entry["id"]),
        source=str(entry["source"]),
        text=str(entry["text"]),
        label=str(entry["label"]),
        form=str(entry["form"]),
        style=tuple(entry.get("style") or ()),
        level=entry.get("level"),
        red_flags=tuple(entry.get("red_flags") or ()),
        evidence=entry.get("evidence"),
        facts=dict(entry.get("facts") or {}),
        split=split_of(str(entry["source"])),
    )


def load_entries(directory: Path = MESSAGES_DIR) -> list[dict[str, Any]]:
    """The raw YAML entries of every file, in file-name order."""
    entries: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.yml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return entries


def load_field(split: str | None = None, directory: Path = MESSAGES_DIR) -> list[FieldMessage]:
    """Every field message, or only those of ``split`` ('dev' or 'test')."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    messages = [_record(entry) for entry in load_entries(directory)]
    return [m for m in messages if split is None or m.split == split]
