"""Build, save and load the rule-based spaCy pipeline of the knee-pain parser.

The pipeline is ``spacy.blank("en")`` (tokenizer with English contraction
rules, so "isnt" reads as "is nt") plus a lookup lemmatizer (tables from
spacy-lookups-data, copied into the saved pipeline) and two ``SpanRuler``s
compiled from ``patterns/``: ``sign_ruler`` (signs, decoys and negation or
uncertainty cues, longest match wins, in ``doc.spans["signs"]``) and
``measure_ruler`` (durations, scores, ages and sides, overlaps kept, in
``doc.spans["measures"]``), and ``context_ruler`` (whose knee, other body
parts, resolved signs, the current flare; overlaps kept, in
``doc.spans["context"]``). The saved copy in ``model/`` is built at set-up
(``python -m kneecare.language.pipeline``) or on first use, and rebuilt when
the pattern files change. Nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from kneecare.language import lexicon

MODEL_DIR = Path(__file__).parent / "model"
SIGN_SPANS = "signs"
MEASURE_SPANS = "measures"
CONTEXT_SPANS = "context"
FINGERPRINT_KEY = "kneecare_patterns"


def build_pipeline() -> Language:
    """Build the pipeline from the pattern files (needs spacy-lookups-data)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    sign_ruler = nlp.add_pipe(
        "span_ruler",
        name="sign_ruler",
        config={
            "spans_key": SIGN_SPANS,
            "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
            "validate": True,
        },
    )
    measure_ruler = nlp.add_pipe(
        "span_ruler",
        name="measure_ruler",
        config={"spans_key": MEASURE_SPANS, "validate": True},
    )
    context_ruler = nlp.add_pipe(
        "span_ruler",
        name="context_ruler",
        config={"spans_key": CONTEXT_SPANS, "validate": True},
    )
    nlp.initialize()
    context_ruler.add_patterns(lexicon.context_ruler_patterns())  # type: ignore[attr-defined]
    sign_ruler.add_patterns(lexicon.sign_ruler_patterns())  # type: ignore[attr-defined]
    measure_ruler.add_patterns(lexicon.measure_ruler_patterns())  # type: ignore[attr-defined]
    nlp.meta[FINGERPRINT_KEY] = lexicon.pattern_fingerprint()
    return nlp


def save_pipeline(nlp: Language, model_dir: Path = MODEL_DIR) -> None:
    """Write the pipeline to ``model_dir``, replacing any older copy."""
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-", dir=model_dir.parent))
    nlp.to_disk(staging)
    shutil.rmtree(model_dir, ignore_errors=True)
    staging.rename(model_dir)


def saved_pipeline_is_current(model_dir: Path = MODEL_DIR) -> bool:
    """Tell whether ``model_dir`` holds a pipeline built from today's patterns."""
    meta_file = model_dir / "meta.json"
    if not meta_file.exists():
        return False
    meta = spacy.util.load_meta(meta_file)
    return bool(meta.get(FINGERPRINT_KEY) == lexicon.pattern_fingerprint())


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Return the pipeline, loading the saved copy or building and saving one."""
    if saved_pipeline_is_current():
        return spacy.load(MODEL_DIR)
    nlp = build_pipeline()
    with contextlib.suppress(OSError):  # a read-only install still works, it rebuilds
        save_pipeline(nlp)
    return nlp


def main() -> None:
    """Rebuild and save the pipeline, then report how long loading it takes."""
    save_pipeline(build_pipeline())
    load_pipeline.cache_clear()
    started = time.perf_counter()
    load_pipeline()
    elapsed = time.perf_counter() - started
    print(f"saved {MODEL_DIR} (loads in {elapsed:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
