"""Compile the phrase shorthand of ``patterns/*.yml`` into spaCy token patterns.

The pattern files are written as readable phrases rather than as raw spaCy
JSON, so that a clinician can review them. Each phrase is a space-separated
list of token specs, matched against lowercased text:

===============  ===========================================================
``swollen``      the lowercase word ``swollen``
``hot|warm``     any one of the listed words
``~twist``       any word whose lookup lemma is ``twist`` (twisted, twisting)
``NUM``          a number-like token (``6``, ``six``, ``7/10``)
``ANY``          any one word that is not punctuation, a negation or a
                 clause-breaking conjunction
``/re/``         a word matching the regular expression ``re``
``$name``        one of the alternatives of the macro ``name`` (a phrase list)
``spec?``        the spec is optional (also ``$name?``)
===============  ===========================================================

Macros may themselves contain phrases of several tokens; a phrase using them is
expanded into one spaCy pattern per combination.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

TokenSpec = dict[str, Any]
TokenPattern = list[TokenSpec]

#: Words a wildcard (``ANY``) never crosses: negations and clause breaks.
WILDCARD_STOP_WORDS: tuple[str, ...] = (
    "not",
    "n't",
    "nt",
    "no",
    "never",
    "without",
    "but",
    "and",
    "or",
    "although",
    "though",
    "however",
    "except",
    "unless",
    "if",
    "because",
)


class ShorthandError(ValueError):
    """A phrase in a pattern file cannot be compiled."""


def wildcard_spec() -> TokenSpec:
    """Return the spec of ``ANY``: one word, not punctuation, negation or break."""
    return {"IS_PUNCT": False, "LOWER": {"NOT_IN": list(WILDCARD_STOP_WORDS)}}


def word_specs(text: str, macros: Mapping[str, Sequence[str]]) -> list[TokenSpec]:
    """Return the specs of one word position: a word, a choice, a lemma or a regex.

    A choice may mix words and lemmas (``~limp|hobbling``); it then yields one
    spec per attribute. ``$name`` inside a choice inlines a one-word macro.
    """
    if text == "NUM":
        return [{"LIKE_NUM": True}]
    if text == "ANY":
        return [wildcard_spec()]
    if len(text) > 2 and text.startswith("/") and text.endswith("/"):
        return [{"LOWER": {"REGEX": text[1:-1]}}]
    words: list[str] = []
    lemmas: list[str] = []
    choices = [
        word
        for choice in text.split("|")
        for word in (inline_macro_words(choice[1:], macros) if choice.startswith("$") else [choice])
    ]
    for choice in choices:
        if choice.startswith("~") and len(choice) > 1:
            lemmas.append(choice[1:])
        elif choice:
            words.append(choice)
    specs = [choice_spec("LOWER", words), choice_spec("LEMMA", lemmas)]
    found = [spec for spec in specs if spec]
    if not found:
        raise ShorthandError(f"empty token spec {text!r}")
    return found


def choice_spec(attr: str, values: list[str]) -> TokenSpec:
    """Return ``{attr: value}`` for one value, ``{attr: {"IN": values}}`` for many."""
    if not values:
        return {}
    if len(values) == 1:
        return {attr: values[0]}
    return {attr: {"IN": sorted(set(values))}}


def inline_macro_words(name: str, macros: Mapping[str, Sequence[str]]) -> list[str]:
    """Return the words of a macro used inside a choice; it must be one-word only."""
    if name not in macros:
        raise ShorthandError(f"unknown macro ${name}")
    words = [word for phrase in macros[name] for word in phrase.split("|")]
    if any(" " in word or word.startswith(("$", "/")) for word in words):
        raise ShorthandError(f"macro ${name} is not a plain word list")
    return words


def split_optional(spec: str) -> tuple[str, bool]:
    """Split the optional marker off a token spec: ``really?`` -> (really, True)."""
    if len(spec) > 1 and spec.endswith("?"):
        return spec[:-1], True
    return spec, False


def compile_token(spec: str, macros: Mapping[str, Sequence[str]], depth: int) -> list[TokenPattern]:
    """Return the alternative token sequences one token spec stands for."""
    spec, optional = split_optional(spec)
    if spec.startswith("$") and "|" not in spec:
        name = spec[1:]
        if name not in macros:
            raise ShorthandError(f"unknown macro ${name}")
        alternatives = [
            alternative
            for phrase in macros[name]
            for alternative in compile_phrase(phrase, macros, depth + 1)
        ]
        single_words = all(len(alt) == 1 and is_word_choice(alt[0]) for alt in alternatives)
        if single_words and alternatives:
            words = [word for alt in alternatives for word in lower_values(alt[0])]
            merged: TokenSpec = {"LOWER": {"IN": words}}
            if optional:
                merged["OP"] = "?"
            return [[merged]]
        return alternatives + ([[]] if optional else [])
    alternatives = []
    for token in word_specs(spec, macros):
        if optional:
            token["OP"] = "?"
        alternatives.append([token])
    return alternatives


def is_word_choice(token: TokenSpec) -> bool:
    """Tell whether a spec only matches a fixed set of lowercase words."""
    if set(token) != {"LOWER"}:
        return False
    value = token["LOWER"]
    return isinstance(value, str) or set(value) == {"IN"}


def lower_values(token: TokenSpec) -> list[str]:
    """Return the words a ``LOWER`` spec accepts."""
    value = token["LOWER"]
    if isinstance(value, str):
        return [value]
    return list(value["IN"])


def compile_phrase(
    phrase: str, macros: Mapping[str, Sequence[str]], depth: int = 0
) -> list[TokenPattern]:
    """Compile one shorthand phrase into one or more spaCy token patterns.

    >>> compile_phrase("not|n't hot", {})
    [[{'LOWER': {'IN': ['not', "n't"]}}, {'LOWER': 'hot'}]]
    """
    if depth > 5:
        raise ShorthandError(f"macros nest too deeply in {phrase!r}")
    per_token = [compile_token(spec, macros, depth) for spec in phrase.split()]
    patterns = [
        [token for part in combination for token in part]
        for combination in itertools.product(*per_token)
    ]
    if depth == 0 and any(not pattern for pattern in patterns):
        raise ShorthandError(f"phrase {phrase!r} can match nothing")
    return patterns
