"""Read numbers as people type them: digits, number words and ``7/10``.

Small helpers shared by the measure readers and the answer parsers; the word
lists come from ``patterns/measures.yml``.
"""

from __future__ import annotations

import math
import re

from kneecare.language import lexicon

FRACTION = re.compile(r"^(\d{1,2}(?:\.\d+)?)/(\d{1,2})$")


def word_number(word: str) -> float | None:
    """Return the value of one word: ``"6"`` -> 6, ``"six"`` -> 6, ``"6.5"`` -> 6.5."""
    word = word.strip().lower()
    try:
        value = float(word.replace(",", ""))
    except ValueError:
        found = lexicon.lexicon()["number_words"].get(word)
        return None if found is None else float(found)
    return value if math.isfinite(value) else None


def read_number(words: list[str]) -> float | None:
    """Return the value of a run of number words: ``["sixty", "two"]`` -> 62.

    A tens word followed by a units word is summed; any other run of two or
    more numbers is not one number and gives ``None``.
    """
    values = [word_number(word) for word in words]
    if not values or any(value is None for value in values):
        return None
    numbers = [value for value in values if value is not None]
    if len(numbers) == 1:
        return numbers[0]
    tens, units = numbers[0], numbers[1]
    if len(numbers) == 2 and tens % 10 == 0 and 20 <= tens <= 90 and 0 < units < 10:
        return tens + units
    return None


def fraction_numerator(word: str, denominator: int = 10) -> float | None:
    """Return 7 for ``"7/10"``; ``None`` when the word is not ``n/denominator``."""
    match = FRACTION.match(word.strip())
    if not match or int(match.group(2)) != denominator:
        return None
    return float(match.group(1))


def round_half_up(value: float) -> int:
    """Round 6.5 to 7 (pain scores err upwards), 6.4 to 6."""
    return int(math.floor(value + 0.5))
