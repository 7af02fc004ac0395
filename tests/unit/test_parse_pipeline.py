"""The parser's pipeline and data files: built from data, saved, loaded fast."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
import yaml

from kneecare.language import lexicon
from kneecare.language.pipeline import build_pipeline, load_pipeline, save_pipeline
from kneecare.language.shorthand import ShorthandError, compile_phrase

PACKAGE = Path(lexicon.__file__).parent
NUMERIC_KEYS = {"priority", "value", "recent_surgery_days", "lexicon"}


def non_string_leaves(node: Any, key: str = "") -> list[str]:
    """Return the paths of scalars YAML did not read as text (yes/no -> bool)."""
    if key in NUMERIC_KEYS:
        return []
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in non_string_leaves(v, str(k))]
    if isinstance(node, list):
        return [p for item in node for p in non_string_leaves(item, key)]
    return [] if isinstance(node, str) else [f"{key}: {node!r}"]


@pytest.mark.parametrize("path", sorted(lexicon.PATTERN_DIR.glob("*.yml")), ids=lambda p: p.name)
def test_pattern_files_hold_only_text(path: Path) -> None:
    assert non_string_leaves(yaml.safe_load(path.read_text())) == []


def test_every_sign_has_a_pattern() -> None:
    mentioned = {
        sign
        for rule in lexicon.sign_file()["rules"]
        for _, sign in lexicon.parse_effects(str(rule["effects"] or ""))
    } | {"recent_surgery"}
    assert lexicon.sign_ids() - mentioned == set()


def test_shorthand_expands_choices_lemmas_and_options() -> None:
    assert compile_phrase("~twist really? it|my", {}) == [
        [{"LEMMA": "twist"}, {"LOWER": "really", "OP": "?"}, {"LOWER": {"IN": ["it", "my"]}}]
    ]


def test_shorthand_rejects_unknown_macros() -> None:
    with pytest.raises(ShorthandError):
        compile_phrase("$nonsense swollen", {})


def test_saved_pipeline_loads_and_gives_the_same_spans(tmp_path: Path) -> None:
    built = build_pipeline()
    save_pipeline(built, tmp_path / "model")
    import spacy

    loaded = spacy.load(tmp_path / "model")  # its start-up time is in make bench, not here
    text = "no fever but it's swollen, about 7/10 for 3 weeks"
    built_doc, loaded_doc = built(text), loaded(text)
    expected = [(s.text, s.label_, s.id_) for s in built_doc.spans["signs"]]
    assert expected == [(s.text, s.label_, s.id_) for s in loaded_doc.spans["signs"]]
    assert len(expected) == 4


def test_load_pipeline_is_cached() -> None:
    assert load_pipeline() is load_pipeline()


def test_language_package_never_imports_rasa() -> None:
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text())
        imported = [
            name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for name in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
        ]
        assert not [n for n in imported if n.split(".")[0] in ("rasa", "rasa_sdk")], module
