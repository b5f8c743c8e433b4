"""One suite for both session stores (memory and a real Redis)."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from bot.sessions import LockLost, LockTimeout, MemorySessionStore, RedisSessionStore, SessionStore
from handlers.session import Session


@pytest.fixture
def store(any_store: SessionStore) -> SessionStore:
    """Every test here runs on both store implementations (the store contract)."""
    return any_store


async def test_new_conversation_has_no_session(store: SessionStore) -> None:
    async with store.conversation("test:1") as conv:
        assert conv.session is None


async def test_saved_session_is_loaded_next_time(store: SessionStore) -> None:
    async with store.conversation("test:1") as conv:
        conv.save(Session(flow="lapor", state="value", data={"value": 1500000}))
    async with store.conversation("test:1") as conv:
        assert conv.session is not None
        assert conv.session.flow == "lapor"
        assert conv.session.data == {"value": 1500000}
    assert (await store.load("test:1")) == conv.session


async def test_conversations_are_separate(store: SessionStore) -> None:
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="a"))
    async with store.conversation("test:2") as conv:
        assert conv.session is None


async def test_failed_step_keeps_the_previous_session(store: SessionStore) -> None:
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="before"))
    with pytest.raises(RuntimeError):
        async with store.conversation("test:1") as conv:
            conv.save(Session(state="half-done"))
            raise RuntimeError("crash between steps")
    async with store.conversation("test:1") as conv:
        assert conv.session is not None and conv.session.state == "before"


async def test_delete_removes_the_session(store: SessionStore) -> None:
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="x"))
    async with store.conversation("test:1") as conv:
        conv.delete()
    assert await store.load("test:1") is None


async def test_lock_serialises_concurrent_updates(store: SessionStore) -> None:
    """Fifty concurrent increments of one conversation: none is lost."""

    async def increment() -> None:
        async with store.conversation("test:race") as conv:
            session = conv.session or Session()
            current = session.data.get("n", 0)
            await asyncio.sleep(0.001)  # give the other tasks a chance to interleave
            session.data["n"] = current + 1
            conv.save(session)

    await asyncio.gather(*(increment() for _ in range(50)))
    loaded = await store.load("test:race")
    assert loaded is not None and loaded.data["n"] == 50


async def test_lock_wait_times_out(store: SessionStore) -> None:
    store.lock_wait = 0.2
    async with store.conversation("test:1"):
        with pytest.raises(LockTimeout):
            async with store.conversation("test:1"):
                pass


async def test_first_seen_is_true_once(store: SessionStore) -> None:
    assert await store.first_seen("tg-update", "42", 60) is True
    assert await store.first_seen("tg-update", "42", 60) is False
    assert await store.first_seen("tg-update", "43", 60) is True


async def test_hit_counts_within_a_window(store: SessionStore) -> None:
    assert [await store.hit("flood", "u", 60) for _ in range(3)] == [1, 2, 3]
    assert await store.hit("flood", "other", 60) == 1


async def test_memory_session_expires_after_ttl() -> None:
    now = [1000.0]
    store = MemorySessionStore(ttl_seconds=5, clock=lambda: now[0])
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="x"))
    now[0] += 4
    assert await store.load("test:1") is not None
    now[0] += 2
    assert await store.load("test:1") is None


async def test_redis_session_expires_after_ttl(redis_url: str, namespace: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    store = RedisSessionStore(client, namespace=namespace, ttl_seconds=1)
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="x"))
    ttl = await client.ttl(f"{namespace}:session:test:1")
    assert 0 < ttl <= 1
    await asyncio.sleep(1.2)
    assert await store.load("test:1") is None
    await client.aclose()


async def test_redis_keys_are_namespaced_with_ttls(redis_url: str, namespace: str) -> None:
    client = aioredis.Redis.from_url(redis_url)
    store = RedisSessionStore(client, namespace=namespace, ttl_seconds=100)
    async with store.conversation("telegram:7") as conv:
        conv.save(Session(state="x"))
    await store.first_seen("tg-update", "1", 100)
    # A window longer than a loaded machine may stall between this write and the TTL reads.
    await store.hit("flood", "telegram:7", 100)
    keys = sorted([k.decode() async for k in client.scan_iter(f"{namespace}:*")])
    assert keys == [
        f"{namespace}:hits:flood:telegram:7",
        f"{namespace}:seen:tg-update:1",
        f"{namespace}:session:telegram:7",
    ]
    for key in keys:
        assert await client.ttl(key) > 0
    await client.aclose()


async def test_redis_expired_lock_is_not_released_by_old_holder(
    redis_url: str, namespace: str
) -> None:
    """A worker whose lock expired must not overwrite the session of the next holder."""
    client = aioredis.Redis.from_url(redis_url)
    slow = RedisSessionStore(client, namespace=namespace, lock_timeout=0.1, lock_wait=1)
    other_process = RedisSessionStore(client, namespace=namespace, lock_timeout=1, lock_wait=1)
    with pytest.raises(LockLost):
        async with slow.conversation("test:1") as conv:
            await asyncio.sleep(0.2)  # the lock expires
            async with other_process.conversation("test:1") as other:
                other.save(Session(state="newer"))
            conv.save(Session(state="stale"))
    store = slow
    loaded = await store.load("test:1")
    assert loaded is not None and loaded.state == "newer"
    await client.aclose()


async def test_session_round_trips_through_json() -> None:
    session = Session(
        flow="lapor",
        state="giver",
        data={"nilai": 1500000, "nama": "Ani"},
        history=["type"],
        offered=[["a", "A"]],
        free_text=False,
    )
    assert Session.loads(session.dumps()) == session
    assert Session.loads('{"flow": null, "unknown_field": 1}') == Session()


async def test_values_are_kept_until_their_ttl(store: SessionStore) -> None:
    assert await store.get_value("wa-last-inbound", "628123") is None
    await store.put_value("wa-last-inbound", "628123", "2026-11-24T05:00:00+00:00", 60)
    assert await store.get_value("wa-last-inbound", "628123") == "2026-11-24T05:00:00+00:00"


async def test_swap_value_returns_what_it_replaces(store: SessionStore) -> None:
    assert await store.swap_value("tg-keyboards", "42", "[7]", 60) is None
    assert await store.swap_value("tg-keyboards", "42", "[8, 9]", 60) == "[7]"
    assert await store.get_value("tg-keyboards", "42") == "[8, 9]"


async def test_redis_sessions_are_encrypted_at_rest(redis_url: str, namespace: str) -> None:
    from cryptography.fernet import Fernet

    from bot.crypto import Cipher

    client = aioredis.Redis.from_url(redis_url)
    key = Fernet.generate_key()
    store = RedisSessionStore(client, namespace=namespace, cipher=Cipher(key))
    async with store.conversation("test:1") as conv:
        conv.save(Session(flow="lapor", data={"nik": "3404014501900001", "phone": "+6281234"}))
    raw = await client.get(f"{namespace}:session:test:1")
    assert raw is not None and b"3404014501900001" not in raw and b"lapor" not in raw
    loaded = await store.load("test:1")
    assert loaded is not None and loaded.data["nik"] == "3404014501900001"

    # A session written before encryption was switched on still loads.
    await client.set(f"{namespace}:session:test:2", Session(state="lama").dumps())
    legacy = await store.load("test:2")
    assert legacy is not None and legacy.state == "lama"

    # After a key change the conversation starts afresh instead of failing.
    rotated = RedisSessionStore(client, namespace=namespace, cipher=Cipher(Fernet.generate_key()))
    async with rotated.conversation("test:1") as conv:
        assert conv.session is None
    await client.aclose()


async def test_commit_saves_at_once_and_keeps_the_lock(store: SessionStore) -> None:
    store.lock_wait = 0.2
    async with store.conversation("test:1") as conv:
        conv.save(Session(state="saved-before-send"))
        await conv.commit()
        loaded = await store.load("test:1")
        assert loaded is not None and loaded.state == "saved-before-send"
        with pytest.raises(LockTimeout):
            async with store.conversation("test:1"):
                pass
    # Released at the end of the block, with nothing further written.
    async with store.conversation("test:1") as conv:
        assert conv.session is not None and conv.session.state == "saved-before-send"


async def test_an_update_counts_as_handled_once_its_turn_is_saved(store: SessionStore) -> None:
    from bot.sessions import Admission, Duplicate

    admission = Admission(dedupe=("wa-msg", "m1"), dedupe_ttl=60)
    with pytest.raises(RuntimeError):
        async with store.conversation("test:1", admission):
            raise RuntimeError("the process dies mid-turn")
    # Not handled yet: the redelivery goes through, and is the one that counts.
    async with store.conversation("test:1", admission) as conv:
        conv.save(Session(state="done"))
        await conv.commit()
    with pytest.raises(Duplicate):
        async with store.conversation("test:1", admission):
            pass


async def test_a_session_may_ask_to_be_kept_a_shorter_time(redis_url: str, namespace: str) -> None:
    # A bribery concern's draft or receipt code must not stay a week with the chat.
    client = aioredis.Redis.from_url(redis_url)
    store = RedisSessionStore(client, namespace=namespace, ttl_seconds=7 * 24 * 3600)
    try:
        async with store.conversation("telegram:5") as conv:
            conv.save(Session(flow="aduan", state="story", keep_seconds=3600))
        assert 0 < await client.ttl(f"{namespace}:session:telegram:5") <= 3600
        async with store.conversation("telegram:5") as conv:
            later = conv.session
            assert later is not None
            later.reset_flow()
            conv.save(later)
        assert await client.ttl(f"{namespace}:session:telegram:5") > 3600
    finally:
        keys = [k async for k in client.scan_iter(f"{namespace}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
