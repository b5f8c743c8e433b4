"""CPU cost of a Telegram update, repeatable on a shared machine: the webhook bench's cost
phase in one process, for `valgrind --tool=callgrind` (instruction counts) or process time.

The real app (`create_app` over `build_runtime`: Redis sessions and intake, SQLite, the
Telegram channel against the stub Bot API) is called as an ASGI app, without uvicorn or a
socket in front, with bench/_traffic.py's users (the same scripts as bench/webhook.py's cost
phase), COST_CONCURRENCY at a time. The load generator and the stub run in the same process
and are counted too: compare two checkouts' figures, never one with bench/webhook.py's.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python -m bench._cost   # then: the "totals:" of /tmp/cg.out / updates
    .venv/bin/python -m bench._cost      # process time per update only

Instrumentation is switched on (callgrind_control) for the measured users only, after a
warm-up: start-up, imports and the calibration are not counted.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from fastapi import FastAPI

from bench._loopback import BotApiStub
from bench._servers import redis_url
from bench._traffic import Traffic, calibrate
from bench.intake import SECRET, settings
from bench.webhook import COST_CONCURRENCY, Load
from bot.runtime import build_runtime
from bot.web.app import create_app
from bot.web.webhooks.telegram import SECRET_HEADER
from tests.telegram_emulator.harness import clear_namespace

USERS = int(os.environ.get("BENCH_COST_USERS", "40"))
WARMUP_USERS = 8


class AsgiPool:
    """Posts update JSON straight into the app (what bench/_loopback.py's Pool does on TCP)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.headers = [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (SECRET_HEADER.lower().encode(), SECRET.encode()),
        ]

    async def post(self, body: bytes) -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/telegram/webhook",
            "raw_path": b"/telegram/webhook",
            "root_path": "",
            "query_string": b"",
            "headers": [*self.headers, (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 80),
        }
        sent = False
        status = 0

        async def receive() -> dict[str, object]:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, object]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])  # type: ignore[call-overload]

        await self.app(scope, receive, send)
        return status

    def close(self) -> None:
        return None


def _callgrind(switch: str) -> None:
    """Instrumentation on or off when running under callgrind (else nothing)."""
    if not _under_valgrind():
        return
    subprocess.run(
        ["callgrind_control", "-i", switch, str(os.getpid())], check=False, capture_output=True
    )


def _under_valgrind() -> bool:
    maps = Path(f"/proc/{os.getpid()}/maps").read_text()
    return "vgpreload" in maps


async def measure(tmp: Path) -> None:
    calibration = await calibrate()
    namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
    stub = BotApiStub(lambda _chat, _at: None)
    await stub.start()
    config = settings(tmp, namespace, stub)
    runtime = await build_runtime(config)
    app = create_app(config, runtime)
    traffic = Traffic(calibration, seed=8)
    load = Load(traffic, lambda step: step[2])
    stub.on_send = load.on_send
    stub.on_screen = traffic.screens.saw
    load.pool = AsgiPool(app)  # type: ignore[assignment]
    warmup = [traffic.new_user() for _ in range(WARMUP_USERS)]
    users = [traffic.new_user() for _ in range(USERS)]
    try:
        async with app.router.lifespan_context(app):
            await load.scripts(warmup, COST_CONCURRENCY)
            before = load.answered
            _callgrind("on")
            started = time.process_time()
            await load.scripts(users, COST_CONCURRENCY)
            cpu = time.process_time() - started
            _callgrind("off")
            count = load.answered - before
    finally:
        await runtime.close()
        await stub.stop()
        clear_namespace(redis_url(), namespace)
    print(f"updates: {count}, process CPU ms/update: {cpu * 1000 / count:.3f}")
    calls = {m: round(n / count, 3) for m, n in sorted(stub.calls.items())}
    print(f"Bot API calls/update: {calls}", file=sys.stderr)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    main()
