"""The linear text classifier: what it learns, how it ranks, and its stored form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.sparse import hstack

from kneecare.language.text_classifier import ClassifierSettings, TextClassifier, normalise

TRAINING = [
    ("hello there", "greet"), ("hi", "greet"), ("good morning", "greet"), ("hey", "greet"),
    ("bye", "goodbye"), ("see you later", "goodbye"), ("goodbye for now", "goodbye"),
    ("cheerio", "goodbye"),
    ("which shoes are best for sore knees", "faq/footwear"),
    ("do trainers help my knee", "faq/footwear"),
    ("what footwear should i wear for walking", "faq/footwear"),
    ("are insoles worth it", "faq/footwear"),
    ("how far can i walk with knee pain", "faq/walking_distance"),
    ("how many steps a day is ok", "faq/walking_distance"),
    ("is a long walk bad for my knee", "faq/walking_distance"),
    ("how much walking is too much", "faq/walking_distance"),
]


@pytest.fixture(scope="module")
def classifier() -> TextClassifier:
    texts, labels = zip(*TRAINING, strict=True)
    return TextClassifier.fit(list(texts), list(labels))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", "greet"),
        ("bye bye", "goodbye"),
        ("what shoes should i buy", "faq/footwear"),
        ("how far should i walk", "faq/walking_distance"),
        ("which shoess are best", "faq/footwear"),  # a typo: character n-grams still match
        ("HOW FAR CAN I WALK", "faq/walking_distance"),  # case does not matter
    ],
)
def test_ranks_the_expected_label_first(
    classifier: TextClassifier, text: str, expected: str
) -> None:
    assert classifier.rank(text)[0][0] == expected


@pytest.mark.parametrize("text", ["hello", "", "zzzz qqqq", "what shoes should i buy"])
def test_ranking_is_a_probability_distribution_over_every_label(
    classifier: TextClassifier, text: str
) -> None:
    ranking = classifier.rank(text)
    assert sorted(label for label, _ in ranking) == sorted(set(label for _, label in TRAINING))
    probabilities = [p for _, p in ranking]
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probabilities)


def test_unknown_words_give_an_uncertain_ranking(classifier: TextClassifier) -> None:
    assert classifier.rank("zzzz qqqq")[0][1] < classifier.rank("what shoes should i buy")[0][1]


@pytest.mark.parametrize(
    ("text", "familiarity"),
    [
        ("hello there", 1.0),
        ("which shoes", 1.0),
        ("whch shoes", 1.0),  # a letter missing
        ("whicch shoes", 1.0),  # a letter added
        ("whick shoes", 1.0),  # a letter wrong
        ("how far 5000 steps", 1.0),  # numbers are always known
        ("flibble wotsit", 0.0),
        ("hello flibble", 0.5),
        ("qwe", 0.0),  # too short to be read as a typo
        ("", 0.0),
        ("?!", 0.0),
    ],
)
def test_familiarity_is_the_share_of_known_words(
    classifier: TextClassifier, text: str, familiarity: float
) -> None:
    assert classifier.familiarity(text) == pytest.approx(familiarity)


def test_saved_model_ranks_exactly_as_before(classifier: TextClassifier, tmp_path: Path) -> None:
    classifier.save(tmp_path / "model")
    loaded = TextClassifier.load(tmp_path / "model")
    texts = ["hello", "which trainers", "how far is too far", "something else entirely"]
    assert loaded.labels == classifier.labels
    assert loaded.settings == classifier.settings
    assert [loaded.familiarity(t) for t in texts] == [classifier.familiarity(t) for t in texts]
    np.testing.assert_allclose(loaded.probabilities(texts), classifier.probabilities(texts))


def test_stored_form_is_plain_data_not_a_pickle(classifier: TextClassifier, tmp_path: Path) -> None:
    classifier.save(tmp_path)
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as arrays:  # would raise on objects
        assert arrays["weights"].dtype == np.float64


def test_settings_change_the_features(tmp_path: Path) -> None:
    texts, labels = zip(*TRAINING, strict=True)
    bigrams_only = ClassifierSettings(char_ngrams=(2, 2))
    words_only = TextClassifier.fit(list(texts), list(labels), bigrams_only)
    default = TextClassifier.fit(list(texts), list(labels))
    assert words_only._weights_t.shape[0] < default._weights_t.shape[0]


@pytest.mark.parametrize(
    ("texts", "labels", "message"),
    [
        ([], [], "non-zero"),
        (["a", "b"], ["x"], "same"),
        (["a", "b"], ["x", "x"], "two different labels"),
    ],
)
def test_refuses_unusable_training_data(texts: list[str], labels: list[str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        TextClassifier.fit(texts, labels)


def test_refuses_weights_that_do_not_fit_the_vocabulary(classifier: TextClassifier) -> None:
    with pytest.raises(ValueError, match="do not match"):
        TextClassifier(
            ClassifierSettings(), {"a": 0}, {}, ["x", "y"], np.zeros((2, 5)), np.zeros(2)
        )


def test_direct_scoring_equals_the_sparse_matrix_product(classifier: TextClassifier) -> None:
    texts = ["hello", "which shoess are best", "HOW FAR 5000 steps", "", "zzzz", "bye bye bye"]
    normalised = [normalise(text) for text in texts]
    features = hstack(
        [classifier._words.transform(normalised), classifier._chars.transform(normalised)]
    ).tocsr()
    scores = features @ classifier._weights_t + classifier._bias
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    expected = exp / exp.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(classifier.probabilities(texts), expected, rtol=1e-12, atol=1e-12)


@pytest.fixture(scope="module")
def tfidf_classifier() -> TextClassifier:
    texts, labels = zip(*TRAINING, strict=True)
    return TextClassifier.fit(list(texts), list(labels), ClassifierSettings(weighting="tfidf"))


TFIDF_PROBES = ["hello", "which shoess are best", "HOW FAR 5000 steps", "", "zzzz",
                "bye bye bye", "walk walk walk far", "shoes for knees and walking"]


def _scikit_learn_probabilities(
    pairs: list[tuple[str, str]], words: Any, chars: Any
) -> tuple[tuple[str, ...], np.ndarray]:
    """Labels and probabilities of TFIDF_PROBES from scikit-learn's own vectorizers and model."""
    from sklearn.linear_model import LogisticRegression

    texts, labels = zip(*pairs, strict=True)
    normalised = [normalise(text) for text in texts]
    model = LogisticRegression(C=10.0, max_iter=3000).fit(
        hstack([words.fit_transform(normalised), chars.fit_transform(normalised)]).tocsr(),
        list(labels),
    )
    probes = [normalise(text) for text in TFIDF_PROBES]
    expected = model.predict_proba(
        hstack([words.transform(probes), chars.transform(probes)]).tocsr()
    )
    return tuple(model.classes_), expected


def test_tfidf_scoring_equals_scikit_learns_tfidf_and_logistic_regression() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from kneecare.language.text_classifier import WORD_PATTERN

    texts, labels = zip(*TRAINING, strict=True)
    ours = TextClassifier.fit(list(texts), list(labels), ClassifierSettings(weighting="tfidf"))
    classes, expected = _scikit_learn_probabilities(
        TRAINING,
        TfidfVectorizer(sublinear_tf=True, token_pattern=WORD_PATTERN, ngram_range=(1, 2)),
        TfidfVectorizer(sublinear_tf=True, analyzer="char_wb", ngram_range=(2, 4)),
    )
    assert ours.labels == classes
    np.testing.assert_allclose(ours.probabilities(TFIDF_PROBES), expected, rtol=1e-9, atol=1e-12)


def test_tfidf_differs_from_binary_where_words_repeat(
    classifier: TextClassifier, tfidf_classifier: TextClassifier
) -> None:
    assert not np.allclose(classifier.probabilities(["walk walk walk far"]),
                           tfidf_classifier.probabilities(["walk walk walk far"]))


def test_tfidf_model_is_stored_and_loaded_as_plain_data(
    tfidf_classifier: TextClassifier, tmp_path: Path
) -> None:
    tfidf_classifier.save(tmp_path)
    loaded = TextClassifier.load(tmp_path)
    assert loaded.settings.weighting == "tfidf"
    np.testing.assert_allclose(loaded.probabilities(TFIDF_PROBES),
                               tfidf_classifier.probabilities(TFIDF_PROBES))
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as arrays:
        assert arrays["word_idf"].dtype == np.float64


def test_a_model_stored_before_weightings_existed_loads_as_binary(
    classifier: TextClassifier, tmp_path: Path
) -> None:
    import json

    classifier.save(tmp_path)
    stored = json.loads((tmp_path / "vocabulary.json").read_text())
    del stored["settings"]["weighting"]
    (tmp_path / "vocabulary.json").write_text(json.dumps(stored))
    loaded = TextClassifier.load(tmp_path)
    assert loaded.settings.weighting == "binary"
    np.testing.assert_allclose(loaded.probabilities(TFIDF_PROBES),
                               classifier.probabilities(TFIDF_PROBES))


def test_refuses_an_unknown_weighting_and_idf_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="weighting must be one of"):
        ClassifierSettings(weighting="bm25")
    with pytest.raises(ValueError, match="idf"):
        TextClassifier(ClassifierSettings(weighting="tfidf"), {"a": 0}, {}, ["x", "y"],
                       np.zeros((2, 1)), np.zeros(2))


@pytest.mark.parametrize("weighting", ["binary", "tfidf"])
def test_two_labels_get_scikit_learns_probabilities(weighting: str) -> None:
    from kneecare.language.text_classifier import _char_vectorizer, _word_vectorizer

    pairs = [(text, label) for text, label in TRAINING if label.startswith("faq/")]
    texts, labels = zip(*pairs, strict=True)
    settings = ClassifierSettings(weighting=weighting)
    ours = TextClassifier.fit(list(texts), list(labels), settings)
    _, expected = _scikit_learn_probabilities(
        pairs, _word_vectorizer(settings), _char_vectorizer(settings)
    )
    np.testing.assert_allclose(ours.probabilities(TFIDF_PROBES), expected, rtol=1e-9, atol=1e-12)
