"""``python -m bench.ablation``: what each speed patch of ``rasa_patches`` earns.

For every speed patch, the Rasa server runs with all but that one
(``KNEE_RASA_PATCHES_WITHOUT``), and twice a round with all of them, each loaded
as ``make bench`` loads it (50 people talking at once, the benchmark's
conversations). The figure is the Rasa process's CPU time (user + system,
from /proc) per message answered, after a warm-up: it moves less with the
machine's other work than throughput does. A patch's gain is the median of
"without it" minus the median of "with all", as a share of "with all".

Usage: ``python -m bench.ablation [--rounds 3] [--seconds 20] [--only a,b]``.
Prints progress per run and a Markdown table for bench/NOTES.md at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.load import run_load
from bench.servers import running
from rasa_patches import LEAVE_OUT, SPEED_PATCHES
from runner.services import Ports, latest_model

PORTS = Ports(rasa=5325, actions=5375)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WARM_UP_SECONDS = 6.0
ALL = "(all patches)"


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def one_run(without: str | None, seconds: float, concurrency: int) -> tuple[float, float]:
    """(CPU ms per message, messages per second) with ``without`` left out."""
    env = {LEAVE_OUT: without} if without else {}
    with tempfile.TemporaryDirectory(prefix="ablation-") as workdir, running(
        "ours", latest_model(), PORTS, Path(workdir), env
    ) as system:
        asyncio.run(run_load(system.base_url, concurrency, "warm", duration=WARM_UP_SECONDS))
        before = cpu_seconds(system.rasa_pid)
        result = asyncio.run(run_load(system.base_url, concurrency, "ablation",
                                      duration=seconds))
        spent = cpu_seconds(system.rasa_pid) - before
        if result.error_count:
            raise RuntimeError(f"{without or 'all'}: {result.error_count} errors"
                               f" {dict(result.errors)}")
        return spent * 1000 / max(result.messages, 1), result.throughput


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ablation", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--only", default="", help="comma-separated patch names (default: all)")
    args = parser.parse_args(argv)
    names = [name for name in args.only.split(",") if name] or list(SPEED_PATCHES)
    unknown = sorted(set(names) - set(SPEED_PATCHES))
    if unknown:
        print(f"unknown patch names: {', '.join(unknown)}", file=sys.stderr)
        return 2
    cpu: dict[str, list[float]] = {ALL: []}
    rate: dict[str, list[float]] = {ALL: []}
    started = time.monotonic()
    half = (len(names) + 1) // 2
    order = [ALL, *names[:half], ALL, *names[half:]]  # "all" twice a round, between the others
    for round_number in range(1, args.rounds + 1):
        for label in order:
            ms, throughput = one_run(None if label == ALL else label, args.seconds,
                                     args.concurrency)
            cpu.setdefault(label, []).append(ms)
            rate.setdefault(label, []).append(throughput)
            print(f"[{time.monotonic() - started:6.0f} s] round {round_number}"
                  f" {'all' if label == ALL else 'without ' + label}: {ms:.2f} CPU ms/msg,"
                  f" {throughput:.0f} msg/s", flush=True)
    base = statistics.median(cpu[ALL])
    print(f"\nCPU ms per message with all patches: median {base:.2f}"
          f" of {len(cpu[ALL])} runs ({', '.join(f'{v:.2f}' for v in cpu[ALL])})\n")
    print("| patch | CPU ms/msg without it (runs) | median | gain vs all | keep (>= 3%) |")
    print("|---|---|---:|---:|---|")
    for name in names:
        median = statistics.median(cpu[name])
        gain = (median - base) / base * 100
        runs = ", ".join(f"{value:.2f}" for value in cpu[name])
        print(f"| `{name}` | {runs} | {median:.2f} | {gain:+.1f}% |"
              f" {'yes' if gain >= 3 else 'no'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
