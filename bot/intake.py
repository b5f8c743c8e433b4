"""Durable intake: a webhook update is stored before the webhook answers, and dropped only once
it was handled, so a process that dies leaves its updates to another replica.

With Redis, each channel has a stream ({ns}:intake:{kind}) and one consumer group; every process
is a consumer of its own name. `accept` adds the update to the stream and takes it into this
process's pending list in the same round trip (XADD and XREADGROUP in one script), so from the
moment the webhook answers 200 the update is on record as this process's. `done` acknowledges
and deletes it (XACK, XDEL) once it was handled, with the other updates handled meanwhile in
the same round trip. While the process lives it refreshes what it
holds every third of INTAKE_CLAIM_SECONDS (XCLAIM of its own entries, which resets their idle
time); a process that stops (SIGKILL, out of memory, a lost machine) stops refreshing, and
after INTAKE_CLAIM_SECONDS a live replica takes its entries over (XAUTOCLAIM) and handles them.
A second handling of an update has no second effect: the dispatcher's per-update record
(bot/sessions.py) either drops it or sends the replies the first turn saved but may not have
sent. An entry taken over MAX_DELIVERIES times (an update that kills every process that
handles it) is given up, with an error in the log.

The stored body is encrypted with the sessions' cipher (it carries what users typed), and an
entry lives only until it was handled. INTAKE_MAX_LENGTH caps a stream: past it `accept`
raises IntakeFull and the webhook answers 503, so Telegram and Meta deliver again later
instead of Redis filling up.

Without Redis (the embedded mode: memory sessions, one process) LocalIntake stores nothing:
an update is handled from memory, and a process that dies loses the updates it had not
handled yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import secrets
import socket
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.crypto import Cipher
from handlers.errors import ServiceUnavailable

log = logging.getLogger(__name__)

GROUP = "gratibot"
# Entries taken over per round trip, and rounds per pass.
CLAIM_BATCH = 100
CLAIM_ROUNDS = 10
# An entry delivered this many times (each a process that took it and never finished) is
# given up: the update itself brings processes down.
MAX_DELIVERIES = 5
# Consumers of stopped processes, holding nothing, are removed after this many claim timeouts.
FORGET_AFTER_CLAIMS = 10
CLOSE_SECONDS = 10.0


class IntakeFull(Exception):
    """The stream holds INTAKE_MAX_LENGTH unhandled updates: refuse, the sender retries."""


@dataclass(frozen=True)
class Entry:
    """One stored update: its channel, its id in the stream, and its body as received."""

    kind: str
    id: str
    body: str


Handler = Callable[[Entry], Awaitable[None]]


class Intake(ABC):
    """Where webhooks put updates before answering; `handle` runs one and marks it done."""

    durable: bool = False

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    @abstractmethod
    async def accept(self, kind: str, body: str) -> Entry:
        """Stores an update as held by this process. IntakeFull or ServiceUnavailable when it
        cannot be stored: the webhook answers 503 and the update comes again."""

    @abstractmethod
    async def done(self, entry: Entry) -> None:
        """Drops a handled update; never raises (a failure is retried later)."""

    def consume(self, kind: str, handler: Handler) -> None:
        """Takes over, with `handler`, the updates of `kind` that stopped processes held."""
        return None

    async def handle(self, entry: Entry, handler: Handler) -> None:
        """Runs the handler on one update and marks it done, whatever the handler did (its
        errors are logged: handling it again would fail again)."""
        try:
            await handler(entry)
        except Exception as exc:
            log.error("%s update failed: %s", entry.kind, type(exc).__name__, exc_info=exc)
        await self.done(entry)

    def handle_soon(self, entry: Entry, handler: Handler) -> None:
        """`handle` in a task of its own (waited for by close)."""
        task = asyncio.create_task(self.handle(entry, handler))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Lets the updates in hand finish (cancelled after CLOSE_SECONDS: they stay stored,
        and another process takes them over)."""
        await finish_or_cancel(self._tasks, CLOSE_SECONDS)


async def finish_or_cancel(tasks: set[asyncio.Task[None]], seconds: float) -> None:
    """Waits for tasks to finish, cancelling those still running after `seconds`."""
    if not tasks:
        return
    _done, pending = await asyncio.wait(set(tasks), timeout=seconds)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError):
            await task


class LocalIntake(Intake):
    """The embedded mode's intake: nothing is stored, an update lives in this process only."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)

    async def accept(self, kind: str, body: str) -> Entry:
        return Entry(kind=kind, id=str(next(self._ids)), body=body)

    async def done(self, entry: Entry) -> None:
        return None


# KEYS: stream. ARGV: group, consumer, max length, sealed body, received (ms). Returns the new
# entry's id, or nil when the stream is full. The read takes the entry into this consumer's
# pending list at once; it also takes any entry nobody read (only a group created after
# entries were added leaves such), which then waits to be taken over like a stopped process's.
_ACCEPT = """
if redis.call('XLEN', KEYS[1]) >= tonumber(ARGV[3]) then return false end
local id = redis.call('XADD', KEYS[1], '*', 'b', ARGV[4], 't', ARGV[5])
local read = {'XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', '100', 'STREAMS', KEYS[1], '>'}
local ok = redis.pcall(unpack(read))
if type(ok) == 'table' and ok.err then
  redis.call('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0')
  redis.call(unpack(read))
end
return id
"""

# KEYS: stream. ARGV: group, consumer, ids... Resets the idle time of the ids still pending
# for this consumer (never taking back one another process took over meanwhile).
_REFRESH = """
local claim = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if p[1] then table.insert(claim, ARGV[i]) end
end
if #claim == 5 then return 0 end
table.insert(claim, 'JUSTID')
redis.call(unpack(claim))
return #claim - 6
"""

# KEYS: stream. ARGV: group, consumer, min idle (ms), cursor, count, max deliveries. Takes
# over entries idle for min idle; returns {next cursor, entries, ids given up}.
_CLAIM = """
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local taken, dropped = {}, {}
for _, e in ipairs(r[2]) do
  if type(e) == 'table' then
    local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
    if p[1] and tonumber(p[1][4]) > tonumber(ARGV[6]) then
      redis.call('XACK', KEYS[1], ARGV[1], e[1])
      redis.call('XDEL', KEYS[1], e[1])
      table.insert(dropped, e[1])
    else
      table.insert(taken, e)
    end
  end
end
return {r[1], taken, dropped}
"""


def consumer_name() -> str:
    """This process's name in the consumer groups: host, pid and a random part (a restarted
    process is a new consumer; the old name's entries are taken over)."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"


@dataclass
class _Acks:
    """Handled entries acknowledged together, and the moment they were."""

    entries: list[Entry] = field(default_factory=list)
    flushed: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class _Stream:
    """What this process holds of one stream, and its takeover loop."""

    key: str
    held: set[str] = field(default_factory=set)
    unacked: dict[str, Entry] = field(default_factory=dict)
    loop: asyncio.Task[None] | None = None
    # The acknowledgements gathering for the next round trip, and the one in flight.
    acks: _Acks | None = None
    flushing: asyncio.Lock = field(default_factory=asyncio.Lock)


class RedisIntake(Intake):
    """The intake of `gratibot serve` with REDIS_URL: one stream per channel, shared by every
    replica."""

    durable = True

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        namespace: str = "gratibot",
        cipher: Cipher | None = None,
        claim_seconds: float = 30.0,
        max_length: int = 100_000,
        consumer: str | None = None,
    ) -> None:
        super().__init__()
        self.redis = client
        self.namespace = namespace
        self.cipher = cipher
        self.claim_seconds = claim_seconds
        self.max_length = max_length
        self.consumer = consumer or consumer_name()
        self._streams: dict[str, _Stream] = {}
        self._accept = client.register_script(_ACCEPT)
        self._refresh = client.register_script(_REFRESH)
        self._claim = client.register_script(_CLAIM)

    def stream_key(self, kind: str) -> str:
        return f"{self.namespace}:intake:{kind}"

    def _stream(self, kind: str) -> _Stream:
        stream = self._streams.get(kind)
        if stream is None:
            stream = self._streams[kind] = _Stream(self.stream_key(kind))
        return stream

    def _seal(self, body: str) -> str:
        return self.cipher.encrypt(body) or "" if self.cipher is not None else body

    def _unseal(self, sealed: str) -> str:
        return self.cipher.decrypt(sealed) or "" if self.cipher is not None else sealed

    async def accept(self, kind: str, body: str) -> Entry:
        stream = self._stream(kind)
        try:
            entry_id = await self._accept(
                keys=[stream.key],
                args=[
                    GROUP,
                    self.consumer,
                    self.max_length,
                    self._seal(body),
                    int(time.time() * 1000),
                ],
            )
        except (RedisError, OSError) as exc:
            raise ServiceUnavailable("redis") from exc
        if entry_id is None:
            raise IntakeFull(kind)
        entry = Entry(kind=kind, id=_text(entry_id), body=body)
        stream.held.add(entry.id)
        return entry

    async def done(self, entry: Entry) -> None:
        """Acknowledges and deletes the entry, in one round trip with the other updates
        handled meanwhile: those of the same turn of the event loop, and those that finish
        while the previous round trip is in flight (under load, one XACK + XDEL serves
        several updates; alone, an update waits for nothing but its own)."""
        stream = self._stream(entry.kind)
        acks = stream.acks
        if acks is None:
            acks = stream.acks = _Acks()
            task = asyncio.create_task(self._flush(stream, acks))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        acks.entries.append(entry)
        await acks.flushed.wait()

    async def _flush(self, stream: _Stream, acks: _Acks) -> None:
        async with stream.flushing:
            # From here on, a handled entry gathers for the next round trip.
            if stream.acks is acks:
                stream.acks = None
            ids = [entry.id for entry in acks.entries]
            try:
                await self._drop(stream, ids)
            except (RedisError, OSError) as exc:
                log.warning("intake: handled updates stay stored until Redis answers: %s", exc)
                stream.unacked.update((entry.id, entry) for entry in acks.entries)
            else:
                stream.held.difference_update(ids)
            finally:
                acks.flushed.set()

    async def _drop(self, stream: _Stream, entry_ids: list[str]) -> None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xack(stream.key, GROUP, *entry_ids)
            pipe.xdel(stream.key, *entry_ids)
            await pipe.execute()

    def consume(self, kind: str, handler: Handler) -> None:
        stream = self._stream(kind)
        if stream.loop is None or stream.loop.done():
            stream.loop = asyncio.create_task(self._run(kind, handler))

    async def _run(self, kind: str, handler: Handler) -> None:
        period = self.claim_seconds / 3
        passes = 0
        while True:
            try:
                await self.keep_alive(kind)
                for entry in await self.take_over(kind):
                    self.handle_soon(entry, handler)
                passes += 1
                if passes % FORGET_AFTER_CLAIMS == 0:
                    await self._forget_stopped(kind)
            except (RedisError, OSError, ServiceUnavailable) as exc:
                log.warning("intake: %s takeover pass failed: %s", kind, type(exc).__name__)
            except Exception as exc:
                # A bug must not end the loop: the next pass tries again.
                log.error("intake: %s takeover pass failed", kind, exc_info=exc)
            await asyncio.sleep(period)

    async def keep_alive(self, kind: str) -> None:
        """Refreshes this process's entries of a stream and retries acknowledgements that
        failed while Redis was away."""
        stream = self._stream(kind)
        unacked = list(stream.unacked)
        for start in range(0, len(unacked), CLAIM_BATCH):
            ids = unacked[start : start + CLAIM_BATCH]
            await self._drop(stream, ids)
            for entry_id in ids:
                del stream.unacked[entry_id]
            stream.held.difference_update(ids)
        held = sorted(stream.held)
        for start in range(0, len(held), CLAIM_BATCH):
            await self._refresh(
                keys=[stream.key], args=[GROUP, self.consumer, *held[start : start + CLAIM_BATCH]]
            )

    async def take_over(self, kind: str) -> list[Entry]:
        """The entries of a stream that their process stopped refreshing for longer than the
        claim timeout, now held by this process, oldest first."""
        stream = self._stream(kind)
        min_idle = int(self.claim_seconds * 1000)
        cursor = "0-0"
        taken: list[Entry] = []
        for _ in range(CLAIM_ROUNDS):
            try:
                cursor_raw, found, dropped = await self._claim(
                    keys=[stream.key],
                    args=[GROUP, self.consumer, min_idle, cursor, CLAIM_BATCH, MAX_DELIVERIES],
                )
            except RedisError as exc:
                if "NOGROUP" in str(exc):
                    return taken  # nothing was ever accepted on this stream
                raise
            for entry_id in dropped:
                log.error(
                    "intake: gave up a %s update taken over %d times without finishing (%s)",
                    kind,
                    MAX_DELIVERIES,
                    _text(entry_id),
                )
            for entry_id, fields in found:
                entry = self._entry(kind, _text(entry_id), fields)
                if entry is not None:
                    stream.held.add(entry.id)
                    taken.append(entry)
            cursor = _text(cursor_raw)
            if cursor == "0-0":
                break
        if taken:
            log.warning(
                "intake: took over %d %s update(s) from a process that stopped", len(taken), kind
            )
        return taken

    def _entry(self, kind: str, entry_id: str, fields: list[bytes]) -> Entry | None:
        values = {_text(fields[i]): fields[i + 1] for i in range(0, len(fields) - 1, 2)}
        try:
            body = self._unseal(_text(values["b"]))
        except Exception as exc:
            # A changed key or a damaged entry: it cannot be handled by anyone.
            log.error("intake: an unreadable %s update dropped: %s", kind, type(exc).__name__)
            self._stream(kind).unacked[entry_id] = Entry(kind=kind, id=entry_id, body="")
            return None
        return Entry(kind=kind, id=entry_id, body=body)

    async def _forget_stopped(self, kind: str) -> None:
        """Removes the consumers of stopped processes that hold nothing any more."""
        stream = self._stream(kind)
        limit = int(self.claim_seconds * 1000 * FORGET_AFTER_CLAIMS)
        for consumer in await self.redis.xinfo_consumers(stream.key, GROUP):
            name = _text(consumer["name"])
            if name != self.consumer and consumer["pending"] == 0 and consumer["idle"] > limit:
                await self.redis.xgroup_delconsumer(stream.key, GROUP, name)

    async def close(self) -> None:
        for stream in self._streams.values():
            if stream.loop is not None:
                stream.loop.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await stream.loop
        await super().close()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
