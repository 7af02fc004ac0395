"""Turns the measurements of both systems into a Markdown table, JSON and a plot.

Each row gives our value, the baseline's and the ratio ours / baseline, with
the direction that is better, so a reader sees at once where we stand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SystemResult:
    """Everything measured for one system; None: not measured in this run."""

    name: str
    model: str
    settings: dict[str, str] = field(default_factory=dict)
    train_seconds: float | None = None
    ready_seconds: float | None = None
    peak_rss_mb: float | None = None
    nlu: dict[str, Any] | None = None
    triage: dict[str, Any] | None = None
    field_set: dict[str, Any] | None = None  # bench/field.py on the field set's test split
    latency: dict[str, Any] | None = None  # one conversation at a time
    load: list[dict[str, Any]] = field(default_factory=list)  # one entry per concurrency
    # capacity in people (bench/people.py): {"capacity": N, "levels": [...], "settings": {...}}
    people: dict[str, Any] | None = None


@dataclass(frozen=True)
class Row:
    label: str
    unit: str
    better: str  # "higher" | "lower" | ""
    values: tuple[float | None, ...]


def rows(systems: list[SystemResult]) -> list[Row]:
    def each(getter: Any) -> tuple[float | None, ...]:
        values = []
        for system in systems:
            try:
                values.append(getter(system))
            except (TypeError, KeyError, IndexError):
                values.append(None)
        return tuple(values)

    table = [
        Row("NLU intent accuracy (held-out)", "%", "higher",
            each(lambda s: 100 * s.nlu["intent_accuracy"])),
        Row("FAQ response selection accuracy (held-out)", "%", "higher",
            each(lambda s: 100 * s.nlu["faq_accuracy"])),
        Row("NLU parse p50 (/model/parse, no dialogue)", "ms", "lower",
            each(lambda s: 1000 * s.nlu["parse_p50"])),
        Row("Triage exact-level accuracy (unseen cases)", "%", "higher",
            each(lambda s: 100 * s.triage["exact_accuracy"])),
        Row("Emergency recall (unseen cases)", "%", "higher",
            each(lambda s: 100 * s.triage["emergency_recall"])),
        Row("Field FAQ topic, question-phrased (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["faq_question_accuracy"])),
        Row("Field FAQ topic, all FAQ messages (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["faq_accuracy"])),
        Row("Field clinic questions (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["clinic_accuracy"])),
        Row("Field out of scope, other body parts included (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["out_of_scope_accuracy"])),
        Row("Field report vs question routing (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["routing_accuracy"])),
        Row("Field urgent outcomes with no red flag (test split)", "count", "lower",
            each(lambda s: s.field_set["urgent_without_red_flag"])),
        Row("Field emergency seen in the first message (test split)", "%", "higher",
            each(lambda s: 100 * s.field_set["emergency_first_message"])),
        Row("Field 'Did you mean' rate (test split)", "%", "lower",
            each(lambda s: 100 * s.field_set["clarification_rate"])),
        Row("Latency p50, one conversation", "ms", "lower",
            each(lambda s: 1000 * s.latency["p50"])),
        Row("Latency p95, one conversation", "ms", "lower",
            each(lambda s: 1000 * s.latency["p95"])),
        Row("Latency p99, one conversation", "ms", "lower",
            each(lambda s: 1000 * s.latency["p99"])),
    ]
    levels = sorted({level["concurrency"] for s in systems for level in s.load})
    for concurrency in levels:
        def level_of(s: SystemResult, c: int = concurrency) -> dict[str, Any]:
            return next(level for level in s.load if level["concurrency"] == c)
        table += [
            Row(f"Throughput at {concurrency} concurrent", "msg/s", "higher",
                each(lambda s, f=level_of: f(s)["throughput"])),
            Row(f"Latency p99 at {concurrency} concurrent", "ms", "lower",
                each(lambda s, f=level_of: 1000 * f(s)["p99"])),
            Row(f"Errors at {concurrency} concurrent", "count", "lower",
                each(lambda s, f=level_of: f(s)["errors"])),
        ]
    table += [
        Row("Capacity: people chatting at once (think 3-15 s, p99 < 1 s, no errors)", "people",
            "higher", each(lambda s: s.people["capacity"])),
    ]
    table += [
        Row("Start to ready (first real reply)", "s", "lower", each(lambda s: s.ready_seconds)),
        Row("Training time (cold cache)", "s", "lower", each(lambda s: s.train_seconds)),
        Row("Peak memory, Rasa server tree (RSS)", "MB", "lower", each(lambda s: s.peak_rss_mb)),
    ]
    return table


def _number(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit in ("count", "people"):
        return f"{value:.0f}"
    if unit == "%" or abs(value) >= 100:
        return f"{value:.1f}" if unit == "%" else f"{value:.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def _ratio(values: tuple[float | None, ...]) -> str:
    if len(values) < 2:
        return "n/a"
    ours, baseline = values[0], values[1]
    if ours is None or baseline is None:
        return "n/a"
    if any(isinstance(v, float) and math.isnan(v) for v in (ours, baseline)):
        return "n/a"
    if baseline == 0:
        return "n/a" if ours == 0 else "inf"
    return f"{ours / baseline:.2f}x"


def markdown(systems: list[SystemResult], header: list[str]) -> str:
    names = [s.name for s in systems]
    lines = [*header, ""]
    columns = ["metric", "unit", *names]
    if len(systems) >= 2:
        columns += [f"ratio {names[0]}/{names[1]}", "better"]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join(["---", "---", *["---:"] * (len(columns) - 2)]) + "|")
    for row in rows(systems):
        cells = [row.label, row.unit, *(_number(v, row.unit) for v in row.values)]
        if len(systems) >= 2:
            cells += [_ratio(row.values), row.better]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for system in systems:
        default = ("stock `rasa run`, Rasa's defaults" if system.name == "baseline"
                   else "`runner/rasa_server.py` with its defaults (bench/NOTES.md)")
        settings = ", ".join(f"{k}={v}" for k, v in system.settings.items()) or default
        lines.append(f"- **{system.name}**: model `{system.model}`; server settings: {settings}")
    return "\n".join(lines) + "\n"


def plot(systems: list[SystemResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right, people) = plt.subplots(1, 3, figsize=(15, 4))
    for system in systems:
        levels = sorted(system.load, key=lambda level: level["concurrency"])
        if not levels:
            continue
        x = [level["concurrency"] for level in levels]
        left.plot(x, [1000 * level["p99"] for level in levels], marker="o", label=system.name)
        right.plot(x, [level["throughput"] for level in levels], marker="o", label=system.name)
        tried = sorted((system.people or {}).get("levels", []), key=lambda level: level["people"])
        if tried:
            people.plot([level["people"] for level in tried],
                        [1000 * level["p99"] for level in tried], marker="o", label=system.name)
    people.axhline(1000, color="grey", linestyle="--", linewidth=1)
    people.set(title="Latency p99 with people thinking 3-15 s", xlabel="people chatting at once",
               ylabel="ms")
    left.set(title="Latency p99", xlabel="concurrent conversations", ylabel="ms")
    right.set(title="Throughput", xlabel="concurrent conversations", ylabel="messages/s")
    for axes in (left, right, people):
        axes.set_ylim(bottom=0)
        axes.set_xscale("log")
        axes.grid(True, alpha=0.3)
        axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(systems: list[SystemResult], out: Path, header: list[str]) -> str:
    out.mkdir(parents=True, exist_ok=True)
    text = markdown(systems, header)
    (out / "report.md").write_text(text)
    (out / "report.json").write_text(
        json.dumps([vars(s) for s in systems], indent=2, default=str) + "\n")
    plot(systems, out / "latency_throughput.png")
    return text
