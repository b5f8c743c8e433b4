"""Redis cost of a conversation: round trips and database statements per Telegram update,
bytes per stored session.

The real Telegram channel (bot/channels/telegram.py) handles realistic updates in-process
against the real Redis (TEST_REDIS_URL) and a stub Bot API; every command or pipeline the
redis-py connection writes is one round trip, every statement SQLAlchemy sends to the
database (SQLite here) is counted as it goes. The session is read back after half a
declaration (personal data typed, giver and gift not yet), as stored: with the runtime's cipher
when the store encrypts sessions at rest.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from cryptography.fernet import Fernet
from sqlalchemy import event
from telegram import Update

from bench._loopback import BotApiStub
from bench._servers import redis_url
from bench._traffic import KNOWLEDGE, Calibration, Traffic, calibrate, labelled
from bot.config import Settings
from bot.crypto import cipher_from_settings
from bot.runtime import build_runtime
from bot.sessions import RedisSessionStore
from tests.telegram_emulator.harness import clear_namespace

USERS = 20


class CountingConnection(aioredis.Connection):
    """A redis-py connection that counts what it writes: one write, one round trip."""

    writes = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.writes += 1
        await super().send_packed_command(command, check_health)


def _store(settings: Settings, namespace: str) -> RedisSessionStore:
    client = aioredis.Redis.from_url(
        redis_url(), connection_class=CountingConnection, socket_timeout=5
    )
    # As bot/runtime.py store_from_settings builds it, on a counting connection.
    return RedisSessionStore(
        client,
        namespace=namespace,
        ttl_seconds=settings.session_ttl_seconds,
        lock_timeout=settings.lock_timeout_seconds,
        lock_wait=settings.lock_timeout_seconds,
        cipher=cipher_from_settings(settings),
    )


async def measure(tmp: Path) -> str:
    calibration: Calibration = await calibrate()
    namespace = f"gratibot-bench-{uuid.uuid4().hex[:8]}"
    stub = BotApiStub(lambda _chat, _at: None)
    await stub.start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        var_dir=tmp,
        knowledge_dir=KNOWLEDGE,
        redis_url=redis_url(),
        redis_namespace=namespace,
        flood_max_messages=10_000,
        telegram_bot_token="999001:bench-token",
        telegram_api_base_url=stub.base_url,
        telegram_send_rate=0,
        data_encryption_key=Fernet.generate_key().decode(),
        embedded_worker=False,
    )
    store = _store(settings, namespace)
    runtime = await build_runtime(settings, store=store)
    channel = runtime.telegram
    assert channel is not None
    statements = [0]

    def counted(*_args: object) -> None:
        statements[0] += 1

    event.listen(runtime.db.engine.sync_engine, "before_cursor_execute", counted)
    bot = channel.bot
    traffic = Traffic(calibration)
    stub.on_screen = traffic.screens.saw
    trips: dict[str, list[int]] = defaultdict(list)
    calls: dict[str, list[int]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)
    half = len(calibration.declaration) // 2
    sizes: list[tuple[int, int]] = []
    try:
        for number in range(USERS):
            user = 8_000_000 + number
            question = calibration.questions[number % len(calibration.questions)]
            steps = [*calibration.opening, question, *calibration.declaration[:half]]
            for kind, step in labelled(steps):
                before_calls = sum(stub.calls.values())
                before = CountingConnection.writes
                before_queries = statements[0]
                update = Update.de_json(json.loads(traffic.update(user, step)), bot)
                await channel.handle_update(update)
                trips[kind].append(CountingConnection.writes - before)
                calls[kind].append(sum(stub.calls.values()) - before_calls)
                queries[kind].append(statements[0] - before_queries)
            raw = await store.redis.get(f"{namespace}:session:telegram:{user}")
            session = await store.load(f"telegram:{user}")
            assert session is not None and raw is not None
            sizes.append((len(session.dumps().encode()), len(raw)))
    finally:
        await runtime.close()
        await stub.stop()
        clear_namespace(redis_url(), namespace)
    return report(trips, calls, queries, sizes, store)


def report(
    trips: dict[str, list[int]],
    calls: dict[str, list[int]],
    queries: dict[str, list[int]],
    sizes: list[tuple[int, int]],
    store: RedisSessionStore,
) -> str:
    encrypted = getattr(store, "cipher", None) is not None
    lines = [
        "## Redis cost per conversation",
        "",
        f"{USERS} users, each: /start, the Bantuan button, a FAQ question, then half a "
        "declaration, through the real Telegram channel in-process (real Redis, stub Bot API). "
        "A round trip is one write by the redis-py connection (a command, a pipeline or a "
        "Lua script).",
        "",
        "| update | count | Redis round trips (median) | min | max | database statements "
        "(mean) | Bot API calls (median) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, values in sorted(trips.items()):
        lines.append(
            f"| {kind} | {len(values)} | {statistics.median(values):g} | {min(values)} | "
            f"{max(values)} | {statistics.mean(queries[kind]):.2f} | "
            f"{statistics.median(calls[kind]):g} |"
        )
        print(
            f"   {kind}: {statistics.median(values):g} round trips, "
            f"{statistics.mean(queries[kind]):.2f} statements",
            flush=True,
        )
    plain = statistics.median(s[0] for s in sizes)
    stored = statistics.median(s[1] for s in sizes)
    print(f"   session after half a declaration: {plain:.0f} B JSON, {stored:.0f} B stored")
    lines += [
        "",
        f"Session after half a declaration: {plain:.0f} bytes of JSON, {stored:.0f} bytes "
        f"stored in Redis ({'Fernet-encrypted at rest' if encrypted else 'plain JSON'}); "
        "aim < 2 KB.",
        "",
    ]
    return "\n".join(lines)


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="gratibot-bench-") as tmp:
        return asyncio.run(measure(Path(tmp)))


if __name__ == "__main__":
    print(run())
