"""One process of the multi-process rate-limit check (bench/limits.py).

Sends through the bot's real Bot and rate limiter (Redis buckets shared with the other
processes) to the enforcing stub: `bulk` notices to distinct chats, as the outbox worker would
(a few at a time), and interactive replies at `rate` per second to other chats, timing each
from the moment it is wanted to the moment the stub has taken it. Prints one JSON line.

python -m bench._limits_worker API_BASE_URL REDIS_URL NAMESPACE BULK RATE SECONDS INDEX
prints "ready" once started, then reads the common start time (time.time()) from stdin.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import redis.asyncio as aioredis
from telegram.ext import ExtBot

from bot.channels.telegram.bot import close_bot
from bot.channels.telegram.limiter import (
    BULK,
    INTERACTIVE,
    Limits,
    Priority,
    RateLimiter,
    RedisBuckets,
    plan,
)
from bot.channels.telegram.request import make_request

BULK_AT_ONCE = 4


class TimedLimiter(RateLimiter):
    """The bot's limiter, noting how long each interactive call waited for its turn."""

    turns: list[float]
    held: int = 0

    async def wait_turn(self, chat_id: object, priority: Priority) -> None:
        began = time.perf_counter()
        take = plan(self.limits, chat_id, priority)
        while (wait := await self.buckets.take(take)) > 0:
            self.held += priority == INTERACTIVE
            await asyncio.sleep(wait / 1000)
        if priority == INTERACTIVE:
            self.turns.append((time.perf_counter() - began) * 1000)


async def main(argv: list[str]) -> None:
    base_url, redis_url, namespace = argv[0], argv[1], argv[2]
    bulk, rate, seconds, index = int(argv[3]), float(argv[4]), float(argv[5]), int(argv[6])
    client = aioredis.Redis.from_url(redis_url)
    limiter = TimedLimiter(RedisBuckets(client, namespace), Limits())
    limiter.turns = []
    bot = ExtBot(
        "999001:bench-token", base_url=base_url, request=make_request(), rate_limiter=limiter
    )
    waits: list[float] = []
    errors: list[str] = []
    print("ready", flush=True)
    start = float(await asyncio.to_thread(sys.stdin.readline))
    await asyncio.sleep(max(0.0, start - time.time()))

    async def broadcast() -> None:
        queue = list(range(bulk))

        async def one_sender() -> None:
            while queue:
                n = queue.pop()
                chat = 5_000_000 + index * 100_000 + n
                try:
                    await bot.send_message(chat, f"Pemberitahuan {n}", rate_limit_args=BULK)
                except Exception as exc:
                    errors.append(type(exc).__name__)

        await asyncio.gather(*(one_sender() for _ in range(BULK_AT_ONCE)))

    async def interactive() -> None:
        tasks = []
        if rate <= 0:
            return
        for n in range(int(rate * seconds)):
            due = start + n / rate
            await asyncio.sleep(max(0.0, due - time.time()))
            tasks.append(asyncio.create_task(reply(6_000_000 + index * 100_000 + n, due)))
        await asyncio.gather(*tasks)

    async def reply(chat: int, due: float) -> None:
        try:
            await bot.send_message(chat, "Jawaban Anda")
        except Exception as exc:
            errors.append(type(exc).__name__)
            return
        waits.append((time.time() - due) * 1000)

    began = time.time()
    await asyncio.gather(broadcast(), interactive())
    result = {"waits": waits, "turns": limiter.turns, "held": limiter.held, "errors": errors}
    print(json.dumps({**result, "seconds": time.time() - began}))
    await close_bot(bot)
    await client.aclose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
