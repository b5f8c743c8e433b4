"""Telegram webhook throughput, latency, CPU and Bot API calls: gratibot against a plain
python-telegram-bot bot and a bare FastAPI ceiling, in the same run.

A load generator on loopback posts realistic updates (bench/_traffic.py: /start, the Bantuan
button, a FAQ question, a declaration's typed answers and button presses on the bot's real
last message; many users, each user's updates in order) to `gratibot serve` backed by the real
Redis and PostgreSQL (SQLite when no PostgreSQL answers), to the peer (bench/_peer.py: a
ConversationHandler bot giving the same replies, state in memory) and to a bare endpoint; a
stub Bot API on loopback answers the bots' calls and counts them.

Per row: updates/s at saturation (closed loop: 64 users each send their next update as soon as
the last message of the previous answer arrives), the bot process's CPU ms and the Bot API
calls per update there, and the reply latency at a fixed 100 updates/s (open loop: updates are
due on a timetable whatever the server does; reply = update due -> the bot's first message
for it, sent or edited in, reaches the stub: what a user feels). Rounds interleave the rows
(BENCH_ROUNDS, default 3), so a noisy neighbour on the shared machine hits them alike; the
table gives medians and the ratio gratibot/peer of each round.

BENCH_BASELINE=<checkout with its own .venv> adds that checkout's gratibot as a row (the code
before a change, measured in the same run).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import _servers as servers
from bench._loopback import BotApiStub, Pool
from bench._traffic import Calibration, Script, Step, Traffic, calibrate, peer_script
from bot.web.webhooks.telegram import SECRET_HEADER

FIXED_RATE = 100
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SATURATION_USERS = 64
DRAIN_SECONDS = 20.0
# Startup and shutdown calls, not part of any update.
SETUP_METHODS = {"getMe", "setWebhook", "setMyCommands", "deleteWebhook"}
CARRIED = " in webhook answer"


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
    # Over the whole closed-loop run (warm-up included), from idle to idle: per update.
    calls: dict[str, float] = field(default_factory=dict)
    cpu_ms: float = 0.0

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
    """Users, their scripts and the updates in flight, shared by the stub and the sender.

    messages(step): how many messages the bot under test sends or edits in for a step."""

    traffic: Traffic
    messages: Callable[[Step], int]
    # What the phase's counters read at its start: Bot API calls by method, CPU seconds.
    probe: Callable[[], tuple[dict[str, int], float]] = lambda: ({}, 0.0)
    pool: Pool | None = None
    ready: deque[tuple[int, Script]] = field(default_factory=deque)
    pending: dict[int, Pending] = field(default_factory=dict)
    phase: Phase = field(default_factory=Phase)
    stray: int = 0
    # Updates answered so far, whatever the phase (for calls and CPU per update).
    answered: int = 0

    def on_send(self, chat_id: int, at: float) -> None:
        """The stub saw a message for that chat: the update in flight there is answered."""
        entry = self.pending.get(chat_id)
        if entry is None:
            self.stray += 1
            return
        # Counted in the phase that posted the update, even when it is answered later.
        if entry.first is None:
            entry.first = at
            self.answered += 1
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
        self.pending[user] = Pending(due, kind, max(1, self.messages(step)), done, phase)
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
        calls, cpu = self.probe()
        answered = self.answered

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
        # Nothing was in flight at the start, nothing is now: every call and CPU second
        # belongs to one of the updates answered in between.
        calls_after, cpu_after = self.probe()
        count = max(1, self.answered - answered)
        phase.calls = {m: (n - calls.get(m, 0)) / count for m, n in calls_after.items()}
        phase.cpu_ms = (cpu_after - cpu) * 1000 / count
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


@dataclass
class Row:
    """A server under test: how to start it and how to count its messages."""

    name: str
    kind: str  # "ceiling", "bot"
    start: Callable[[Path, BotApiStub, str], servers.Server]
    messages: Callable[[Step], int] = lambda step: step[2]
    edits_reply: bool = True
    # An older checkout migrates its own database (it does not know newer revisions).
    own_database: bool = False


@dataclass
class Result:
    """One row in one round."""

    saturation: float
    cpu_ms: float
    calls: float
    by_method: dict[str, float]
    fixed: Phase | None = None
    # Calls carried in webhook answers per update (not in `calls`: no request of their own).
    carried: float = 0.0


async def _profile(load: Load, server: servers.Server, var: Path) -> None:
    """BENCH_PROFILE=<row name prefix>: py-spy records the server under closed-loop load."""
    out = var.parent / f"profile-{server.pids[0]}.txt"
    proc = await asyncio.create_subprocess_exec(
        servers.tool("py-spy"), "record", "--pid", str(server.pids[0]), "--duration", "10",
        "--rate", "100", "--format", "raw", "--output", str(out), "--nonblocking",
    )  # fmt: skip
    await load.closed(SATURATION_USERS, 11)
    await proc.wait()
    print(f"   profile in {out}", flush=True)


def _calls(stub: BotApiStub) -> dict[str, int]:
    return {k: v for k, v in stub.calls.items() if k not in SETUP_METHODS}


def _carried(pool: Pool) -> dict[str, int]:
    """Calls the bot put in its webhook answers (Telegram makes them; no request of its own)."""
    return {f"{method}{CARRIED}": n for method, n in pool.carried.items()}


async def _measure_bot(
    row: Row, var: Path, stub: BotApiStub, db: str, seed: int, cal: Calibration
) -> Result:
    traffic = Traffic(cal, seed=seed)
    load = Load(traffic, row.messages)
    stub.on_send = load.on_send
    stub.on_screen = traffic.screens.saw
    stub.edits_reply = row.edits_reply
    async with row.start(var, stub, db) as server:
        load.pool = _pool(server.url)
        pool = load.pool
        load.probe = lambda: ({**_calls(stub), **_carried(pool)}, server.cpu_seconds())
        await load.fixed(20, 2.0)  # warm-up: connections, caches, prepared statements
        saturation = await load.closed(SATURATION_USERS, PHASE_SECONDS)
        profile = os.environ.get("BENCH_PROFILE")
        if profile and row.name.startswith(profile):
            await _profile(load, server, var)
        load.ready.clear()
        fixed = await load.fixed(FIXED_RATE, PHASE_SECONDS)
        load.pool.close()
    by_method = {m: n for m, n in saturation.calls.items() if n}
    return Result(
        saturation=saturation.answered / saturation.seconds,
        cpu_ms=saturation.cpu_ms,
        calls=sum(n for m, n in by_method.items() if not m.endswith(CARRIED)),
        by_method=by_method,
        fixed=fixed,
        carried=sum(n for m, n in by_method.items() if m.endswith(CARRIED)),
    )


async def _measure_ceiling(var: Path, body: bytes) -> Result:
    async with servers.ceiling_server(1, var) as server:
        pool = _pool(server.url)
        await ceiling_phase(pool, body, None, 1.0)  # warm-up
        before = server.cpu_seconds()
        phase = await ceiling_phase(pool, body, None, PHASE_SECONDS)
        cpu = server.cpu_seconds() - before
        fixed = await ceiling_phase(pool, body, FIXED_RATE, PHASE_SECONDS)
        pool.close()
    return Result(
        saturation=phase.posted / phase.seconds,
        cpu_ms=cpu * 1000 / max(1, phase.posted),
        calls=0.0,
        by_method={},
        fixed=fixed,
    )


def _rows(script: Path) -> list[Row]:
    def gratibot(
        checkout: Path | None, send_rate: float = 0, **extra: str
    ) -> Callable[[Path, BotApiStub, str], servers.Server]:
        def start(var: Path, stub: BotApiStub, db: str) -> servers.Server:
            namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
            return servers.bot_server(
                1, api_base_url=stub.base_url, db_url=db, namespace=namespace, var=var,
                send_rate=send_rate, checkout=checkout, extra=extra,
            )  # fmt: skip

        return start

    def peer(var: Path, stub: BotApiStub, _db: str) -> servers.Server:
        return servers.peer_server(api_base_url=stub.base_url, script=script, var=var)

    rows = [
        Row("gratibot, 1 worker", "bot", gratibot(None)),
        Row("python-telegram-bot peer (ConversationHandler)", "bot", peer, lambda _step: 1),
    ]
    if os.environ.get("BENCH_HTTPX"):
        # The same bot on python-telegram-bot's default HTTP client (the choice of client).
        rows.append(
            Row("gratibot, httpx client", "bot", gratibot(None, TELEGRAM_HTTP_CLIENT="httpx"))
        )
    baseline = os.environ.get("BENCH_BASELINE")
    if baseline:
        rows.append(
            Row(
                f"gratibot before ({Path(baseline).name})",
                "bot",
                gratibot(Path(baseline)),
                lambda step: step[3],
                edits_reply=False,
                own_database=True,
            )
        )
    return rows


async def measure(var: Path) -> str:
    calibration = await calibrate()
    script = var / "peer-script.json"
    script.write_text(json.dumps(peer_script(calibration)), encoding="utf-8")
    rows = _rows(script)
    stub = BotApiStub(lambda _chat, _at: None)
    await stub.start()
    sample = Traffic(calibration).update(1, ("text", "/start", 1, 1))
    results: dict[str, list[Result]] = {row.name: [] for row in rows}
    ceiling: list[Result] = []
    loads: list[float] = []
    async with (
        servers.database(var) as (db_kind, db_url),
        servers.database(var, "baseline") as (_kind, baseline_url),
    ):
        for number in range(ROUNDS):
            loads.append(os.getloadavg()[0])
            ceiling.append(await _measure_ceiling(var, sample))
            print(f"   round {number + 1}: ceiling {ceiling[-1].saturation:.0f} req/s", flush=True)
            # Each round starts with another row, so no row always runs on a cooler machine.
            for row in rows[number % len(rows) :] + rows[: number % len(rows)]:
                db = baseline_url if row.own_database else db_url
                result = await _measure_bot(row, var, stub, db, 8 + number, calibration)
                results[row.name].append(result)
                print(f"   round {number + 1}: {row.name}: {_line(result)}", flush=True)
    await stub.stop()
    return report(rows, results, ceiling, db_kind, loads)


def _line(result: Result) -> str:
    fixed = result.fixed
    assert fixed is not None
    return (
        f"{result.saturation:.0f} updates/s, {result.cpu_ms:.2f} CPU ms/update, "
        f"{result.calls:.2f} calls/update (+{result.carried:.2f} in webhook answers); "
        f"@{FIXED_RATE}/s reply p50 {pct(fixed.first, 0.5):.1f} "
        f"p99 {pct(fixed.first, 0.99):.1f} ms, answered {fixed.answered}/{fixed.posted}"
    )


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(
    rows: list[Row],
    results: dict[str, list[Result]],
    ceiling: list[Result],
    db_kind: str,
    loads: list[float],
) -> str:
    ours, peer = rows[0].name, rows[1].name
    ratios = [
        a.saturation / b.saturation for a, b in zip(results[ours], results[peer], strict=True)
    ]
    lines = [
        "## Telegram webhook: gratibot against a plain python-telegram-bot bot",
        "",
        f"`gratibot serve` (1 worker, Redis and {db_kind}, TELEGRAM_SEND_RATE=0 so Telegram's "
        "pacing does not bound it) and the peer (bench/_peer.py: python-telegram-bot's "
        "ConversationHandler behind a FastAPI webhook, state in memory, the same replies) answer "
        "the same traffic against a stub Bot API on loopback; a bare FastAPI endpoint is the "
        f"ceiling. {len(ceiling)} interleaved rounds; medians, with each round's figure in "
        f"brackets. Load average (1 min) at the start of each round: "
        f"{', '.join(f'{x:.1f}' for x in loads)} on {os.cpu_count()} cores.",
        "",
        f"| server | updates/s at saturation | CPU ms/update | Bot API calls/update | "
        f"@{FIXED_RATE}/s reply p50 / p99 ms | answered @{FIXED_RATE}/s |",
        "|---|---|---|---|---|---|",
    ]

    def cells(name: str, found: list[Result], unit_calls: bool) -> str:
        rates = " / ".join(f"{r.saturation:.0f}" for r in found)
        p50 = _median([pct(r.fixed.first if r.fixed else [], 0.5) for r in found])
        p99 = _median([pct(r.fixed.first if r.fixed else [], 0.99) for r in found])
        answered = sum(r.fixed.answered for r in found if r.fixed)
        posted = sum(r.fixed.posted for r in found if r.fixed)
        calls = f"{_median([r.calls for r in found]):.2f}" if unit_calls else "-"
        carried = _median([r.carried for r in found])
        if unit_calls and carried:
            calls += f" (+{carried:.2f} in webhook answers)"
        latency = f"{p50:.1f} / {p99:.1f}" if unit_calls else "-"
        return (
            f"| {name} | {_median([r.saturation for r in found]):.0f} ({rates}) | "
            f"{_median([r.cpu_ms for r in found]):.2f} | {calls} | {latency} | "
            f"{f'{answered}/{posted}' if unit_calls else '-'} |"
        )

    lines.append(cells("bare FastAPI (ceiling)", ceiling, False))
    for row in rows:
        lines.append(cells(row.name, results[row.name], True))
    lines += [
        "",
        f"gratibot / peer, updates/s: {_median(ratios):.2f}x "
        f"({', '.join(f'{r:.2f}' for r in ratios)} per round).",
        "",
        "Bot API calls per update by method (median over rounds):",
        "",
        "| server | "
        + " | ".join(sorted({m for r in rows for x in results[r.name] for m in x.by_method}))
        + " |",
    ]
    methods = sorted({m for r in rows for x in results[r.name] for m in x.by_method})
    lines.append("|---" * (len(methods) + 1) + "|")
    for row in rows:
        values = [
            f"{_median([x.by_method.get(m, 0.0) for x in results[row.name]]):.2f}" for m in methods
        ]
        lines.append(f"| {row.name} | " + " | ".join(values) + " |")
    lines.append("")
    return "\n".join(lines)


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="gratibot-bench-") as tmp:
        return asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    print(run())
