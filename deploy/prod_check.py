"""``make prod-check``: the production shape run for real, with a process lost mid-load.

1. Start deploy.stack.ProductionStack: nginx (deploy/nginx.conf, TLS) in front
   of two Rasa processes on PostgreSQL and Redis, one action server, the demo
   page and the staff view, with KNEE_ENV=production.
2. Soak through nginx (tests/soak: every person at once, each message waiting
   for its reply): every message must be answered and stored in PostgreSQL,
   in order.
3. Soak again and kill -9 one Rasa process when half the messages are
   answered. Requests that process had in flight fail (nginx answers 502 or
   504); the client retries them as the widget does. Every accepted message
   must be stored in order, and every chat request after the kill must be
   served by the survivor.
4. Restart the killed process; connect a socket.io client through nginx, kill
   the process serving it, and check that it reconnects and the conversation
   carries on where it was.
Prints a short report (throughput, p50 and p99, the failover window, the
in-flight failures) and exits 1 on any lost message or failed check.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy.soak_client import RetryingPerson
from deploy.stack import ProductionStack, StackPorts, insecure_client_context, missing_prerequisite
from tests.e2e.chat import recognise
from tests.soak.soak import Record, SoakResult, run_soak

LOG_LINE = re.compile(r' (?P<msec>\d+\.\d+) "(?P<method>\S+) (?P<uri>\S+)" (?P<status>\d+) '
                      r".*upstream=(?P<upstream>.+?) upstream_status=")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)
        print(line, flush=True)

    def fail(self, problem: str) -> None:
        self.failures.append(problem)
        self.say(f"  FAILED: {problem}")


def stored_user_texts(stack: ProductionStack, sender: str) -> list[str]:
    """The user messages PostgreSQL holds for ``sender``, in the order they were written.

    The REST channel may namespace sender ids; the id is matched as a suffix.
    """
    with stack.connect() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT data FROM events WHERE (sender_id = %s OR sender_id LIKE %s)"
                       " AND type_name = 'user' ORDER BY id", (sender, f"%:{sender}"))
        return [json.loads(row[0]).get("text") for row in cursor.fetchall()]


def in_order(sent: list[str], stored: list[str]) -> bool:
    """Every sent message is stored, in order (a retried message may be stored twice)."""
    position = 0
    for text in stored:
        if position < len(sent) and text == sent[position]:
            position += 1
    return position == len(sent)


def storage_problems(stack: ProductionStack, records: list[Record], exact: bool) -> list[str]:
    problems = []
    for record in records:
        stored = stored_user_texts(stack, record.plan.sender)
        if (stored != record.sent) if exact else not in_order(record.sent, stored):
            problems.append(f"{record.plan.sender}: sent {len(record.sent)} messages,"
                            f" stored {len(stored)}, not the same in order")
    return problems


def summary(result: SoakResult) -> str:
    load = result.load
    return (f"{load.messages}/{result.expected_messages} answered, {load.throughput:.1f} msg/s,"
            f" p50 {load.p(0.5) * 1000:.0f} ms, p99 {load.p(0.99) * 1000:.0f} ms,"
            f" {load.error_count} errors {dict(load.errors) or ''}")


def soak(stack: ProductionStack, people: int, turns: int, seed: int,
         during: object = None) -> tuple[SoakResult, list[tuple[float, str]]]:
    class Client(RetryingPerson):
        in_flight: list[tuple[float, str]] = []

    result = asyncio.run(run_soak(
        stack.public_url, people, turns, seed=seed, timeout=40.0,
        headers={"Authorization": f"Bearer {stack.env['REST_WEBHOOK_TOKEN']}"},
        person=Client, ssl=insecure_client_context(), during=during,  # type: ignore[arg-type]
    ))
    return result, Client.in_flight


def requests_after(stack: ProductionStack, epoch: float, prefix: str) -> list[dict[str, str]]:
    found = []
    for line in stack.access_log().read_text().splitlines():
        match = LOG_LINE.search(line)
        if match and float(match["msec"]) > epoch and match["uri"].startswith(prefix):
            found.append(match.groupdict())
    return found


def check_steady_soak(stack: ProductionStack, people: int, turns: int, report: Report) -> None:
    report.say(f"soak through nginx: {people} people x {turns} turns")
    result, in_flight = soak(stack, people, turns, seed=1)
    report.say(f"  {summary(result)}; {len(in_flight)} retried attempts")
    if result.load.error_count or result.load.messages < result.expected_messages:
        report.fail(f"not every message was answered ({summary(result)})")
    problems = storage_problems(stack, result.records, exact=True)
    report.say(f"  PostgreSQL: {len(result.records) - len(problems)}/{len(result.records)}"
               " conversations stored exactly as sent")
    for problem in problems[:5]:
        report.fail(problem)


def check_soak_with_kill(stack: ProductionStack, people: int, turns: int,
                         report: Report) -> int:
    """The soak with one Rasa process killed halfway; returns the killed port."""
    victim, survivor = stack.ports.rasa[1], stack.ports.rasa[0]
    killed: dict[str, float] = {}
    expected = people * turns

    async def kill_halfway(load: object) -> None:
        while load.messages < expected // 2:  # type: ignore[attr-defined]
            await asyncio.sleep(0.05)
        killed["epoch"] = time.time()
        killed["monotonic"] = stack.kill_rasa(victim)

    report.say(f"soak with a kill: {people} people x {turns} turns, kill -9 of the Rasa"
               f" process on port {victim} halfway")
    result, in_flight = soak(stack, people, turns, seed=2, during=kill_halfway)
    report.say(f"  {summary(result)}; slowest reply {max(result.load.latencies) * 1000:.0f} ms"
               " (a message queued behind the dead process's turn)")
    after = [(at - killed["monotonic"], kind) for at, kind in in_flight
             if at >= killed["monotonic"] - 1]
    window = max((delay for delay, _ in after), default=0.0)
    kinds: dict[str, int] = {}
    for _, kind in in_flight:
        kinds[kind] = kinds.get(kind, 0) + 1
    report.say(f"  in-flight failures: {len(in_flight)} {kinds or ''}, all retried by the"
               f" client; failover window {window:.2f} s after the kill")
    if result.load.error_count or result.load.messages < result.expected_messages:
        report.fail(f"messages lost despite retries ({summary(result)})")
    problems = storage_problems(stack, result.records, exact=False)
    report.say(f"  PostgreSQL: {len(result.records) - len(problems)}/{len(result.records)}"
               " conversations hold every accepted message, in order")
    for problem in problems[:5]:
        report.fail(problem)
    later = [r for r in requests_after(stack, killed["epoch"] + 0.2, "/webhooks/")
             if r["status"] == "200"]
    # "a:5726, b:5725": nginx tried the dead process first; the last one answered
    elsewhere = [r for r in later
                 if not r["upstream"].split(",")[-1].strip().endswith(f":{survivor}")]
    report.say(f"  after the kill: {len(later)} chat requests answered,"
               f" {len(later) - len(elsewhere)} by the survivor (port {survivor})")
    if not later or elsewhere:
        report.fail(f"{len(elsewhere)} answered requests after the kill did not come from"
                    " the survivor" if later else "no request was answered after the kill")
    return victim


async def socketio_failover(stack: ProductionStack, report: Report) -> None:
    import socketio

    replies: asyncio.Queue[dict[str, object]] = asyncio.Queue()
    session: dict[str, str] = {}
    client = socketio.AsyncClient(ssl_verify=False, reconnection=True,
                                  reconnection_delay=0.5, reconnection_delay_max=1)

    @client.event
    async def connect() -> None:  # as the widget does: resume the same session
        await client.emit("session_request", {"session_id": session.get("id")})

    @client.on("session_confirm")
    async def confirmed(session_id: str) -> None:
        session["id"] = session_id

    @client.on("bot_uttered")
    async def uttered(data: dict[str, object]) -> None:
        await replies.put(data)

    async def say(text: str) -> list[str]:
        while not replies.empty():
            replies.get_nowait()
        await client.emit("user_uttered", {"message": text, "session_id": session["id"]})
        texts = [str((await asyncio.wait_for(replies.get(), 30)).get("text") or "")]
        while True:
            try:
                texts.append(str((await asyncio.wait_for(replies.get(), 1.5)).get("text") or ""))
            except asyncio.TimeoutError:
                return texts

    started = time.time()
    # long-polling, the widget's fallback: every request is logged with its
    # upstream, and it needs the sticky routing (python-socketio's WebSocket
    # client needs a newer aiohttp than Rasa 3.6 allows)
    await client.connect(stack.public_url, transports=["polling"],
                         headers={"Origin": stack.public_url}, socketio_path="socket.io")
    for _ in range(100):
        if "id" in session:
            break
        await asyncio.sleep(0.1)
    first = recognise(await say("my knee has been hurting, can you check my symptoms?"))
    served = {r["upstream"] for r in requests_after(stack, started - 1, "/socket.io/")}
    port = int(sorted(served)[0].rsplit(":", 1)[1])
    session_before = session["id"]
    report.say(f"socket.io through nginx: session served by port {port}; first reply {first}")
    stack.kill_rasa(port)
    for _ in range(200):
        await asyncio.sleep(0.1)
        if client.connected and "id" in session:
            break
    await asyncio.sleep(1.0)
    second = recognise(await say("no"))
    await client.disconnect()
    report.say(f"  after kill -9 of port {port}: reconnected, same session"
               f" {session['id'] == session_before}; next reply {second}")
    asked = [name for name in first if name.startswith("utter_ask_")]
    if session["id"] != session_before or not asked or asked[-1] in second or not any(
            name.startswith(("utter_ask_", "utter_outcome_")) for name in second):
        report.fail("the socket.io conversation did not carry on after the failover")


def run(people: int, turns: int, workdir: Path, ports: StackPorts | None = None) -> Report:
    report = Report()
    stack = ProductionStack(workdir, ports or StackPorts())
    started = time.monotonic()
    report.say(f"starting the production shape (nginx, 2 Rasa, actions, web, staff) in {workdir}")
    try:
        stack.start()
        report.say(f"  ready behind nginx in {time.monotonic() - started:.0f} s"
                   f" at {stack.public_url}")
        check_steady_soak(stack, people, turns, report)
        victim = check_soak_with_kill(stack, people, turns, report)
        stack.start_rasa(victim)
        stack.wait_ready()
        asyncio.run(socketio_failover(stack, report))
    except Exception as error:  # noqa: BLE001 - reported, then exit 1
        report.fail(f"{type(error).__name__}: {error}")
    finally:
        stack.stop()
    report.say("prod-check: " + ("PASSED" if not report.failures
                                 else f"FAILED ({len(report.failures)} problems)"))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.prod_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the logs and nginx files")
    args = parser.parse_args(argv)
    reason = missing_prerequisite()
    if reason:
        print(f"prod-check cannot run here: {reason}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="prod-check-"))
    report = run(args.people, args.turns, workdir)
    if report.failures or args.keep:
        print(f"logs kept in {workdir}")
    else:
        shutil.rmtree(workdir)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
