"""A linear text classifier for intents and FAQ topics.

Binary word (1-2) and character (2-4, within words) n-grams, scored by a
multinomial logistic regression. On our held-out sentences it is at least as
accurate as Rasa's DIET + ResponseSelector (bench/NOTES.md), yet it classifies
a sentence in well under a millisecond, trains in seconds and loads without
building TensorFlow graphs, which made most of the assistant's start-up time.
Character n-grams keep it robust to the typos real people write ("kneee").

Logistic regression has no notion of "none of the above": a message of words
it has never seen ("flibble the wotsit") still gets a confident label, often
whichever label has the shortest, most varied examples. ``familiarity`` says
how much of a message is made of known words (a typo of a known word counts as
known, a number always does), so the caller can scale its confidence down and
let the fallback ask the person to rephrase.

With ``weighting="tfidf"`` the features are TF-IDF values instead (sublinear
term frequency, each n-gram family scaled to unit length, as scikit-learn's
``TfidfVectorizer`` makes them): the choice for picking the FAQ topic once
the intent is known (bench/NOTES.md).

The model is stored as plain data (JSON vocabularies and a NumPy archive), not
as a pickle, so loading a model file never runs code.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.sparse import hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression

# letters and digits, with an inner apostrophe kept ("don't", "can't")
WORD_PATTERN = r"(?u)[^\W_]+(?:'[^\W_]+)?"
WORD = re.compile(WORD_PATTERN)
# What a number or an address is matters to the intent, not its exact digits
# or letters: "07911 123456" and "39.5" are both just numbers, and the words
# inside "jo.knee@example.com" say nothing about knees.
EMAIL = re.compile(r"\S+@\S+")
DIGIT = re.compile(r"\d")
# words this long may differ from a known word by one letter and still count
TYPO_MIN_LENGTH = 4
Matrix = npt.NDArray[np.float64]
VOCABULARY_FILE = "vocabulary.json"
WEIGHTINGS = frozenset({"binary", "tfidf"})
WEIGHTS_FILE = "weights.npz"


@dataclass(frozen=True)
class ClassifierSettings:
    """How the classifier is trained; defaults chosen in bench/NOTES.md."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 4)
    # inverse regularisation strength; 3-100 gave the same held-out accuracy
    regularisation_c: float = 10.0
    max_iterations: int = 3000
    weighting: str = "binary"  # or "tfidf"

    def __post_init__(self) -> None:
        if self.weighting not in WEIGHTINGS:
            raise ValueError(
                f"weighting must be one of {sorted(WEIGHTINGS)}, not {self.weighting!r}"
            )


def normalise(text: str) -> str:
    """The text as the classifier reads it: lowercase, digits as 0, addresses as "email"."""
    return DIGIT.sub("0", EMAIL.sub(" email ", text.lower()))


def _vectorizer(settings: ClassifierSettings, **options: object) -> CountVectorizer:
    if settings.weighting == "tfidf":
        return TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float64, **options)
    return CountVectorizer(lowercase=True, binary=True, dtype=np.float64, **options)


def _word_vectorizer(
    settings: ClassifierSettings, vocabulary: dict[str, int] | None = None
) -> CountVectorizer:
    return _vectorizer(settings, token_pattern=WORD_PATTERN, ngram_range=settings.word_ngrams,
                       vocabulary=vocabulary)


def _char_vectorizer(
    settings: ClassifierSettings, vocabulary: dict[str, int] | None = None
) -> CountVectorizer:
    return _vectorizer(settings, analyzer="char_wb", ngram_range=settings.char_ngrams,
                       vocabulary=vocabulary)


class TextClassifier:
    """Ranks labels for a text; trained with :meth:`fit`, stored with :meth:`save`."""

    def __init__(
        self,
        settings: ClassifierSettings,
        word_vocabulary: dict[str, int],
        char_vocabulary: dict[str, int],
        labels: Sequence[str],
        weights: Matrix,
        bias: Matrix,
        idf: tuple[Matrix, Matrix] | None = None,
    ) -> None:
        if weights.shape != (len(labels), len(word_vocabulary) + len(char_vocabulary)):
            raise ValueError("the weights do not match the vocabularies and labels")
        if (idf is not None) != (settings.weighting == "tfidf") or idf is not None and (
            idf[0].shape != (len(word_vocabulary),) or idf[1].shape != (len(char_vocabulary),)
        ):
            raise ValueError("TF-IDF weighting needs one idf value per n-gram, binary none")
        self._idf = idf
        self.settings = settings
        self.labels = tuple(labels)
        self._words = _word_vectorizer(settings, word_vocabulary)
        self._chars = _char_vectorizer(settings, char_vocabulary)
        # one row of weights per feature, so that a text's scores are a sum of rows
        self._weights_t = np.ascontiguousarray(weights.T)
        self._bias = bias
        self._known_words = frozenset(w for w in word_vocabulary if " " not in w)
        self._known_deletions = frozenset(
            d for w in self._known_words if len(w) >= TYPO_MIN_LENGTH for d in _deletions(w)
        )

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: Sequence[str],
        settings: ClassifierSettings = ClassifierSettings(),
    ) -> TextClassifier:
        if len(texts) != len(labels) or not texts:
            raise ValueError("need the same, non-zero number of texts and labels")
        if len(set(labels)) < 2:
            raise ValueError("need at least two different labels to classify")
        words, chars = _word_vectorizer(settings), _char_vectorizer(settings)
        normalised = [normalise(text) for text in texts]
        features = hstack(
            [words.fit_transform(normalised), chars.fit_transform(normalised)]
        ).tocsr()
        model = LogisticRegression(C=settings.regularisation_c, max_iter=settings.max_iterations)
        model.fit(features, list(labels))
        idf = (words.idf_, chars.idf_) if settings.weighting == "tfidf" else None
        weights, bias = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # one row, for the second label: a softmax over [0, score]
            weights = np.vstack([np.zeros_like(weights), weights])
            bias = np.concatenate([np.zeros_like(bias), bias])
        return cls(
            settings, words.vocabulary_, chars.vocabulary_,
            [str(label) for label in model.classes_], weights, bias, idf,
        )

    def _grams(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return _grams(text, self.settings.word_ngrams, self.settings.char_ngrams)

    def _feature_indices(self, text: str) -> list[int]:
        """The columns of the text's features (all binary), as the vectorizers would set them."""
        word_grams, char_grams = self._grams(text)
        words = self._words.vocabulary
        chars = self._chars.vocabulary
        found = {words[gram] for gram in word_grams if gram in words}
        found.update(len(words) + chars[gram] for gram in char_grams if gram in chars)
        return sorted(found)

    def _tfidf_scores(self, text: str) -> Matrix:
        """The text's scores from TF-IDF values made as the fitted vectorizers make them."""
        assert self._idf is not None
        scores = np.zeros(len(self.labels))
        offset = 0
        for vocabulary, grams, idf in zip(
            (self._words.vocabulary, self._chars.vocabulary), self._grams(text), self._idf,
            strict=True,
        ):
            counts = Counter(vocabulary[gram] for gram in grams if gram in vocabulary)
            if counts:
                columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
                frequency = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                values = (1.0 + np.log(frequency)) * idf[columns]
                scores += (values / np.linalg.norm(values)) @ self._weights_t[columns + offset]
            offset += len(vocabulary)
        return scores

    def probabilities(self, texts: Sequence[str]) -> Matrix:
        """One row per text: the probability of each label, in ``self.labels`` order.

        With binary features a text's scores are the bias plus the sum of its
        features' weight rows; summing them directly skips building a sparse
        matrix, most of the cost for one short message.
        """
        if self._idf is not None:
            rows = [self._tfidf_scores(text) for text in texts]
        else:
            rows = [self._weights_t[self._feature_indices(text)].sum(axis=0) for text in texts]
        scores = np.array(rows).reshape(len(texts), len(self.labels)) + self._bias
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        probabilities: Matrix = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def rank(self, text: str) -> list[tuple[str, float]]:
        """Every label with its probability, most likely first."""
        row = self.probabilities([text])[0]
        order = np.argsort(-row, kind="stable")
        return [(self.labels[i], float(row[i])) for i in order]

    def familiarity(self, text: str) -> float:
        """The share of the text's words that are known (0 for no words at all).

        A word is known when it was in the training data, is a number, or is
        one letter away from a known word (a typo: "kneee", "walkin", "wen").
        """
        words = WORD.findall(normalise(text))
        if not words:
            return 0.0
        return sum(self._is_known(word) for word in words) / len(words)

    def _is_known(self, word: str) -> bool:
        if word in self._known_words or any(ch.isdigit() for ch in word):
            return True
        if len(word) + 1 >= TYPO_MIN_LENGTH and word in self._known_deletions:
            return True  # a letter missing ("wen" for "when")
        return len(word) >= TYPO_MIN_LENGTH and any(  # a letter added, or one letter wrong
            d in self._known_words or d in self._known_deletions for d in _deletions(word)
        )

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        vocabulary = {
            "settings": {
                "word_ngrams": list(self.settings.word_ngrams),
                "char_ngrams": list(self.settings.char_ngrams),
                "regularisation_c": self.settings.regularisation_c,
                "max_iterations": self.settings.max_iterations,
                "weighting": self.settings.weighting,
            },
            "labels": list(self.labels),
            "words": {k: int(v) for k, v in self._words.vocabulary.items()},
            "chars": {k: int(v) for k, v in self._chars.vocabulary.items()},
        }
        (directory / VOCABULARY_FILE).write_text(
            json.dumps(vocabulary, ensure_ascii=False), encoding="utf-8"
        )
        idf = {} if self._idf is None else {"word_idf": self._idf[0], "char_idf": self._idf[1]}
        np.savez(directory / WEIGHTS_FILE, weights=self._weights_t.T, bias=self._bias, **idf)

    @classmethod
    def load(cls, directory: Path) -> TextClassifier:
        vocabulary = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        stored = vocabulary["settings"]
        settings = ClassifierSettings(
            word_ngrams=tuple(stored["word_ngrams"]),
            char_ngrams=tuple(stored["char_ngrams"]),
            regularisation_c=float(stored["regularisation_c"]),
            max_iterations=int(stored["max_iterations"]),
            weighting=str(stored.get("weighting", "binary")),  # models stored before it: binary
        )
        with np.load(directory / WEIGHTS_FILE, allow_pickle=False) as arrays:
            weights, bias = arrays["weights"], arrays["bias"]
            idf = (arrays["word_idf"], arrays["char_idf"]) if "word_idf" in arrays else None
        return cls(
            settings, vocabulary["words"], vocabulary["chars"], vocabulary["labels"], weights, bias,
            idf,
        )


@functools.lru_cache(maxsize=4)
def _analysers(
    word_ngrams: tuple[int, int], char_ngrams: tuple[int, int]
) -> tuple[Callable[[str], list[str]], Callable[[str], list[str]]]:
    """Built once: sklearn's transform() rebuilds them (and recompiles its regex) per call."""
    settings = ClassifierSettings(word_ngrams=word_ngrams, char_ngrams=char_ngrams)
    return (_word_vectorizer(settings).build_analyzer(),
            _char_vectorizer(settings).build_analyzer())


@functools.lru_cache(maxsize=8)
def _grams(
    text: str, word_ngrams: tuple[int, int], char_ngrams: tuple[int, int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text's word and character n-grams, kept for the next model that reads the same text."""
    normalised = normalise(text)
    words, chars = _analysers(word_ngrams, char_ngrams)
    return tuple(words(normalised)), tuple(chars(normalised))


def _deletions(word: str) -> set[str]:
    """The word with one letter left out, at every position."""
    return {word[:i] + word[i + 1:] for i in range(len(word))}
