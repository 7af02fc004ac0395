"""``python -m bench``: measure our assistant and the stock-config baseline in one run.

Phases, one progress line each: train (or reuse) the models, then for each
system in turn start it (timing start to ready), score held-out NLU and the
unseen triage cases, time one conversation at a time, run the load levels,
stop it. The two systems never run at the same time. ``--smoke`` is the small
version that ``make test`` runs (tests/bench).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from bench import field, quality
from bench.load import LoadResult, run_load
from bench.people import PeopleSettings, capacity
from bench.report import SystemResult, write
from bench.servers import high_water_mark_kib, running
from bench.training import inputs_hash, stamp, train
from runner.services import ROOT, Ports, latest_model

RESULTS = ROOT / "bench" / "results"
OUR_CONFIG = ROOT / "config.yml"
BASELINE_CONFIG = ROOT / "bench" / "baseline_config.yml"
PORTS = {"ours": Ports(rasa=5305, actions=5355), "baseline": Ports(rasa=5405, actions=5455)}
# the smoke run (make test) keeps clear of a full run in another terminal
SMOKE_PORTS = {"ours": Ports(rasa=5315, actions=5365), "baseline": Ports(rasa=5415, actions=5465)}
# Server settings for our assistant; each is explained, with its measured effect,
# in bench/NOTES.md. The baseline runs with Rasa's defaults.
OUR_SERVER_ENV: dict[str, str] = {}
# the smoke run's people: short think times, two small levels
SMOKE_PEOPLE = PeopleSettings(think=(0.2, 0.6), window=3.0, start=2, limit=4, refine=0)


class Progress:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", flush=True)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true",
                        help="tiny load (1 and 5 concurrent), eval subsets, baseline skipped")
    parser.add_argument("--systems", help="comma-separated: ours,baseline")
    parser.add_argument("--out", type=Path, help="where the report goes")
    parser.add_argument("--duration", type=float, help="seconds per load level")
    parser.add_argument("--levels", help="concurrency levels, e.g. 1,10,50")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="extra environment for our Rasa server (experiments)")
    parser.add_argument("--endpoints", type=Path, help="endpoints file for our server")
    parser.add_argument("--load-only", action="store_true",
                        help="skip the NLU and triage scores (server-setting experiments)")
    parser.add_argument("--no-people", dest="people", action="store_false",
                        help="skip the capacity-in-people search (bench/people.py)")
    args = parser.parse_args()
    args.systems = (args.systems or ("ours" if args.smoke else "ours,baseline")).split(",")
    args.out = args.out or (RESULTS / "smoke" if args.smoke else RESULTS)
    args.duration = args.duration or (3.0 if args.smoke else 20.0)
    args.levels = [int(x) for x in (args.levels or ("1,5" if args.smoke else "1,10,50")).split(",")]
    return args


def model_for(name: str, smoke: bool, progress: Progress,
              log_dir: Path) -> tuple[Path, float | None]:
    """The model to serve and its (cold) training time, training only what is missing."""
    if name == "ours":
        # served from models/ (make train); timed once per set of inputs in models/bench/ours
        record = stamp("ours")
        if record.get("inputs") == inputs_hash(OUR_CONFIG):
            return latest_model(), float(str(record["train_seconds"]))
        if smoke:
            return latest_model(), None
        progress("ours: timing a cold training of config.yml (once per data/config change)")
        return latest_model(), train("ours", OUR_CONFIG, log_dir).train_seconds
    trained = train("baseline", BASELINE_CONFIG, log_dir)
    return trained.path, trained.train_seconds


def measure(name: str, model: Path, args: argparse.Namespace, progress: Progress,
            result: SystemResult) -> None:
    workdir = args.out / "work" / name
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    extra_env = dict(OUR_SERVER_ENV) if name == "ours" else {}
    if name == "ours":
        extra_env.update(kv.split("=", 1) for kv in args.env)
    result.settings = extra_env
    endpoints = args.endpoints if name == "ours" else None
    progress(f"{name}: starting action server and Rasa server ({model.name})")
    ports = (SMOKE_PORTS if args.smoke else PORTS)[name]
    with running(name, model, ports, workdir, extra_env, endpoints) as system:
        result.ready_seconds = system.ready_seconds
        progress(f"{name}: ready in {system.ready_seconds:.1f} s")

        if not args.load_only:
            score_quality(name, system.base_url, system.api_token, args, progress, result)

        one = asyncio.run(run_load(system.base_url, 1, f"{name}-latency",
                                   conversations_each=4 if args.smoke else 16))
        result.latency = summary(one)
        progress(f"{name}: one conversation: p50 {one.p(0.5) * 1000:.0f} ms, p95"
                 f" {one.p(0.95) * 1000:.0f} ms, p99 {one.p(0.99) * 1000:.0f} ms"
                 f" ({one.messages} messages, {one.error_count} errors)")

        for concurrency in args.levels:
            level = asyncio.run(run_load(system.base_url, concurrency, name,
                                         duration=args.duration))
            result.load.append(summary(level))
            progress(f"{name}: {concurrency:>2} concurrent: {level.throughput:.1f} msg/s, p99"
                     f" {level.p(0.99) * 1000:.0f} ms, {level.error_count} errors"
                     f" {dict(level.errors) or ''}")
        if args.people:
            progress(f"{name}: capacity in people (think time 3-15 s, p99 under 1 s)")
            settings = SMOKE_PEOPLE if args.smoke else PeopleSettings()
            best, tried = capacity(system.base_url, settings, progress)
            result.people = {"capacity": best, "levels": [asdict(level) for level in tried],
                             "settings": asdict(settings)}
            progress(f"{name}: capacity {best} people")
        system.assistant.check_alive()
        peak_tree = system.sampler.stop()
        result.peak_rss_mb = max(peak_tree, high_water_mark_kib(system.rasa_pid)) / 1024
    progress(f"{name}: stopped; peak memory {result.peak_rss_mb:.0f} MB")


def score_quality(name: str, base_url: str, token: str | None, args: argparse.Namespace,
                  progress: Progress, result: SystemResult) -> None:
    nlu = quality.score_nlu(base_url, token, step=5 if args.smoke else 1)
    result.nlu = asdict(nlu)
    progress(f"{name}: NLU intent {nlu.intent_accuracy:.1%}, FAQ selection"
             f" {nlu.faq_accuracy:.1%} ({nlu.sentences} sentences)")
    triage = quality.score_triage(base_url, token, step=8 if args.smoke else 1)
    result.triage = asdict(triage)
    progress(f"{name}: triage exact {triage.exact_accuracy:.1%}, emergency recall"
             f" {triage.emergency_recall:.1%} ({triage.cases} cases,"
             f" {triage.unfinished} without an outcome)")


def score_field(name: str, model: Path, args: argparse.Namespace, progress: Progress,
                result: SystemResult) -> None:
    """The field set's test split (issue 14), in-process, full runs only."""
    if args.smoke or args.load_only:
        return
    if not field.available():
        progress(f"{name}: field set skipped: tests/field/load.py is not in this checkout")
        return
    scored = field.score_model(model, "test")
    result.field_set = asdict(scored)
    progress(f"{name}: field test split, {scored.messages} messages: "
             + ", ".join(f"{label} {value}" for label, value in scored.as_rows()))


def summary(level: LoadResult) -> dict[str, float | int | dict[str, int]]:
    return {"concurrency": level.concurrency, "messages": level.messages,
            "conversations": level.conversations, "seconds": round(level.elapsed, 2),
            "throughput": level.throughput, "p50": level.p(0.5), "p95": level.p(0.95),
            "p99": level.p(0.99), "errors": level.error_count, "error_kinds": dict(level.errors)}


def main() -> None:
    args = arguments()
    progress = Progress()
    load_before = os.getloadavg()[0]
    log_dir = args.out / "logs"
    progress(f"bench {'smoke ' if args.smoke else ''}run: {', '.join(args.systems)};"
             f" load {args.levels} for {args.duration:.0f} s each")
    models = {}
    for name in args.systems:
        progress(f"{name}: model (trained only if data, domain or config changed)")
        models[name] = model_for(name, args.smoke, progress, log_dir)
        seconds = models[name][1]
        progress(f"{name}: model {models[name][0].relative_to(ROOT)}, training time "
                 + (f"{seconds:.0f} s" if seconds is not None else "not measured"))
    results = []
    for name in args.systems:
        result = SystemResult(name, str(models[name][0].relative_to(ROOT)),
                              train_seconds=models[name][1])
        measure(name, models[name][0], args, progress, result)
        score_field(name, models[name][0], args, progress, result)
        results.append(result)
    header = [
        f"# Benchmark{' (smoke)' if args.smoke else ''}:"
        f" {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()},"
        f" Python {platform.python_version()}. Load levels {args.levels}, {args.duration:.0f} s"
        " each, every simulated person with its own sender id, realistic multi-turn"
        " conversations (bench/conversations.py). Ratio = ours / baseline.",
        f"Run took {time.monotonic() - progress.started:.0f} s. Load average (1 min) at start"
        f" {load_before:.2f}, at end {os.getloadavg()[0]:.2f}: other work on the machine"
        " (tests, builds) skews the numbers.",
    ]
    text = write(results, args.out, header)
    print()
    print(text)
    progress(f"wrote {args.out / 'report.md'}, report.json, latency_throughput.png")


if __name__ == "__main__":
    main()
