"""Trains a model for the benchmark, once per set of inputs, and remembers how long it took.

A model is stored in models/bench/<name>/ (Rasa is started only with models
from models/, see runner/rasa_server.py) next to ``stamp.json``, which holds
the hash of every training input and the measured training time. When the
hash still matches, the model and its time are reused. Each training starts
with an empty Rasa cache so that the time is a cold training, not a cache hit.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from runner.services import BIN, ROOT, Ports, default_environment

MODELS = ROOT / "models" / "bench"


@dataclass(frozen=True)
class TrainedModel:
    path: Path
    train_seconds: float | None  # None: trained elsewhere and never timed
    reused: bool


def training_inputs(config: Path) -> list[Path]:
    """The files a model depends on (as the Makefile's TRAINING_INPUTS, plus the config)."""
    files = [config, ROOT / "domain.yml", *sorted((ROOT / "data").rglob("*.yml"))]
    if config == ROOT / "config.yml":  # our pipeline has its own NLU component and patterns
        files += sorted((ROOT / "nlu_components").glob("*.py"))
        files += sorted(p for p in (ROOT / "kneecare" / "language" / "patterns").glob("*"))
        files.append(ROOT / "kneecare" / "language" / "text_classifier.py")
    return files


def inputs_hash(config: Path) -> str:
    digest = hashlib.sha256()
    for path in training_inputs(config):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stamp(name: str) -> dict[str, object]:
    try:
        return json.loads((MODELS / name / "stamp.json").read_text())
    except (OSError, ValueError):
        return {}


def train(name: str, config: Path, log_dir: Path) -> TrainedModel:
    """The model for ``config`` in models/bench/<name>, trained only if its inputs changed."""
    folder = MODELS / name
    model = folder / f"{name}.tar.gz"
    digest = inputs_hash(config)
    previous = stamp(name)
    if model.exists() and previous.get("inputs") == digest:
        return TrainedModel(model, float(str(previous["train_seconds"])), reused=True)
    folder.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    model.unlink(missing_ok=True)
    env = default_environment(Ports(), ROOT / "var" / "tracker.db")
    with tempfile.TemporaryDirectory(prefix="bench-rasa-cache-") as cache, \
            open(log_dir / f"train-{name}.log", "wb") as log:
        env["RASA_CACHE_DIRECTORY"] = cache
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "rasa"), "train", "--config", str(config), "--domain", "domain.yml",
             "--data", "data", "--out", str(folder), "--fixed-model-name", name],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True,
        )
        seconds = time.monotonic() - started
    (folder / "stamp.json").write_text(
        json.dumps({"inputs": digest, "train_seconds": round(seconds, 1)}, indent=2) + "\n"
    )
    return TrainedModel(model, seconds, reused=False)
