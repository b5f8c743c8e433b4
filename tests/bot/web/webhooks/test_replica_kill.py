"""Two `gratibot serve` replicas, one killed with SIGKILL while it holds a queue of updates.

Real processes, real Redis, a shared database; the chat APIs are stubs on loopback that count
what each user receives. Thirty users send five messages each (150 updates): half of the users
talk to replica A, half to replica B. A's calls to the chat API are held in flight (a proxy
that stops passing bytes), so A takes its updates, saves the first turn of each of its users
and is killed while those replies are on their way; its other updates wait in its queue.
Every update must then be answered exactly once, by B: the saved turns' replies (A never got
them out), and the turns A never started.

What this cannot test is the moment between a reply's arrival at the chat API and the Redis
write that marks its update done (a fraction of a millisecond): a kill there repeats that one
reply, since neither API takes an idempotency key (README, "Durable intake").
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as sync_redis

from handlers import texts
from tests.bot.channels.telegram.stub import TOKEN, BotApiStub, running_stub
from tests.conftest import free_port
from tests.tcp_proxy import HangingProxy, hanging_proxy
from tests.telegram_emulator.harness import BotProcess, bot_env, clear_namespace
from tests.telegram_emulator.proxy import SECRET_HEADER
from tests.whatsapp_stub import APP_SECRET, PHONE_ID, VERIFY_TOKEN, GraphStub, run_graph_stub, sign
from tests.whatsapp_stub import TOKEN as WA_TOKEN

pytestmark = pytest.mark.e2e

USERS = 30
PER_USER = 5
SECRET = "kill-test-secret"
# Short for the test; the claim timeout is past the lock timeout, so a dead replica's
# conversation locks have expired when its updates are taken over.
SETTINGS = {
    "INTAKE_CLAIM_SECONDS": "5",
    "LOCK_TIMEOUT_SECONDS": "3",
    "TELEGRAM_SEND_RATE": "0",
    "TELEGRAM_CHAT_RATE": "0",
    "TELEGRAM_GROUP_RATE_PER_MINUTE": "0",
}
# How long to wait for something before giving up (a guard against hanging, not a speed check).
PATIENCE = 90.0


async def settle(check: Callable[[], bool], patience: float = PATIENCE) -> bool:
    """Waits until check() holds; False when it still does not after `patience` seconds."""
    deadline = asyncio.get_running_loop().time() + patience
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def healthy(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            return (await client.get(f"{url}/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Replica:
    process: BotProcess
    url: str


async def start(name: str, env: dict[str, str], var: Path) -> Replica:
    port = free_port()
    process = BotProcess(["serve", "--host", "127.0.0.1", "--port", str(port)], env, var, name)
    process.start()
    url = f"http://127.0.0.1:{port}"
    deadline = asyncio.get_running_loop().time() + PATIENCE
    while not await healthy(url):
        assert process.alive(), process.output
        assert asyncio.get_running_loop().time() < deadline, process.output
        await asyncio.sleep(0.2)
    return Replica(process, url)


async def stop(replica: Replica) -> None:
    """Stops a replica without blocking the loop the stubs it talks to run in."""
    proc = replica.process.proc
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    if not await settle(lambda: proc.poll() is not None, 15):
        proc.kill()
        proc.wait(5)


@asynccontextmanager
async def pair(
    env: dict[str, str], held_env: dict[str, str], var: Path
) -> AsyncIterator[tuple[Replica, Replica]]:
    """Replica A (its chat API calls through `held_env`'s proxy) and replica B, started one
    after the other (both migrate the database at start)."""
    a = await start("replica-a", {**env, **held_env}, var)
    b = await start("replica-b", env, var)
    try:
        yield a, b
    finally:
        for replica in (a, b):
            await stop(replica)


def base_env(redis_url: str, pg_database: str | None, var: Path, namespace: str) -> dict[str, str]:
    return {
        **bot_env(
            token=TOKEN,
            api_base_url="http://127.0.0.1:1/bot",  # replaced per test
            redis_url=redis_url,
            namespace=namespace,
            database_url=pg_database or f"sqlite:///{var / 'bot.db'}",
            var=var / "var",
        ),
        **SETTINGS,
    }


def count_keys(redis_url: str, pattern: str) -> int:
    client = sync_redis.Redis.from_url(redis_url)
    try:
        return sum(1 for _ in client.scan_iter(pattern, count=1000))
    finally:
        client.close()


def stream_length(redis_url: str, key: str) -> int:
    client = sync_redis.Redis.from_url(redis_url)
    try:
        return int(client.xlen(key)) if client.exists(key) else 0
    finally:
        client.close()


def kill(replica: Replica) -> None:
    assert replica.process.proc is not None
    replica.process.proc.send_signal(signal.SIGKILL)
    replica.process.proc.wait(10)


def verdict(received: Counter[str], users: list[str]) -> str:
    answered = sum(min(received[u], PER_USER) for u in users)
    repeated = sum(max(received[u] - PER_USER, 0) for u in users)
    return f"{answered} of {USERS * PER_USER} answered, {repeated} answered twice"


async def run_scenario(
    *,
    redis_url: str,
    namespace: str,
    channel: str,
    a: Replica,
    b: Replica,
    proxy: HangingProxy,
    users: list[str],
    deliver: Callable[[Replica, str, int], Awaitable[None]],
    received: Callable[[], Counter[str]],
    after_kill: Callable[[list[str]], Awaitable[None]] | None = None,
) -> None:
    """Both halves of the users talk to their replica; A is killed holding its queue."""
    a_users, b_users = users[: USERS // 2], users[USERS // 2 :]
    # B's users first, one message each per round, each round answered before the next.
    for round_ in range(PER_USER):
        for user in b_users:
            await deliver(b, user, round_)
        assert await settle(lambda r=round_: all(received()[u] > r for u in b_users)), verdict(
            received(), users
        )
    # A's users: their calls to the chat API are held from now on.
    proxy.hang()
    for round_ in range(PER_USER):
        for user in a_users:
            await deliver(a, user, round_)
    # A has saved its first turn for each of its users (sessions of all 30 users exist) and
    # is sending those replies; the rest of its updates wait behind them.
    assert await settle(lambda: count_keys(redis_url, f"{namespace}:session:{channel}:*") >= USERS)
    kill(a)
    assert received().total() == len(b_users) * PER_USER, "A's replies got out after all"
    if after_kill is not None:
        await after_kill(a_users)
    await settle(lambda: all(received()[u] >= PER_USER for u in a_users))
    # Everything A held was taken over and handled: nothing is left in the stream.
    await settle(lambda: stream_length(redis_url, f"{namespace}:intake:{channel}") == 0)
    counts = received()
    assert all(counts[u] == PER_USER for u in users), verdict(counts, users)
    assert "took over" in b.process.output


async def test_telegram_updates_of_a_killed_replica_are_answered_once_by_the_survivor(
    redis_url: str, pg_database: str | None, tmp_path: Path
) -> None:
    namespace = f"gt-test-{uuid.uuid4().hex[:12]}"
    chats = [str(10**9 + uuid.uuid4().int % 10**8) for _ in range(USERS)]
    stub: BotApiStub
    async with running_stub() as stub, hanging_proxy("127.0.0.1", stub.port) as proxy:
        env = {
            **base_env(redis_url, pg_database, tmp_path, namespace),
            "TELEGRAM_API_BASE_URL": stub.base_url,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        }
        held = {"TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{proxy.port}/bot"}
        update_ids = iter(range(10**8, 10**9))
        async with pair(env, held, tmp_path) as (a, b), httpx.AsyncClient(timeout=10) as client:

            async def deliver(replica: Replica, chat: str, _round: int) -> None:
                person = {"id": int(chat), "is_bot": False, "first_name": "Sari"}
                update = {
                    "update_id": next(update_ids),
                    "message": {
                        "message_id": next(update_ids),
                        "date": 1764640000,
                        "chat": {"id": int(chat), "type": "private", "first_name": "Sari"},
                        "from": person,
                        "text": "/bantuan",
                        "entities": [{"offset": 0, "length": 8, "type": "bot_command"}],
                    },
                }
                response = await client.post(
                    f"{replica.url}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
                )
                assert response.status_code == 200

            def received() -> Counter[str]:
                counted = Counter(
                    str(call.params.get("chat_id"))
                    for call in stub.sent("sendMessage")
                    if str(call.params.get("text", "")).startswith(texts.HELP[:20])
                )
                return Counter({chat: counted[chat] for chat in chats})

            try:
                await run_scenario(
                    redis_url=redis_url,
                    namespace=namespace,
                    channel="telegram",
                    a=a,
                    b=b,
                    proxy=proxy,
                    users=chats,
                    deliver=deliver,
                    received=received,
                )
            finally:
                proxy.resume()
    clear_namespace(redis_url, namespace)


async def test_whatsapp_messages_of_a_killed_replica_are_answered_once_by_the_survivor(
    redis_url: str, pg_database: str | None, tmp_path: Path
) -> None:
    """As for Telegram, and Meta also delivers A's messages again to B (A answered 200, but
    Meta retries what it is not sure of): the redeliveries are handled, never dropped as seen,
    and never answered a second time."""
    namespace = f"gt-test-{uuid.uuid4().hex[:12]}"
    numbers = [f"62812{uuid.uuid4().int % 10**8:08d}" for _ in range(USERS)]
    graph: GraphStub
    async with run_graph_stub() as graph, hanging_proxy("127.0.0.1", graph.port) as proxy:
        env = {
            **base_env(redis_url, pg_database, tmp_path, namespace),
            "WHATSAPP_TOKEN": WA_TOKEN,
            "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
            "WHATSAPP_APP_SECRET": APP_SECRET,
            "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
            "WHATSAPP_API_BASE_URL": graph.base_url,
        }
        env.pop("TELEGRAM_BOT_TOKEN")
        held = {"WHATSAPP_API_BASE_URL": graph.base_url.replace(str(graph.port), str(proxy.port))}
        sent_bodies: dict[tuple[str, int], bytes] = {}
        async with pair(env, held, tmp_path) as (a, b), httpx.AsyncClient(timeout=10) as client:

            async def post(replica: Replica, body: bytes) -> None:
                headers = {"content-type": "application/json", "x-hub-signature-256": sign(body)}
                response = await client.post(
                    f"{replica.url}/whatsapp/webhook", content=body, headers=headers
                )
                assert response.status_code == 200

            async def deliver(replica: Replica, number: str, round_: int) -> None:
                body = json.dumps(delivery(number, f"wamid.{uuid.uuid4().hex}")).encode()
                sent_bodies[number, round_] = body
                await post(replica, body)

            async def redeliver(a_users: list[str]) -> None:
                # Once the dead replica's conversation locks expired (it cannot release
                # them), Meta's retries of its messages reach B, round by round.
                assert await settle(lambda: count_keys(redis_url, f"{namespace}:lock:*") == 0)
                for round_ in range(PER_USER):
                    for number in a_users:
                        await post(b, sent_bodies[number, round_])
                    await settle(lambda r=round_: all(received()[u] > r for u in a_users))

            def received() -> Counter[str]:
                counted = Counter(
                    str(m.get("to"))
                    for m in graph.sent
                    if "Panduan singkat" in json.dumps(m, ensure_ascii=False)
                )
                return Counter({number: counted[number] for number in numbers})

            try:
                await run_scenario(
                    redis_url=redis_url,
                    namespace=namespace,
                    channel="whatsapp",
                    a=a,
                    b=b,
                    proxy=proxy,
                    users=numbers,
                    deliver=deliver,
                    received=received,
                    after_kill=redeliver,
                )
            finally:
                proxy.resume()
    clear_namespace(redis_url, namespace)


def delivery(number: str, wamid: str) -> dict[str, Any]:
    """One text message from a user, as Meta posts it."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": PHONE_ID,
                            },
                            "contacts": [{"profile": {"name": "Sari"}, "wa_id": number}],
                            "messages": [
                                {
                                    "from": number,
                                    "id": wamid,
                                    # now: a message past the 24-hour window gets no reply
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": "/bantuan"},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
