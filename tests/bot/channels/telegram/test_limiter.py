"""The bot-wide rate limit: buckets per bot and per chat, priority, 429s, shared in Redis.

The memory buckets run on a fake clock; the Redis ones on Redis' own clock, checked only for
what is decided at once (a call taken or held back), never for how long anything takes.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import pytest
import redis.asyncio as aioredis
from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram.limiter import (
    BULK,
    INTERACTIVE,
    Buckets,
    Limits,
    MemoryBuckets,
    RateLimiter,
    RedisBuckets,
    plan,
)

LIMITS = Limits(bot_rate=30, bot_burst=10, chat_rate=1, chat_burst=3, group_rate=20 / 60)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_chat_gets_a_short_burst_then_one_message_a_second() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    take = plan(LIMITS, 4242, INTERACTIVE)
    assert [await buckets.take(take) for _ in range(3)] == [0, 0, 0]
    wait = await buckets.take(take)
    assert 900 < wait <= 1000
    # Another chat is not held up by this one.
    assert await buckets.take(plan(LIMITS, 4343, INTERACTIVE)) == 0
    clock.now += wait / 1000
    assert await buckets.take(take) == 0


async def test_a_group_gets_twenty_a_minute() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    take = plan(LIMITS, -100123, INTERACTIVE)
    taken = 0
    for _ in range(60):  # one minute, polled each second
        while await buckets.take(take) == 0:
            taken += 1
        clock.now += 1
    assert 20 <= taken <= 23  # 20 a minute, after a burst of 3


async def test_interactive_replies_go_ahead_of_a_broadcast() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    # A broadcast to many chats drains the bot's bucket for bulk sends...
    sent = 0
    for chat in range(100):
        if await buckets.take(plan(LIMITS, 10_000 + chat, BULK)) == 0:
            sent += 1
    assert sent <= 3  # bulk runs at most two intervals ahead
    assert await buckets.take(plan(LIMITS, 20_000, BULK)) > 0
    # ...while a user's reply still goes at once, several in a row.
    for chat in range(5):
        assert await buckets.take(plan(LIMITS, 30_000 + chat, INTERACTIVE)) == 0


async def test_a_429_holds_the_chat_and_pauses_bulk_sends() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    await buckets.pause(plan(LIMITS, 4242, INTERACTIVE).chat, 5)
    assert 4900 < await buckets.take(plan(LIMITS, 4242, INTERACTIVE)) <= 5000
    assert await buckets.take(plan(LIMITS, 5151, BULK)) > 4000
    assert await buckets.take(plan(LIMITS, 5151, INTERACTIVE)) == 0
    clock.now += 5
    assert await buckets.take(plan(LIMITS, 5151, BULK)) == 0


@pytest.fixture
async def shared(redis_url: str, namespace: str) -> AsyncIterator[list[Buckets]]:
    """Two processes' buckets on one Redis."""
    clients = [aioredis.Redis.from_url(redis_url) for _ in range(2)]
    yield [RedisBuckets(client, namespace) for client in clients]
    for client in clients:
        keys = [key async for key in client.scan_iter(f"{namespace}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_processes_share_the_buckets_in_redis(shared: list[Buckets]) -> None:
    one, two = shared
    take = plan(LIMITS, 4242, INTERACTIVE)
    assert [await one.take(take), await two.take(take), await one.take(take)] == [0, 0, 0]
    # The chat's burst is spent, whichever process asks next.
    assert await two.take(take) > 0
    assert await one.take(take) > 0
    # Bulk is paused for every process after a 429 seen by one.
    await one.pause(None, 30)
    assert await two.take(plan(LIMITS, 5151, BULK)) > 25_000
    assert await two.take(plan(LIMITS, 5151, INTERACTIVE)) == 0


def flood(seconds: int) -> RetryAfter:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)  # int vs timedelta, both handled
        return RetryAfter(seconds)


def _flaky(failures: list[Exception]) -> Callable[..., Coroutine[Any, Any, bool]]:
    async def call() -> bool:
        if failures:
            raise failures.pop(0)
        return True

    return call


async def test_a_429_is_waited_out_for_a_reply_and_handed_back_for_a_bulk_send() -> None:
    limiter = RateLimiter(MemoryBuckets(), LIMITS)
    reply = _flaky([flood(0)])
    assert await limiter.process_request(reply, (), {}, "sendMessage", {"chat_id": 1}, None)
    notice = _flaky([flood(0)])
    with pytest.raises(RetryAfter):
        await limiter.process_request(notice, (), {}, "sendMessage", {"chat_id": 2}, BULK)
    # Unpaced: calls that change no message, and everything with the limits lifted.
    lifted = RateLimiter(MemoryBuckets(Clock()), Limits(bot_rate=0))
    for _ in range(10):
        assert await lifted.process_request(_flaky([]), (), {}, "sendMessage", {"chat_id": 3}, None)
