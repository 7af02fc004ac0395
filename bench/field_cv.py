"""Field dev figures with their spread: repeated K-fold over the dev split, by source page.

The model never trains on the field set, so each fold is a held-apart share of
the dev messages (every message of one source page in the same fold), scored
by ``bench.field.score``. Repeating the split with new seeds gives each figure
as mean ± standard deviation across folds: the spread a change must beat to be
adopted (issue 14). With ``--compare OTHER_MODEL`` both models are scored on
the same folds and the per-fold differences are printed too (mean ± spread).

Only the ``dev`` split is read: the ``test`` split is scored once, by
``make bench``, for the final figures.

``python -m bench.field_cv [--model PATH] [--compare PATH] [--folds 5]
[--repeats 4] [--seed 0] [--failures]``
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rasa.utils.log_utils import configure_structlog

from bench.field import ROOT, FieldScore, load_messages, model_parser, score

SPLIT = "dev"
Parse = Callable[[str], dict[str, Any]]


def source_folds(messages: Sequence[Any], folds: int, seed: int) -> list[list[Any]]:
    """``messages`` dealt into ``folds`` groups, each source page whole, shuffled by ``seed``."""
    pages = sorted({m.source for m in messages})
    random.Random(seed).shuffle(pages)
    fold_of = {page: index % folds for index, page in enumerate(pages)}
    dealt: list[list[Any]] = [[] for _ in range(folds)]
    for message in messages:
        dealt[fold_of[message.source]].append(message)
    return dealt


def cached(parse_message: Parse) -> Parse:
    """Each text parsed once, however many folds it is scored in."""
    seen: dict[str, dict[str, Any]] = {}

    def parse_once(text: str) -> dict[str, Any]:
        if text not in seen:
            seen[text] = parse_message(text)
        return seen[text]

    return parse_once


def fold_scores(messages: Sequence[Any], parse_message: Parse, folds: int, repeats: int,
                seed: int) -> list[FieldScore]:
    return [
        score(fold, parse_message)
        for repeat in range(repeats)
        for fold in source_folds(messages, folds, seed + repeat)
        if fold
    ]


def figure_values(scores: Sequence[FieldScore]) -> dict[str, list[float]]:
    """Each figure's value per fold (folds where it does not apply left out)."""
    values: dict[str, list[float]] = {}
    for fold in scores:
        for name, value in fold.as_rows():
            if value is not None:
                values.setdefault(name, []).append(float(value))
    return values


def _mean_spread(values: Sequence[float]) -> tuple[float, float]:
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def _shown(name: str, value: float) -> str:
    return f"{value:6.2f}" if "without a red flag" in name else f"{value:6.1%}"


def print_figures(title: str, scores: Sequence[FieldScore]) -> None:
    print(title)
    for name, values in figure_values(scores).items():
        mean, spread = _mean_spread(values)
        print(f"  {name:42} {_shown(name, mean)} ± {_shown(name, spread).strip()}")


def print_differences(ours: Sequence[FieldScore], other: Sequence[FieldScore]) -> None:
    """Per-fold differences (model minus compared model), fold by fold on the same folds."""
    print("difference per fold (model - compared), mean ± spread")
    mine, theirs = figure_values(ours), figure_values(other)
    for name, values in mine.items():
        paired = [a - b for a, b in zip(values, theirs.get(name, []), strict=False)]
        if paired:
            mean, spread = _mean_spread(paired)
            print(f"  {name:42} {_shown(name, mean)} ± {_shown(name, spread).strip()}")


def print_failures(messages: Sequence[Any], parse_message: Parse) -> None:
    """Each dev message whose first reading is wrong, with what it got."""
    for message in messages:
        single = score([message], parse_message)
        wrong = [name for name, value in single.as_rows()
                 if value is not None and name != "field asks 'Did you mean'"
                 and (value == 0.0 if isinstance(value, float) else value > 0)]
        if wrong:
            parsed = parse_message(message.text)
            intent = (parsed.get("intent") or {}).get("name")
            topic = (parsed.get("intent") or {}).get("full_retrieval_intent_name")
            print(f"{message.id} [{message.label}/{message.form}] -> {intent} {topic or ''}"
                  f" ({'; '.join(wrong)})\n    {message.text[:300]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "knee-assistant.tar.gz")
    parser.add_argument("--compare", type=Path, help="a second model scored on the same folds")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--failures", action="store_true",
                        help="also list the dev messages the model gets wrong")
    args = parser.parse_args()
    if args.folds < 2 or args.repeats < 1:
        parser.error("--folds must be at least 2 and --repeats at least 1")
    for path in filter(None, (args.model, args.compare)):
        if not path.is_file():
            parser.error(f"no model at {path}; train one with `make train`")
    configure_structlog(logging.WARNING)  # no debug line per parsed message
    messages = load_messages(SPLIT)
    ours = cached(model_parser(args.model))
    mine = fold_scores(messages, ours, args.folds, args.repeats, args.seed)
    print_figures(f"field {SPLIT}: {len(messages)} messages, {args.folds} folds x "
                  f"{args.repeats} repeats, model {args.model}", mine)
    if args.compare:
        theirs = fold_scores(messages, cached(model_parser(args.compare)), args.folds,
                             args.repeats, args.seed)
        print_figures(f"compared model {args.compare}", theirs)
        print_differences(mine, theirs)
    if args.failures:
        print_failures(messages, ours)


if __name__ == "__main__":
    main()
