"""One rate limit for the whole bot: every process and replica paces its Bot API calls together.

Telegram accepts about 30 messages a second per bot, about one a second per chat (short bursts
pass) and 20 a minute per group, and answers 429 with retry_after beyond that. Pacing each
process on its own (python-telegram-bot's AIORateLimiter) lets two replicas send 60/s, so the
buckets live in Redis, where all processes draw from them; without REDIS_URL (one process) they
live in memory.

Each bucket is a GCRA (the "virtual scheduling" form of a token bucket): one number per bucket,
the theoretical arrival time (TAT) of the next call; a call may go when TAT - now is within the
bucket's burst tolerance, and moves TAT on by the bucket's interval. The bot bucket and the
chat's bucket are checked and taken together in one Redis round trip (a Lua script on Redis'
own clock, so processes on different hosts agree).

Priority: interactive replies (the default) may use the bot bucket's whole burst; bulk sends
(outbox notices, digests, reminders, UPPG cards: `rate_limit_args="bulk"`) only its first two
intervals, so a queued broadcast only takes the calls interactive replies leave, and a reply
never waits behind it.

A 429 is honoured by every process: the chat's bucket moves past retry_after and bulk sends
pause for the whole bot; an interactive call is tried again after the wait, a bulk one fails
(DeliveryFailed with retry_after) so the outbox reschedules it and its worker moves on.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import redis.asyncio as aioredis
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.config import Settings

log = logging.getLogger(__name__)

Priority = Literal["interactive", "bulk"]
INTERACTIVE: Priority = "interactive"
BULK: Priority = "bulk"
MAX_RETRIES = 3
BULK_LEAD = 2
# Methods that put or change a message in a chat: what Telegram's limits count.
MESSAGE_METHODS = ("send", "edit", "copy", "forward")


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait a 429 asks for, whichever type python-telegram-bot returns it as."""
    with warnings.catch_warnings():
        # python-telegram-bot 22 warns that the int will become a timedelta; both are handled.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@dataclass(frozen=True)
class Limits:
    """Rates per second, and how many calls may go at once before pacing starts."""

    bot_rate: float = 30.0
    bot_burst: int = 10
    chat_rate: float = 1.0
    chat_burst: int = 3
    group_rate: float = 20 / 60

    @property
    def enabled(self) -> bool:
        return self.bot_rate > 0


@dataclass(frozen=True)
class Take:
    """One call's buckets: (key, interval ms, tolerance ms) for the bot and for the chat."""

    bot: tuple[str, float, float]
    chat: tuple[str, float, float] | None
    bulk: bool


def plan(limits: Limits, chat_id: object, priority: Priority) -> Take:
    """Which buckets a call draws from, with the intervals and tolerances for its priority."""
    bulk = priority == BULK
    interval = 1000 / limits.bot_rate
    # Bulk sends may run BULK_LEAD intervals ahead, so a sender that wakes late loses no slot;
    # interactive replies may use the whole burst, so they go before any queued bulk send.
    lead = min(BULK_LEAD, limits.bot_burst - 1) if bulk else limits.bot_burst - 1
    bot = ("bot", interval, lead * interval)
    chat: tuple[str, float, float] | None = None
    if chat_id is not None:
        group = str(chat_id).startswith(("-", "@"))
        rate = limits.group_rate if group else limits.chat_rate
        if rate > 0:
            every = 1000 / rate
            chat = (f"chat:{chat_id}", every, (limits.chat_burst - 1) * every)
    return Take(bot, chat, bulk)


class Buckets:
    """Where the TATs live; `take` answers 0 (taken) or the milliseconds to wait first."""

    async def take(self, take: Take) -> float:
        raise NotImplementedError

    async def pause(self, chat: tuple[str, float, float] | None, seconds: float) -> None:
        """After a 429: the chat's bucket (key, interval, tolerance) waits that long, and bulk
        sends stop meanwhile."""
        raise NotImplementedError


class MemoryBuckets(Buckets):
    """The buckets of one process (no REDIS_URL)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.tats: dict[str, float] = {}
        self.paused_until = 0.0

    async def take(self, take: Take) -> float:
        now = self.clock() * 1000
        if take.bulk and self.paused_until > now:
            return self.paused_until - now
        planned = [take.bot, *([take.chat] if take.chat else [])]
        tats = [max(self.tats.get(key, now), now) for key, _, _ in planned]
        waits = [
            tat - now - tolerance for tat, (_, _, tolerance) in zip(tats, planned, strict=True)
        ]
        if max(waits) > 0:
            return max(waits)
        for tat, (key, interval, _) in zip(tats, planned, strict=True):
            self.tats[key] = tat + interval
        if len(self.tats) > 100_000:
            self.tats = {k: v for k, v in self.tats.items() if v > now}
        return 0.0

    async def pause(self, chat: tuple[str, float, float] | None, seconds: float) -> None:
        until = self.clock() * 1000 + seconds * 1000
        self.paused_until = max(self.paused_until, until)
        if chat is not None:
            key, _interval, tolerance = chat
            self.tats[key] = max(self.tats.get(key, 0.0), until + tolerance)


# KEYS: bot bucket, chat bucket (or ""), pause key. ARGV: bot interval, bot tolerance, chat
# interval, chat tolerance (ms; chat ones "" without a chat), bulk (1/0).
# Returns 0 when taken, else the wait in ms (as a string: Lua numbers come back truncated).
_TAKE = """
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
if ARGV[5] == '1' then
  local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
  if paused > now then return tostring(paused - now) end
end
local bot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
local wait = bot - now - tonumber(ARGV[2])
local chat = nil
if ARGV[3] ~= '' then
  chat = math.max(tonumber(redis.call('GET', KEYS[2]) or '0'), now)
  wait = math.max(wait, chat - now - tonumber(ARGV[4]))
end
if wait > 0 then return tostring(wait) end
local next_bot = bot + tonumber(ARGV[1])
redis.call('SET', KEYS[1], tostring(next_bot), 'PX', math.ceil(next_bot - now) + 1000)
if chat then
  local next_chat = chat + tonumber(ARGV[3])
  redis.call('SET', KEYS[2], tostring(next_chat), 'PX', math.ceil(next_chat - now) + 1000)
end
return '0'
"""

# KEYS: pause key, chat bucket (or ""). ARGV: wait, chat tolerance (ms). Bulk sends wait
# until now + wait, and so does the chat (its TAT moves past it by its tolerance).
_PAUSE = """
local t = redis.call('TIME')
local untl = t[1] * 1000 + t[2] / 1000 + tonumber(ARGV[1])
local ttl = math.ceil(tonumber(ARGV[1]) + tonumber(ARGV[2])) + 1000
if tonumber(redis.call('GET', KEYS[1]) or '0') < untl then
  redis.call('SET', KEYS[1], tostring(untl), 'PX', ttl)
end
local chat = untl + tonumber(ARGV[2])
if KEYS[2] ~= '' and tonumber(redis.call('GET', KEYS[2]) or '0') < chat then
  redis.call('SET', KEYS[2], tostring(chat), 'PX', ttl)
end
return 1
"""


class RedisBuckets(Buckets):
    """The buckets every process and replica shares: keys {ns}:tg-rate:{bot|chat:<id>|pause}."""

    def __init__(self, client: aioredis.Redis, namespace: str) -> None:
        self.prefix = f"{namespace}:tg-rate:"
        self._take = client.register_script(_TAKE)
        self._pause = client.register_script(_PAUSE)

    async def take(self, take: Take) -> float:
        chat_key, chat_interval, chat_tolerance = take.chat or ("", "", "")
        answer = await self._take(
            keys=[
                self.prefix + take.bot[0],
                self.prefix + chat_key if chat_key else self.prefix + "-",
                self.prefix + "pause",
            ],
            args=[take.bot[1], take.bot[2], chat_interval, chat_tolerance, int(take.bulk)],
        )
        return float(answer)

    async def pause(self, chat: tuple[str, float, float] | None, seconds: float) -> None:
        keys = [self.prefix + "pause", self.prefix + chat[0] if chat else self.prefix + "-"]
        await self._pause(keys=keys, args=[seconds * 1000, chat[2] if chat else 0])


class RateLimiter(BaseRateLimiter[Priority]):
    """python-telegram-bot's rate limiter hook, drawing from shared buckets.

    Calls that put or change a message draw from the bot's and the chat's bucket; other calls
    (answerCallbackQuery, getFile, getChatMember, ...) are not paced. With TELEGRAM_SEND_RATE=0
    nothing is paced, and a 429 is still waited out.
    """

    def __init__(self, buckets: Buckets, limits: Limits, max_retries: int = MAX_RETRIES) -> None:
        self.buckets = buckets
        self.limits = limits
        self.max_retries = max_retries

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def wait_turn(self, chat_id: object, priority: Priority) -> None:
        """Returns once a call to this chat may go (at once when its buckets have room)."""
        take = plan(self.limits, chat_id, priority)
        # Polling the shared buckets: the wait comes from Redis, no local event can end it.
        while (wait := await self.buckets.take(take)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(wait / 1000)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Priority | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        priority = rate_limit_args or INTERACTIVE
        chat_id = data.get("chat_id")
        paced = self.limits.enabled and endpoint.startswith(MESSAGE_METHODS)
        for attempt in range(self.max_retries + 1):
            if paced:
                await self.wait_turn(chat_id, priority)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                chat = plan(self.limits, chat_id, priority).chat if self.limits.enabled else None
                await self.buckets.pause(chat, seconds)
                if priority == BULK or attempt == self.max_retries:
                    # The outbox reschedules a bulk send after the wait; its worker moves on.
                    raise
                log.warning("Telegram %s: 429, waiting %.1f s", endpoint, seconds)
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")  # pragma: no cover


def rate_limiter(settings: Settings, redis: aioredis.Redis | None) -> RateLimiter:
    """The bot-wide limiter: in Redis when the processes share one, else in this process."""
    limits = Limits(
        bot_rate=settings.telegram_send_rate,
        bot_burst=settings.telegram_send_burst,
        chat_rate=settings.telegram_chat_rate,
        chat_burst=settings.telegram_chat_burst,
        group_rate=settings.telegram_group_rate_per_minute / 60,
    )
    buckets: Buckets
    if redis is not None:
        buckets = RedisBuckets(redis, settings.redis_namespace)
    else:
        buckets = MemoryBuckets()
    return RateLimiter(buckets, limits)
