"""Telegram webhook throughput and latency of `gratibot serve`, against a bare FastAPI ceiling.

A load generator on loopback posts realistic updates (bench/_traffic.py: /start, the Bantuan
button, a FAQ question, a declaration's typed answers and button presses; many users, each
user's updates in order) to `gratibot serve` backed by the real Redis and PostgreSQL (SQLite
when no PostgreSQL answers); a stub Bot API on loopback answers the bot's calls.

Two latencies: the webhook's answer (the update is queued, then handled in the background) and
end to end: from the moment an update is due to the bot's first sendMessage for it arriving at
the stub, which is what a user feels. Fixed loads are open loop (updates are due on a timetable
whatever the server does), so a slow server is charged for the queue it builds. Saturation is
closed loop: 64 users per worker each send their next update as soon as the last message of
the previous answer arrives.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from bench import _servers as servers
from bench._loopback import BotApiStub, Pool, RoundRobin
from bench._traffic import Script, Traffic, calibrate
from bot.web.webhooks.telegram import SECRET_HEADER

LOADS = (100, 300, 1000)
WORKERS = (1, 2)


@dataclass(frozen=True)
class Setup:
    name: str
    workers: int
    replicas: int = 1


# Several workers share one socket, and the kernel hands each new keep-alive connection to one
# of them; replicas behind nginx get requests in turn. Both are measured.
SETUPS = (
    Setup("1 worker", 1),
    Setup("serve --workers 2", 2),
    Setup("2 replicas, round robin", 1, 2),
)
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "8"))
SATURATION_USERS = 64
DRAIN_SECONDS = 20.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Phase:
    """Samples of one measured stretch (milliseconds)."""

    posted: int = 0
    acks: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    last: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    @property
    def answered(self) -> int:
        return len(self.first)


@dataclass
class Pending:
    due: float
    step: str
    left: int
    done: asyncio.Future[None]
    phase: Phase
    first: float | None = None


@dataclass
class Load:
    """Users, their scripts and the updates in flight, shared by the stub and the sender."""

    traffic: Traffic
    pool: Pool | None = None
    ready: deque[tuple[int, Script]] = field(default_factory=deque)
    pending: dict[int, Pending] = field(default_factory=dict)
    phase: Phase = field(default_factory=Phase)
    stray: int = 0

    def on_send(self, chat_id: int, at: float) -> None:
        """The stub saw a sendMessage: the update in flight for that chat is answered."""
        entry = self.pending.get(chat_id)
        if entry is None:
            self.stray += 1
            return
        # Counted in the phase that posted the update, even when it is answered later.
        if entry.first is None:
            entry.first = at
            ms = (at - entry.due) * 1000
            entry.phase.first.append(ms)
            entry.phase.by_step.setdefault(entry.step, []).append(ms)
        entry.left -= 1
        if entry.left <= 0:
            entry.phase.last.append((at - entry.due) * 1000)
            del self.pending[chat_id]
            if not entry.done.done():
                entry.done.set_result(None)

    def next_user(self) -> tuple[int, Script]:
        return self.ready.popleft() if self.ready else self.traffic.new_user()

    async def post(self, user: int, script: Script, due: float) -> None:
        """Posts the user's next step and, when it is answered, puts the user back in line."""
        assert self.pool is not None
        (kind, step), rest = script[0], script[1:]
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        phase = self.phase
        self.pending[user] = Pending(due, kind, step[2], done, phase)
        phase.posted += 1
        try:
            status = await self.pool.post(self.traffic.update(user, step))
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        phase.acks.append((time.perf_counter() - due) * 1000)
        if status != 200:
            phase.errors += 1
            self.pending.pop(user, None)
            return
        try:
            await asyncio.wait_for(done, DRAIN_SECONDS)
        except TimeoutError:
            self.pending.pop(user, None)
            return
        if rest:
            self.ready.append((user, rest))

    async def drain(self) -> None:
        waiting = [entry.done for entry in self.pending.values()]
        if waiting:
            await asyncio.wait(waiting, timeout=DRAIN_SECONDS)

    async def fixed(self, rate: float, seconds: float) -> Phase:
        """Open loop: `rate` updates per second on a timetable for `seconds`."""
        self.phase = phase = Phase()
        tasks = []
        start = time.perf_counter()
        total = int(rate * seconds)
        for n in range(total):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            user, script = self.next_user()
            tasks.append(asyncio.create_task(self.post(user, script, due)))
        phase.seconds = time.perf_counter() - start
        await asyncio.gather(*tasks)
        await self.drain()
        return phase

    async def closed(self, users: int, seconds: float, warmup: float = 2.0) -> Phase:
        """Closed loop: `users` users each send again as soon as they have their answer."""
        stop = time.perf_counter() + warmup + seconds

        async def one() -> None:
            while time.perf_counter() < stop:
                # A user rests while about `users` others go: nobody types again the instant
                # an answer arrives, when the bot may still hold their conversation's lock.
                rested = len(self.ready) > users
                user, script = self.ready.popleft() if rested else self.traffic.new_user()
                await self.post(user, script, time.perf_counter())

        runners = [asyncio.create_task(one()) for _ in range(users)]
        await asyncio.sleep(warmup)
        self.phase = phase = Phase()
        await asyncio.sleep(seconds)
        phase.seconds = seconds
        await asyncio.gather(*runners)
        await self.drain()
        return phase


async def ceiling_phase(pool: Pool, body: bytes, rate: float | None, seconds: float) -> Phase:
    """The bare endpoint: open loop at `rate`, or closed loop over 64 connections when None."""
    phase = Phase()

    async def one(due: float) -> None:
        status = await pool.post(body)
        phase.acks.append((time.perf_counter() - due) * 1000)
        phase.errors += status != 200

    start = time.perf_counter()
    if rate is None:
        stop = start + seconds

        async def loop() -> None:
            while time.perf_counter() < stop:
                await one(time.perf_counter())

        await asyncio.gather(*(loop() for _ in range(64)))
    else:
        tasks = []
        for n in range(int(rate * seconds)):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(due)))
        await asyncio.gather(*tasks)
    phase.posted = len(phase.acks)
    phase.seconds = time.perf_counter() - start if rate is None else seconds
    return phase


def _pool(url: str) -> Pool:
    return Pool(f"{url}/telegram/webhook", {SECRET_HEADER: servers.SECRET})


async def _ceiling(workers: int, var: Path, body: bytes) -> dict[str, Phase]:
    results: dict[str, Phase] = {}
    async with servers.ceiling_server(workers, var) as server:
        pool = _pool(server.url)
        await ceiling_phase(pool, body, None, 1.0)  # warm-up
        results["saturation"] = await ceiling_phase(pool, body, None, PHASE_SECONDS)
        for rate in LOADS:
            results[str(rate)] = await ceiling_phase(pool, body, rate, PHASE_SECONDS)
        pool.close()
    return results


async def paced(var: Path, load: Load, stub: BotApiStub, db: str) -> Phase:
    """One worker as shipped (TELEGRAM_SEND_RATE=30, Telegram's limit): saturation only."""
    namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
    server = servers.bot_server(
        1, api_base_url=stub.base_url, db_url=db, namespace=namespace, var=var, send_rate=30
    )
    try:
        async with server:
            load.pool = _pool(server.url)
            phase = await load.closed(SATURATION_USERS, PHASE_SECONDS)
            load.pool.close()
    finally:
        servers.forget(namespace)
    load.ready.clear()
    return phase


async def _bot(setup: Setup, var: Path, load: Load, stub: BotApiStub, db: str) -> dict[str, Phase]:
    """One setup: `serve --workers N` once, or several 1-worker replicas taking turns."""
    results: dict[str, Phase] = {}
    namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
    processes = setup.workers * setup.replicas
    try:
        async with contextlib.AsyncExitStack() as stack:
            started = []
            for _ in range(setup.replicas):  # one after the other: each migrates at start
                server = servers.bot_server(
                    setup.workers,
                    api_base_url=stub.base_url,
                    db_url=db,
                    namespace=namespace,
                    var=var,
                )
                started.append(await stack.enter_async_context(server))
            pools = [_pool(server.url) for server in started]
            load.pool = pools[0] if len(pools) == 1 else RoundRobin(pools)
            await load.fixed(100, 2.0)  # warm-up: connections, caches, prepared statements
            results["saturation"] = await load.closed(SATURATION_USERS * processes, PHASE_SECONDS)
            for rate in LOADS:
                results[str(rate)] = await load.fixed(rate, PHASE_SECONDS)
                print(f"   {setup.name} @ {rate}/s: {_line(results[str(rate)])}", flush=True)
            profile = os.environ.get("BENCH_PROFILE")
            if profile and int(profile) == processes and setup.replicas == 1:
                await _profile(load, started[0], var, processes)
            load.pool.close()
    finally:
        servers.forget(namespace)
    load.ready.clear()
    return results


async def _profile(load: Load, server: servers.Server, var: Path, workers: int) -> None:
    """BENCH_PROFILE=N: py-spy records the serve workers under closed-loop load."""
    out = var / f"profile-{workers}"
    procs = [
        await asyncio.create_subprocess_exec(
            servers.tool("py-spy"), "record", "--pid", str(pid), "--duration", "8", "--rate", "200",
            "--format", "raw", "--output", f"{out}-{pid}.txt", "--nonblocking",
        )
        for pid in server.pids
    ]  # fmt: skip
    await load.closed(SATURATION_USERS * workers, 9)
    for proc in procs:
        await proc.wait()
    print(f"   profiles in {out}-*.txt", flush=True)


def _line(phase: Phase) -> str:
    return (
        f"ack p50 {pct(phase.acks, 0.5):.1f} p99 {pct(phase.acks, 0.99):.1f} ms, "
        f"reply p50 {pct(phase.first, 0.5):.1f} p99 {pct(phase.first, 0.99):.1f} ms, "
        f"answered {phase.answered}/{phase.posted}"
    )


def _rate(phase: Phase, answered: bool) -> float:
    count = phase.answered if answered else phase.posted
    return count / phase.seconds if phase.seconds else 0.0


async def measure(var: Path) -> str:
    traffic = Traffic(await calibrate())
    load = Load(traffic)
    stub = BotApiStub(load.on_send)
    await stub.start()
    sample = traffic.update(1, ("text", "/start", 1))
    ceiling: dict[int, dict[str, Phase]] = {}
    bot: dict[Setup, dict[str, Phase]] = {}
    async with servers.database(var) as (db_kind, db_url):
        for workers in WORKERS:
            ceiling[workers] = await _ceiling(workers, var, sample)
            sat = ceiling[workers]["saturation"]
            print(f"   ceiling, {workers} worker(s): {_rate(sat, False):.0f} req/s", flush=True)
        for setup in SETUPS:
            bot[setup] = await _bot(setup, var, load, stub, db_url)
            sat = bot[setup]["saturation"]
            print(f"   gratibot, {setup.name}: {_rate(sat, True):.0f} updates/s", flush=True)
        shipped = await paced(var, load, stub, db_url)
        print(f"   gratibot, 1 worker, paced at 30/s: {_rate(shipped, True):.0f} updates/s")
    await stub.stop()
    return report(ceiling, bot, shipped, db_kind, stub)


def report(
    ceiling: dict[int, dict[str, Phase]],
    bot: dict[Setup, dict[str, Phase]],
    shipped: Phase,
    db_kind: str,
    stub: BotApiStub,
) -> str:
    single, shared, replicas = SETUPS
    one = _rate(bot[single]["saturation"], True)
    two = _rate(bot[replicas]["saturation"], True)
    two_shared = _rate(bot[shared]["saturation"], True)
    lines = [
        "## Telegram webhook: throughput and latency",
        "",
        f"`gratibot serve` on loopback with Redis and {db_kind}; a stub Bot API answers the "
        "bot. Traffic: /start, the Bantuan button, a FAQ question, then a declaration by "
        "typed answers and buttons (half of one for 4 users in 5, a whole one for the rest), "
        "each user's updates in order. *Ack*: the webhook's HTTP answer (the update is queued). "
        "*Reply*: update due -> the bot's first sendMessage for it reaches the stub (what a "
        "user feels). Fixed loads are open loop: latency counts from when the update was due. "
        "The load generator and the stub share the same 2 cores; being one Python process, "
        "the load generator tops out near 5,000 requests/s, which bounds the 2-worker ceiling.",
        "",
        "| server | processes | saturation /s | @100/s ack p50/p99 ms | @100/s reply p50/p99 ms "
        "| @300/s ack p50/p99 ms | @300/s reply p50/p99 ms | @1000/s ack p50/p99 ms "
        "| @1000/s reply p50/p99 ms | answered @1000/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [(f"bare FastAPI (ceiling), {w} worker(s)", w, ceiling[w], False) for w in WORKERS]
    rows += [(f"gratibot, {s.name}", s.workers * s.replicas, bot[s], True) for s in SETUPS]
    for name, processes, results, answered in rows:
        cells = [name, str(processes), f"{_rate(results['saturation'], answered):.0f}"]
        for rate in LOADS:
            phase = results[str(rate)]
            cells.append(f"{pct(phase.acks, 0.5):.1f} / {pct(phase.acks, 0.99):.1f}")
            if answered:
                cells.append(f"{pct(phase.first, 0.5):.1f} / {pct(phase.first, 0.99):.1f}")
            else:
                cells.append("-")
        last = results["1000"]
        cells.append(f"{last.answered}/{last.posted}" if answered else "-")
        lines.append("| " + " | ".join(cells) + " |")
    ceiling_one = _rate(ceiling[1]["saturation"], False)
    p99 = pct(bot[single]["300"].first, 0.99)
    lines += [
        "",
        f"Aims: one worker at {one / ceiling_one:.0%} of the ceiling (aim 40%); reply p99 at "
        f"300/s {p99:.1f} ms (aim < 30 ms); 2 replicas {two / one:.2f}x one (aim 1.7x), "
        f"`--workers 2` {two_shared / one:.2f}x.",
        "",
        "The rows above run with TELEGRAM_SEND_RATE=0 to measure the bot itself. As shipped, "
        "python-telegram-bot's AIORateLimiter paces each process to 30 Bot API calls with a "
        "chat id per second (Telegram's limit per bot), and an update costs about 3 of them "
        "(retire the previous buttons, send; a press also edits the pressed message): one "
        f"worker then answers {_rate(shipped, True):.0f} updates/s at saturation.",
        "",
        "Reply latency by update type, 2 replicas at 100/s (p50 / p99 ms):",
        "",
        "| update | count | p50 | p99 |",
        "|---|---|---|---|",
    ]
    for step, values in sorted(bot[replicas]["100"].by_step.items()):
        lines.append(
            f"| {step} | {len(values)} | {statistics.median(values):.1f} | "
            f"{pct(values, 0.99):.1f} |"
        )
    calls = ", ".join(f"{k} {v}" for k, v in sorted(stub.calls.items()))
    lines += ["", f"Bot API calls answered by the stub: {calls}.", ""]
    return "\n".join(lines)


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="gratibot-bench-") as tmp:
        return asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    print(run())
