"""Load the parser's data files: patterns, cues, measure groups and answers.

Everything the parser knows about words lives in YAML under ``patterns/`` and
in ``kneecare/signs.yml``; this module reads those files once (cached), checks
that every sign id a pattern mentions exists, compiles the phrase shorthand into
spaCy ``SpanRuler`` patterns and fingerprints the files so that a saved
pipeline can tell when it is out of date.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kneecare.language.shorthand import TokenPattern, compile_phrase

PATTERN_DIR = Path(__file__).parent / "patterns"
SIGNS_FILE = Path(__file__).parent.parent / "signs.yml"

#: Span labels written by the sign ruler.
SIGN_LABEL = "SIGN"
DECOY_LABEL = "DECOY"
CUE_LABELS = (
    "NEGATION",
    "UNCERTAINTY",
    "BREAK",
    "SURGERY",
    "RELIEF",
    "FAMILY",
    DECOY_LABEL,
)


class PatternFileError(ValueError):
    """A pattern file refers to something that does not exist."""


@dataclass(frozen=True)
class MeasureGroup:
    """One way of saying a quantity, as declared in ``measures.yml``."""

    name: str
    label: str
    kind: str
    priority: int
    value: float | str | None


def read_yaml(path: Path) -> Any:
    """Return the parsed content of one YAML file."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def sign_ids() -> frozenset[str]:
    """Return the sign vocabulary of ``kneecare/signs.yml``."""
    return frozenset(read_yaml(SIGNS_FILE)["signs"])


@lru_cache(maxsize=1)
def macros() -> dict[str, list[str]]:
    """Return the shared phrase macros of ``patterns/macros.yml``."""
    return dict(read_yaml(PATTERN_DIR / "macros.yml"))


@lru_cache(maxsize=1)
def sign_file() -> dict[str, Any]:
    """Return ``patterns/signs.yml`` after checking its sign ids."""
    data: dict[str, Any] = read_yaml(PATTERN_DIR / "signs.yml")
    for rule in data["rules"]:
        check_effects(str(rule["effects"] or ""))
    for source, targets in data["implications"].items():
        check_effects(" ".join([source, *targets]))
    return data


@lru_cache(maxsize=1)
def cue_file() -> dict[str, Any]:
    """Return ``patterns/cues.yml``."""
    data: dict[str, Any] = read_yaml(PATTERN_DIR / "cues.yml")
    scope = data["scope"]
    named = (
        "other_person_signs",
        "relieved_signs",
        "body_part_signs",
        "history_signs",
        "eases_soon_signs",
        "below_knee_signs",
    )
    unknown = {sign for key in named for sign in scope[key]} - sign_ids()
    if unknown:
        raise PatternFileError(f"cues.yml names unknown signs {sorted(unknown)}")
    return data


@lru_cache(maxsize=1)
def measure_file() -> dict[str, Any]:
    """Return ``patterns/measures.yml``."""
    data: dict[str, Any] = read_yaml(PATTERN_DIR / "measures.yml")
    return data


@lru_cache(maxsize=1)
def answer_file() -> dict[str, Any]:
    """Return ``patterns/answers.yml``."""
    data: dict[str, Any] = read_yaml(PATTERN_DIR / "answers.yml")
    return data


def parse_effects(effects: str) -> list[tuple[str, str]]:
    """Split an effects string into (polarity, sign) pairs.

    >>> parse_effects("+limp -cannot_walk_at_all")
    [('+', 'limp'), ('-', 'cannot_walk_at_all')]
    """
    pairs = []
    for item in effects.split():
        if item[0] not in "+-?":
            raise PatternFileError(f"effect {item!r} must start with +, - or ?")
        pairs.append((item[0], item[1:]))
    return pairs


def check_effects(effects: str) -> None:
    """Raise when an effects string names a sign that signs.yml does not define."""
    unknown = {sign for _, sign in parse_effects(effects)} - sign_ids()
    if unknown:
        raise PatternFileError(f"unknown sign ids {sorted(unknown)} in {effects!r}")


def ruler_entries(label: str, span_id: str, phrases: list[str]) -> list[dict[str, Any]]:
    """Compile shorthand phrases into ``SpanRuler`` pattern entries."""
    entries: list[dict[str, Any]] = []
    for phrase in phrases:
        for pattern in compile_phrase(phrase, macros()):
            entries.append({"label": label, "id": span_id, "pattern": pattern})
    return entries


def sign_ruler_patterns() -> list[dict[str, Any]]:
    """Return the patterns of the sign ruler: signs, decoys and cues."""
    entries: list[dict[str, Any]] = []
    for rule in sign_file()["rules"]:
        effects = str(rule["effects"] or "")
        label = SIGN_LABEL if effects else DECOY_LABEL
        entries.extend(ruler_entries(label, effects, rule["patterns"]))
    for label, phrases in cue_file()["cues"].items():
        if label not in CUE_LABELS:
            raise PatternFileError(f"unknown cue label {label!r}")
        entries.extend(ruler_entries(label, label.lower(), phrases))
    return entries


def context_ruler_patterns() -> list[dict[str, Any]]:
    """Return the patterns of the context ruler (whose knee, body part, episode...)."""
    entries: list[dict[str, Any]] = []
    for label, phrases in cue_file()["context"].items():
        entries.extend(ruler_entries(label, label.lower(), phrases))
    return entries


@lru_cache(maxsize=1)
def measure_groups() -> dict[str, MeasureGroup]:
    """Return the measure groups of ``measures.yml`` by name."""
    return {
        group["name"]: MeasureGroup(
            name=group["name"],
            label=group["label"],
            kind=group["kind"],
            priority=int(group["priority"]),
            value=group.get("value"),
        )
        for group in measure_file()["groups"]
    }


def measure_ruler_patterns() -> list[dict[str, Any]]:
    """Return the patterns of the measure ruler (durations, scores, ages, sides)."""
    local = {**macros(), **measure_file()["macros"]}
    entries: list[dict[str, Any]] = []
    for group in measure_file()["groups"]:
        for phrase in group["patterns"]:
            patterns: list[TokenPattern] = compile_phrase(phrase, local)
            entries.extend(
                {"label": group["label"], "id": group["name"], "pattern": pattern}
                for pattern in patterns
            )
    return entries


def lexicon() -> dict[str, Any]:
    """Return the word lists used to read measures (units, number words...)."""
    data: dict[str, Any] = measure_file()["lexicon"]
    return data


def pattern_fingerprint() -> str:
    """Return a hash of the data files and the compiler the pipeline is built from."""
    digest = hashlib.sha256()
    compiler = Path(__file__).parent / "shorthand.py"
    for path in sorted(PATTERN_DIR.glob("*.yml")) + [SIGNS_FILE, compiler]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
