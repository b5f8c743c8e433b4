"""The durable intake on a real Redis: stored before the answer, held, taken over, dropped."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from cryptography.fernet import Fernet

from bot.crypto import Cipher
from bot.intake import GROUP, MAX_DELIVERIES, Entry, IntakeFull, LocalIntake, RedisIntake
from tests.conftest import free_port

UPDATE = '{"update_id": 901, "message": {"text": "NIK saya 3201234567890001"}}'


@pytest.fixture
async def client(redis_url: str, namespace: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    keys = [k async for k in client.scan_iter(f"{namespace}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


@pytest.fixture
def cipher() -> Cipher:
    return Cipher(Fernet.generate_key())


def replica(
    client: aioredis.Redis, namespace: str, cipher: Cipher, name: str, **options: float
) -> RedisIntake:
    return RedisIntake(client, namespace=namespace, cipher=cipher, consumer=name, **options)


async def pending(client: aioredis.Redis, stream: str) -> list[dict[str, object]]:
    rows = await client.xpending_range(stream, GROUP, "-", "+", 100)
    return list(rows)


async def test_an_update_is_stored_encrypted_and_held_until_it_was_handled(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    intake = replica(client, namespace, cipher, "a")
    entry = await intake.accept("telegram", UPDATE)
    stream = intake.stream_key("telegram")
    assert entry.body == UPDATE
    ((entry_id, fields),) = await client.xrange(stream)
    assert entry_id.decode() == entry.id
    assert b"3201234567890001" not in fields[b"b"]
    assert cipher.decrypt(fields[b"b"].decode()) == UPDATE
    (held,) = await pending(client, stream)
    assert held["consumer"] == b"a" and held["message_id"].decode() == entry.id
    await intake.done(entry)
    assert await client.xlen(stream) == 0
    assert await pending(client, stream) == []


async def test_the_updates_of_a_stopped_process_are_taken_over_after_the_claim_timeout(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    stopped = replica(client, namespace, cipher, "stopped")
    bodies = [f'{{"update_id": {n}}}' for n in range(3)]
    for body in bodies:
        await stopped.accept("whatsapp", body)
    # Within the claim timeout nobody takes them.
    patient = replica(client, namespace, cipher, "patient", claim_seconds=30)
    assert await patient.take_over("whatsapp") == []
    await asyncio.sleep(0.1)
    survivor = replica(client, namespace, cipher, "survivor", claim_seconds=0.05)
    taken = await survivor.take_over("whatsapp")
    assert [e.body for e in taken] == bodies  # oldest first
    owners = {row["consumer"] for row in await pending(client, survivor.stream_key("whatsapp"))}
    assert owners == {b"survivor"}
    for entry in taken:
        await survivor.done(entry)
    assert await client.xlen(survivor.stream_key("whatsapp")) == 0


async def test_a_live_process_refreshes_what_it_holds_and_never_takes_back_a_taken_entry(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    live = replica(client, namespace, cipher, "live", claim_seconds=30)
    kept = await live.accept("telegram", '{"update_id": 1}')
    lost = await live.accept("telegram", '{"update_id": 2}')
    stream = live.stream_key("telegram")
    await asyncio.sleep(0.2)
    other = replica(client, namespace, cipher, "other", claim_seconds=0.1)
    # The other process takes one entry over (as if this one had been frozen for a while).
    await client.xclaim(stream, GROUP, "other", 0, [lost.id], justid=True)
    before = {
        row["message_id"]: row["time_since_delivered"] for row in await pending(client, stream)
    }
    await live.keep_alive("telegram")
    rows = {row["message_id"]: row for row in await pending(client, stream)}
    assert rows[kept.id.encode()]["consumer"] == b"live"
    assert rows[kept.id.encode()]["time_since_delivered"] < before[kept.id.encode()]
    assert rows[lost.id.encode()]["consumer"] == b"other"
    del other


async def test_a_full_stream_refuses_until_an_update_was_handled(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    intake = replica(client, namespace, cipher, "a", max_length=2)
    first = await intake.accept("telegram", "{}")
    await intake.accept("telegram", "{}")
    with pytest.raises(IntakeFull):
        await intake.accept("telegram", "{}")
    await intake.done(first)
    await intake.accept("telegram", "{}")


async def test_an_update_that_stops_every_process_is_given_up(
    client: aioredis.Redis, namespace: str, cipher: Cipher, caplog: pytest.LogCaptureFixture
) -> None:
    await replica(client, namespace, cipher, "first").accept("telegram", '{"update_id": 66}')
    for round_ in range(MAX_DELIVERIES + 1):
        await asyncio.sleep(0.01)
        taker = replica(client, namespace, cipher, f"taker{round_}", claim_seconds=0.005)
        taken = await taker.take_over("telegram")
        if round_ < MAX_DELIVERIES - 1:
            assert len(taken) == 1
    assert taken == []
    assert await client.xlen(taker.stream_key("telegram")) == 0
    assert any("gave up" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


async def test_handle_marks_done_after_the_handler_even_when_it_failed(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    intake = replica(client, namespace, cipher, "a")
    stream = intake.stream_key("telegram")

    async def fails(_entry: Entry) -> None:
        raise ValueError("a bug in a flow: handling it again would fail again")

    await intake.handle(await intake.accept("telegram", "{}"), fails)
    assert await client.xlen(stream) == 0

    async def stopped(_entry: Entry) -> None:
        raise asyncio.CancelledError  # shutdown: not handled, stays for another process

    with pytest.raises(asyncio.CancelledError):
        await intake.handle(await intake.accept("telegram", "{}"), stopped)
    assert await client.xlen(stream) == 1


async def test_a_live_replica_consumes_what_a_stopped_one_held(
    client: aioredis.Redis, namespace: str, cipher: Cipher
) -> None:
    await replica(client, namespace, cipher, "stopped").accept("whatsapp", '{"n": 1}')
    survivor = replica(client, namespace, cipher, "survivor", claim_seconds=0.1)
    handled = asyncio.Event()
    bodies: list[str] = []

    async def handler(entry: Entry) -> None:
        bodies.append(entry.body)
        handled.set()

    survivor.consume("whatsapp", handler)
    try:
        await asyncio.wait_for(handled.wait(), 30)  # a hang guard, not a speed check
    finally:
        await survivor.close()
    assert bodies == ['{"n": 1}']
    assert await client.xlen(survivor.stream_key("whatsapp")) == 0


async def test_the_embedded_intake_keeps_nothing() -> None:
    intake = LocalIntake()
    assert not intake.durable
    entry = await intake.accept("telegram", "{}")
    await intake.done(entry)
    assert entry.body == "{}"


async def test_updates_handled_together_are_dropped_together_and_kept_while_redis_is_away(
    client: aioredis.Redis, namespace: str, cipher: Cipher, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = replica(client, namespace, cipher, "a")
    stream = intake.stream_key("telegram")
    entries = [await intake.accept("telegram", UPDATE) for _ in range(12)]
    executed: list[int] = []
    execute = aioredis.client.Pipeline.execute

    async def counted(pipe: aioredis.client.Pipeline, *args: object, **kwargs: object) -> object:
        executed.append(len(pipe.command_stack))
        return await execute(pipe, *args, **kwargs)

    monkeypatch.setattr(aioredis.client.Pipeline, "execute", counted)
    # Eight handled in the same moment: one XACK + XDEL for all of them.
    await asyncio.gather(*(intake.done(entry) for entry in entries[:8]))
    assert executed == [2]
    assert await client.xlen(stream) == 4
    assert {row["message_id"].decode() for row in await pending(client, stream)} == {
        e.id for e in entries[8:]
    }

    # Redis away (a port nobody listens on): kept, and dropped by the next refresh.
    intake.redis = aioredis.Redis(port=free_port(), socket_connect_timeout=0.5)
    await asyncio.gather(*(intake.done(entry) for entry in entries[8:]))
    await intake.redis.aclose()
    assert await client.xlen(stream) == 4  # still stored, and still this process's
    intake.redis = client
    await intake.keep_alive("telegram")
    assert await client.xlen(stream) == 0
    assert await pending(client, stream) == []
