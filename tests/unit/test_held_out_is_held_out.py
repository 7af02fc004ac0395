"""The NLU held-out sentences are really held out: no training sentence is the same or nearly so.

Both sides are normalised (annotations unwrapped, case, punctuation and
spacing), then compared character by character: a held-out sentence fails if
a training sentence is the same, or at least 0.9 similar by either of two
character measures (difflib's matching-blocks ratio, or the cosine of their
character 3-gram counts). Either measure alone misses pairs the other finds.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HELD_OUT = ROOT / "tests" / "nlu" / "test_nlu_heldout.yml"
NEAR = 0.9
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def normalised(text: str) -> str:
    text = _ANNOTATION.sub(r"\1", text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def trigrams(text: str) -> Counter[str]:
    padded = f" {text} "
    return Counter(padded[i:i + 3] for i in range(len(padded) - 2))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    dot = sum(count * b[gram] for gram, count in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def similarity(a: str, b: str) -> float:
    """The larger of the two character similarities of two normalised texts."""
    return max(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(),
               cosine(trigrams(a), trigrams(b)))


def examples(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    found.append(line.strip()[2:].strip())
    return found


@cache
def training() -> tuple[str, ...]:
    paths = sorted((ROOT / "data").rglob("*.yml"))
    return tuple(sorted({text for text in map(normalised, examples(paths)) if text}))


@cache
def training_trigrams() -> tuple[Counter[str], ...]:
    return tuple(map(trigrams, training()))


def nearest(text: str) -> tuple[float, str]:
    """The most similar training sentence and its similarity."""
    candidate = normalised(text)
    grams = trigrams(candidate)
    matcher = difflib.SequenceMatcher(None, "", candidate, autojunk=False)
    best = (0.0, "")
    for other, other_grams in zip(training(), training_trigrams(), strict=True):
        score = cosine(grams, other_grams)
        matcher.set_seq1(other)
        if matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR:
            score = max(score, matcher.ratio())  # an upper bound passed: the exact ratio
        best = max(best, (score, other))
    return best


@pytest.mark.parametrize("a, b, near", [
    ("Why do my knees hurt when I walk?", "why do my knees hurt when i walk", True),
    ("why does my knee hurt when i walk", "why do my knees hurt when i walk", True),
    ("Hello!", "hello", True),
    ("is [10,000](number) steps too much", "is 10 000 steps too much", True),
    ("my wrist hurts when I type", "my elbow hurts when i type", False),
    ("what shoes help", "can ice reduce the swelling", False),
])
def test_the_check_finds_near_duplicates_and_only_those(a: str, b: str, near: bool) -> None:
    assert (similarity(normalised(a), normalised(b)) >= NEAR) is near


def test_a_planted_near_copy_of_a_training_sentence_is_caught() -> None:
    planted = training()[len(training()) // 2].upper() + "!!"
    assert nearest(planted)[0] >= NEAR


def test_no_held_out_sentence_is_a_training_sentence_or_nearly() -> None:
    close = [(text, round(score, 2), other) for text in examples([HELD_OUT])
             for score, other in [nearest(text)] if score >= NEAR]
    assert close == [], "\n".join(map(str, close))
