"""What the durable intake adds to a webhook's answer: the stream write before the 200.

The real app (`create_app` over `build_runtime`, the Telegram channel against a stub Bot API,
real Redis) answers POST /telegram/webhook twice over, with the same code but for the intake:
once with the Redis intake (the update stored in the stream, encrypted, before the answer),
once with the embedded one (the update only in memory: what every webhook did before). The
requests alternate between the two, so the machine's load hits both alike; each update is
handled in the background as in production, and the next request comes once it was:
while the webhook awaits Redis the event loop runs whatever else is ready, so with turns in
flight its answer also waits for their share of the loop, as any request's does. Timed is
POST -> 200 in-process (no network in between), a bare PING in the same rhythm, and, back to
back, the intake's calls (accept: XADD and XREADGROUP in one script; done: XACK and XDEL)
beside a PING.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis.asyncio as aioredis
from cryptography.fernet import Fernet
from fastapi import FastAPI

from bench._loopback import BotApiStub
from bench._servers import redis_url
from bench._traffic import KNOWLEDGE
from bench.webhook import pct
from bot.config import Settings
from bot.crypto import Cipher
from bot.intake import Entry, LocalIntake, RedisIntake
from bot.runtime import build_runtime
from bot.sessions import SessionStore
from bot.web.app import create_app
from bot.web.webhooks.telegram import SECRET_HEADER
from tests.telegram_emulator.harness import clear_namespace

REQUESTS = 400  # per row
# After the previous update was handled (in the background), before the next request: the
# answer's time is the webhook's own work, not a turn's share of the event loop.
PAUSE = 0.005
SECRET = "bench-intake-secret"
TEXTS = [
    "/start",
    "apa itu gratifikasi?",
    "saya dapat parsel lebaran dari rekanan, apakah wajib lapor?",
    "kalau honor narasumber di instansi lain bagaimana",
    "batas waktu lapor berapa hari kerja",
]


def update(user: int, number: int) -> bytes:
    text = TEXTS[number % len(TEXTS)]
    chat = {"id": user, "type": "private", "first_name": "Sari"}
    message = {
        "message_id": number,
        "date": int(time.time()),
        "chat": chat,
        "from": {"id": user, "is_bot": False, "first_name": "Sari", "language_code": "id"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"offset": 0, "length": len(text), "type": "bot_command"}]
    return json.dumps({"update_id": 10**8 + number, "message": message}).encode()


class PausingIntake(LocalIntake):
    """The in-memory intake with one await as long as a quick Redis round trip: the control
    row, for what suspending the webhook once costs on this machine, Redis aside."""

    async def accept(self, kind: str, body: str) -> Entry:
        await asyncio.sleep(0.0003)
        return await super().accept(kind, body)


def settings(tmp: Path, namespace: str, stub: BotApiStub) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp,
        knowledge_dir=KNOWLEDGE,
        redis_url=redis_url(),
        redis_namespace=namespace,
        flood_max_messages=10_000,
        telegram_bot_token="999002:bench-token",
        telegram_api_base_url=stub.base_url,
        telegram_webhook_secret=SECRET,
        telegram_send_rate=0,
        telegram_chat_rate=0,
        data_encryption_key=Fernet.generate_key().decode(),
        embedded_worker=False,
    )


async def webhook_rows(tmp: Path, namespace: str) -> dict[str, list[float]]:
    stub = BotApiStub(lambda _chat, _at: None)
    await stub.start()
    config = settings(tmp, namespace, stub)
    durable = await build_runtime(config)
    in_memory = await build_runtime(config)
    in_memory.intake = LocalIntake()
    pausing = await build_runtime(config)
    pausing.intake = PausingIntake()
    rows: dict[str, list[float]] = {
        "stored in the intake": [],
        "in memory (before)": [],
        "in memory, one await": [],
        "PING between requests": [],
    }
    apps = [(create_app(config, durable), rows["stored in the intake"], 7_100_000)]
    apps.append((create_app(config, in_memory), rows["in memory (before)"], 7_200_000))
    apps.append((create_app(config, pausing), rows["in memory, one await"], 7_300_000))
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = []
            for app, _samples, _base in apps:
                await stack.enter_async_context(app.router.lifespan_context(app))
                transport = httpx.ASGITransport(app=app)
                client = httpx.AsyncClient(transport=transport, base_url="http://bench")
                clients.append(await stack.enter_async_context(client))
            await post_all(apps, clients, durable.store, rows["PING between requests"])
    finally:
        for runtime in (durable, in_memory, pausing):
            await runtime.close()
        await stub.stop()
    return rows


async def handled(app: FastAPI) -> None:
    """Waits until the app has handled every update it took (and dropped it from the intake)."""
    feed = app.state.telegram
    intake = app.state.runtime.intake
    while feed._tasks or intake._tasks:  # noqa: ASYNC110 (tasks of two owners)
        await asyncio.sleep(0.001)
    await asyncio.sleep(PAUSE)


async def post_all(
    apps: list[tuple[FastAPI, list[float], int]],
    clients: list[httpx.AsyncClient],
    store: SessionStore,
    pings: list[float],
) -> None:
    """The requests, alternating between the apps, each timed POST -> 200; after each pair a
    bare Redis round trip, timed in the same conditions (a process that was idle a moment:
    on a loaded machine Redis and the bot wait to be scheduled again)."""
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    for number in range(REQUESTS * len(apps)):
        which = number % len(apps)
        _app, samples, base = apps[which]
        body = update(base + number % 40, number)
        started = time.perf_counter()
        response = await clients[which].post("/telegram/webhook", content=body, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        await handled(_app)
        if which == 1:
            started = time.perf_counter()
            await store.ping()
            pings.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(PAUSE)


async def call_rows(namespace: str) -> dict[str, list[float]]:
    client = aioredis.Redis.from_url(redis_url())
    intake = RedisIntake(client, namespace=namespace, cipher=Cipher(Fernet.generate_key()))
    body = update(7_300_000, 1).decode()
    rows: dict[str, list[float]] = {"PING": [], "accept": [], "done": []}
    try:
        for _ in range(REQUESTS):
            started = time.perf_counter()
            await client.ping()
            rows["PING"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            entry = await intake.accept("bench", body)
            rows["accept"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            await intake.done(entry)
            rows["done"].append((time.perf_counter() - started) * 1000)
    finally:
        await client.aclose()
    return rows


async def measure(tmp: Path) -> str:
    namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
    try:
        calls = await call_rows(namespace)
        hooks = await webhook_rows(tmp, namespace)
    finally:
        clear_namespace(redis_url(), namespace)
    lines = [
        "## Durable intake: what storing the update adds to the webhook's answer",
        "",
        f"`bench/intake.py`: {REQUESTS} requests per row, alternating, real Redis, in-process "
        "ASGI (no network); milliseconds.",
        "",
        "| what | p50 | p90 | p99 | mean |",
        "|---|---|---|---|---|",
    ]
    labelled = [
        (
            "Telegram webhook POST -> 200, update stored in the intake",
            hooks["stored in the intake"],
        ),
        (
            "Telegram webhook POST -> 200, update in memory only (before)",
            hooks["in memory (before)"],
        ),
        (
            "control: in memory, with one 0.3 ms await instead of Redis",
            hooks["in memory, one await"],
        ),
        ("Redis PING, between those requests (one round trip)", hooks["PING between requests"]),
        ("Redis PING, back to back", calls["PING"]),
        ("intake accept, back to back: XADD + XREADGROUP script, Fernet", calls["accept"]),
        ("intake done, back to back: XACK + XDEL (after handling)", calls["done"]),
    ]
    for label, samples in labelled:
        lines.append(
            f"| {label} | {pct(samples, 0.5):.2f} | {pct(samples, 0.9):.2f} | "
            f"{pct(samples, 0.99):.2f} | {statistics.fmean(samples):.2f} |"
        )
        print(f"{label}: p50 {pct(samples, 0.5):.2f} ms, p99 {pct(samples, 0.99):.2f} ms")
    added = pct(hooks["stored in the intake"], 0.5) - pct(hooks["in memory (before)"], 0.5)
    lines += ["", f"Added to the webhook's median answer: {added:.2f} ms.", ""]
    return "\n".join(lines)


def run() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    print(run())
