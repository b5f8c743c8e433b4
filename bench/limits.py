"""The multi-process rate-limit check: 3 processes share the bot's limit through Redis.

A stub Bot API enforces Telegram's limits as token buckets (30 messages/s per bot with a
burst of 30, 3 then 1/s per private chat, 20/min per group), answers 429 with retry_after
beyond them, and timestamps every call. Three processes (bench/_limits_worker.py), each with
the bot's real Bot and rate limiter on one Redis, first send only interactive replies (3 per
second each), then the same replies while together broadcasting 500 notices (bulk sends, as
the outbox worker's). Reported: the whole bot's rate at the stub (busiest second, and
sustained over the broadcast), the 429s, and the interactive replies' wait (from due to taken
by the stub) without and with the broadcast queued.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
import time
import uuid
from dataclasses import dataclass, field

from bench._loopback import ME, _params, serve_json
from bench._servers import ROOT, redis_url
from tests.telegram_emulator.harness import clear_namespace

PROCESSES = 3
NOTICES = 500
INTERACTIVE_RATE = 3.0  # per process
SECONDS = 6.0


@dataclass
class Bucket:
    capacity: float
    rate: float
    tokens: float
    at: float

    def refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def wait(self) -> float:
        """Seconds until a token is there."""
        return max(0.0, (1 - self.tokens) / self.rate)


@dataclass
class LimitingStub:
    """A Bot API that refuses what Telegram would, and keeps (time, method, chat) per call."""

    port: int = 0
    calls: list[tuple[float, str, int]] = field(default_factory=list)
    refused: int = 0
    buckets: dict[str, Bucket] = field(default_factory=dict)
    _server: asyncio.Server | None = None

    def bucket(self, key: str, capacity: float, rate: float, now: float) -> Bucket:
        if key not in self.buckets:
            self.buckets[key] = Bucket(capacity, rate, capacity, now)
        found = self.buckets[key]
        found.refill(now)
        return found

    def answer(self, method: str, params: dict[str, object]) -> tuple[int, dict[str, object]]:
        now = time.time()
        if method == "getMe":
            return 200, {"ok": True, "result": ME}
        chat = int(str(params.get("chat_id", 0)))
        if method.startswith(("send", "edit")):
            bot = self.bucket("bot", 30, 30, now)
            group = chat < 0
            own = self.bucket(f"chat:{chat}", 20 if group else 3, 20 / 60 if group else 1, now)
            if bot.tokens < 1 or own.tokens < 1:
                # A refused call takes nothing from either bucket.
                self.refused += 1
                wait = math.ceil(max(bot.wait(), own.wait()))
                return 429, {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {wait}",
                    "parameters": {"retry_after": wait},
                }
            bot.tokens -= 1
            own.tokens -= 1
        self.calls.append((now, method, chat))
        message = {
            "message_id": len(self.calls),
            "date": int(now),
            "chat": {"id": chat, "type": "private"},
        }
        return 200, {"ok": True, "result": message}

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await serve_json(reader, writer, lambda p, b: self.answer(p.rsplit("/", 1)[-1], _params(b)))


async def _round(
    stub: LimitingStub, namespace: str, bulk: int
) -> tuple[list[float], list[float], int, list[str]]:
    """The three processes, started together: their interactive replies' waits (due to taken
    by the stub), the part of them spent waiting for the limiter, and the errors."""
    base_url = f"http://127.0.0.1:{stub.port}/bot"
    share = [bulk // PROCESSES + (1 if n < bulk % PROCESSES else 0) for n in range(PROCESSES)]
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench._limits_worker", base_url, redis_url(), namespace,
            str(share[n]), str(INTERACTIVE_RATE), str(SECONDS), str(n),
            cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        for n in range(PROCESSES)
    ]  # fmt: skip
    for proc in procs:
        assert proc.stdout is not None
        await proc.stdout.readline()  # "ready": imports done, connections to be opened
    start = time.time() + 0.5
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{start}\n".encode())
        await proc.stdin.drain()
    waits: list[float] = []
    turns: list[float] = []
    held = 0
    errors: list[str] = []
    for proc in procs:
        out, _ = await proc.communicate()
        found = json.loads(out.decode().strip().splitlines()[-1])
        waits += found["waits"]
        turns += found["turns"]
        held += found["held"]
        errors += found["errors"]
    return waits, turns, held, errors


def _busiest_second(times: list[float]) -> int:
    ordered = sorted(times)
    best, low = 0, 0
    for high, at in enumerate(ordered):
        while at - ordered[low] >= 1.0:
            low += 1
        best = max(best, high - low + 1)
    return best


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure() -> str:
    stub = LimitingStub()
    await stub.start()
    namespace = f"gratibot-limits-{uuid.uuid4().hex[:8]}"
    try:
        quiet, quiet_turns, quiet_held, quiet_errors = await _round(stub, namespace, 0)
        mark = len(stub.calls)
        busy, busy_turns, busy_held, busy_errors = await _round(stub, namespace, NOTICES)
    finally:
        await stub.stop()
        clear_namespace(redis_url(), namespace)
    sent = [at for at, method, _chat in stub.calls[mark:] if method == "sendMessage"]
    span = max(sent) - min(sent) if sent else 0.0
    sustained = len(sent) / span if span else float("nan")
    busiest = _busiest_second(sent)
    print(
        f"   {len(sent)} messages in {span:.1f} s ({sustained:.1f}/s), busiest second "
        f"{busiest}, 429s {stub.refused}; interactive wait p50/p99 {pct(quiet, 0.5):.0f}/"
        f"{pct(quiet, 0.99):.0f} ms quiet, {pct(busy, 0.5):.0f}/{pct(busy, 0.99):.0f} ms "
        "with the broadcast "
        f"(limiter p99 {pct(busy_turns, 0.99):.1f} ms, held {busy_held})",
        flush=True,
    )
    errors = quiet_errors + busy_errors
    return "\n".join(
        [
            "## Telegram rate limit shared by 3 processes",
            "",
            f"{PROCESSES} processes, each with the bot's Bot and rate limiter on one Redis, send "
            f"to a stub that enforces Telegram's limits (30/s per bot with a burst of 30, 3 then "
            f"1/s per chat, 20/min per group) and answers 429 beyond them. Each process sends "
            f"{INTERACTIVE_RATE:g} interactive replies a second for {SECONDS:g} s, first alone, "
            f"then while the three broadcast {NOTICES} notices (bulk sends, 4 at a time each). "
            f"Limits as shipped: TELEGRAM_SEND_RATE=30, TELEGRAM_SEND_BURST=10, "
            "TELEGRAM_CHAT_RATE=1, TELEGRAM_CHAT_BURST=3.",
            "",
            "| what | figure |",
            "|---|---|",
            f"| messages taken by the stub during the broadcast round | {len(sent)} in "
            f"{span:.1f} s |",
            f"| whole bot, sustained | {sustained:.1f} messages/s |",
            f"| whole bot, busiest second | {busiest} messages |",
            f"| 429 answers from the stub | {stub.refused} |",
            f"| send errors in the processes | {len(errors)} |",
            f"| interactive reply wait p50 / p99, alone | {pct(quiet, 0.5):.0f} / "
            f"{pct(quiet, 0.99):.0f} ms |",
            f"| interactive reply wait p50 / p99, with {NOTICES} notices queued | "
            f"{pct(busy, 0.5):.0f} / {pct(busy, 0.99):.0f} ms |",
            f"| interactive replies the limiter held back (no token at once): alone; with "
            f"the notices | {quiet_held} of {len(quiet)}; {busy_held} of {len(busy)} |",
            f"| of which waiting for the limiter, p50 / p99 / max: alone | "
            f"{pct(quiet_turns, 0.5):.1f} / {pct(quiet_turns, 0.99):.1f} / "
            f"{max(quiet_turns, default=0):.1f} ms |",
            f"| of which waiting for the limiter, p50 / p99 / max: with the notices | "
            f"{pct(busy_turns, 0.5):.1f} / {pct(busy_turns, 0.99):.1f} / "
            f"{max(busy_turns, default=0):.1f} ms |",
            "",
        ]
    )


def run() -> str:
    return asyncio.run(measure())


if __name__ == "__main__":
    print(run())
